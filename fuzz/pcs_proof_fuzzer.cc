// Fuzzes the PCS proof decoder (formats/pcs_proof.h) and the verifier
// (common/pcs_verifier.h) on what decodes. Oracles: no crash or out-of-bounds
// read (ASan); a failure names an offset inside the input; whatever decodes
// re-encodes to exactly the input bytes; the verifier, run on a fixed
// instance (fuzz/pcs_proof_instance.h) with a commitment whose root no proof
// can open, never accepts and stays inside its arena.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <vector>

#include "common/pcs_verifier.h"
#include "formats/pcs_proof.h"
#include "fuzz/pcs_proof_instance.h"

namespace {

using zkpot::GlExt3;

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "pcs_proof_fuzzer: %s\n", what);
  std::abort();
}

struct Instance {
  zkpot::PcsLayout layout = zkpot::pcs_fuzz_layout();
  zkpot::PcsCommitment<GlExt3> com{};
  std::vector<GlExt3> point;
  std::vector<uint8_t> scratch;
  Instance() {
    const auto ld = zkpot::pcs_layout_digest(layout);
    com.layout_digest = ld;
    com.num_vars = layout.main.spec.num_vars;
    com.num_slots = 1;
    com.slot_vars[0] = static_cast<uint8_t>(zkpot::kPcsFuzzVars);
    com.main_root.fill(0x5a);
    com.helper_root.fill(0xa5);
    com.main_ood = layout.main.commit_ood;
    com.helper_ood = layout.helper.commit_ood;
    zkpot::pcs_commit_ood_points<GlExt3>(ld, com.main_root, false, std::span<GlExt3>(com.main_ood_points.data(), com.main_ood));
    zkpot::pcs_commit_ood_points<GlExt3>(ld, com.helper_root, true,
                                         std::span<GlExt3>(com.helper_ood_points.data(), com.helper_ood));
    for (uint32_t i = 0; i < zkpot::kPcsFuzzVars; ++i) point.push_back(GlExt3::from_u64(i + 2));
    scratch.resize(zkpot::pcs_verifier_scratch_bytes(layout, 1));
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Instance inst;
  const std::span<const uint8_t> in(data, size);
  zkpot::PcsProof<zkpot::Goldilocks, GlExt3> proof;
  const zkpot::PcsProofStatus st = zkpot::decode_pcs_proof(in, zkpot::PcsProofLimits{}, &proof);
  if (!st.is_ok()) {
    if (st.format.offset > size) die("error offset past the input");
    return 0;
  }
  std::vector<uint8_t> out;
  if (!zkpot::encode_pcs_proof(proof, &out).is_ok()) die("decoded proof does not encode");
  if (out.size() != size || !std::equal(out.begin(), out.end(), in.begin())) die("re-encoding differs");
  // Any proof for this layout: the verifier must reject (the roots are not
  // any tree's) without leaving its arena.
  proof.layout_digest = inst.com.layout_digest;
  std::vector<uint8_t> scratch = inst.scratch;
  zkpot::Arena arena(scratch.data(), scratch.size());
  zkpot::Transcript<> t("zkpot-pcs-fuzz", zkpot::Blake2b256::Digest{});
  const zkpot::PcsClaim<GlExt3> claim{0, inst.point, GlExt3::zero()};
  const zkpot::PcsStatus vs = zkpot::pcs_verify(t, inst.layout, inst.com, std::span<const zkpot::PcsClaim<GlExt3>>(&claim, 1),
                                               proof.view(), arena);
  if (vs == zkpot::PcsStatus::kOk) die("verifier accepted a proof against a root no tree has");
  return 0;
}
