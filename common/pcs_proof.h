// Commitments, claims and proofs of the polynomial commitment scheme
// (docs/PROTOCOL.md §9.1, §9.6), and how they enter the transcript.
//
// A commitment holds one or more polynomials ("slots") stacked into one table
// of 2^m base-field values: slot i (m_i variables) occupies an aligned block,
// so a claim P_i(z) = v is the claim P(z, bits of the block index) = v on the
// stacked polynomial. Proofs are five flat streams (extension values, base
// values, digests, salts, nonces) read in the order the verifier consumes
// them, so the verifier needs no nested structure and no allocation.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/claims.h"
#include "common/extension.h"
#include "common/merkle.h"
#include "common/pcs_params.h"
#include "common/transcript.h"

namespace zkpot {

inline constexpr unsigned kPcsMaxSlots = 64;
inline constexpr unsigned kPcsMaxOod = 4;

template <class E = GlExt3>
struct PcsCommitment {
  using Digest = Blake2b256::Digest;
  Digest layout_digest{};  // pcs_layout_digest of the layout it was made under
  uint32_t num_vars = 0;   // m of the stacked table
  uint32_t num_slots = 0;
  std::array<uint8_t, kPcsMaxSlots> slot_vars{};  // variables of each slot
  Digest main_root{};
  uint32_t main_ood = 0;
  std::array<E, kPcsMaxOod> main_ood_points{}, main_ood_answers{};
  Digest helper_root{};  // zero-knowledge layouts only
  uint32_t helper_ood = 0;
  std::array<E, kPcsMaxOod> helper_ood_points{}, helper_ood_answers{};
};

// Where slot i starts in the stacked table: slots are placed largest first,
// ties in slot order, each at a multiple of its size. Returns false when the
// slots do not fit in 2^num_vars values.
inline bool pcs_slot_offsets(uint32_t num_vars, std::span<const uint8_t> slot_vars, std::span<uint64_t> offsets) {
  if (slot_vars.empty() || slot_vars.size() > kPcsMaxSlots || offsets.size() < slot_vars.size()) return false;
  uint64_t next = 0;
  for (int w = static_cast<int>(num_vars); w >= 0; --w)
    for (size_t i = 0; i < slot_vars.size(); ++i)
      if (slot_vars[i] == w) {
        offsets[i] = next;
        next += uint64_t{1} << w;
      }
  for (size_t i = 0; i < slot_vars.size(); ++i)
    if (slot_vars[i] > num_vars) return false;
  return next <= (uint64_t{1} << num_vars);
}

// A claim on one slot of a commitment: P_slot(point) = value.
template <class E = GlExt3>
struct PcsClaim {
  uint32_t slot = 0;
  std::span<const E> point;
  E value{};
};

// The claim a pending claim (common/claims.h) makes on a commitment whose
// slot i holds the polynomial of handle slot_handles[i]; false when the
// handle is not in the commitment or the claim is not an evaluation claim.
template <class E>
[[nodiscard]] bool pcs_claim_from_pending(const PendingClaim<E>& pending, std::span<const CommitmentHandle> slot_handles,
                                          PcsClaim<E>* out) {
  if (pending.kind() != ClaimKind::kMultilinearEvaluation) return false;
  for (size_t i = 0; i < slot_handles.size(); ++i)
    if (slot_handles[i] == pending.handle()) {
      out->slot = static_cast<uint32_t>(i);
      out->point = pending.point();
      out->value = pending.value();
      return true;
    }
  return false;
}

// The proof streams as the verifier reads them.
template <class F = Goldilocks, class E = GlExt3>
struct PcsProofView {
  using Digest = Blake2b256::Digest;
  Digest layout_digest{};
  std::span<const E> ext;
  std::span<const F> base;
  std::span<const Digest> digests;
  std::span<const MerkleSalt> salts;
  std::span<const uint64_t> nonces;
};

// The prover's owning form (and what formats/ decodes into).
template <class F = Goldilocks, class E = GlExt3>
struct PcsProof {
  using Digest = Blake2b256::Digest;
  Digest layout_digest{};
  std::vector<E> ext;
  std::vector<F> base;
  std::vector<Digest> digests;
  std::vector<MerkleSalt> salts;
  std::vector<uint64_t> nonces;

  PcsProofView<F, E> view() const { return {layout_digest, ext, base, digests, salts, nonces}; }
  // Bytes of the payload (the CBOR framing adds a few dozen).
  size_t payload_bytes() const {
    return layout_digest.size() + ext.size() * E::kEncodedBytes + base.size() * F::kEncodedBytes +
           digests.size() * sizeof(Digest) + salts.size() * sizeof(MerkleSalt) + nonces.size() * 8;
  }
};

// The out-of-domain points of a commitment are derived from its root and
// layout alone (docs/PROTOCOL.md §9.3), so they are fixed before any claim.
template <class E, class H = Blake2b256>
void pcs_commit_ood_points(const typename H::Digest& layout_digest, const typename H::Digest& root, bool helper,
                           std::span<E> out) {
  Transcript<H> t(helper ? "zkpot/pcs/ood/helper" : "zkpot/pcs/ood/main", root);
  t.absorb_digest("layout", layout_digest);
  t.template challenges<E>("ood", out.data(), out.size());
}

template <class E, class H>
void pcs_absorb_commitment(Transcript<H>& t, const PcsCommitment<E>& c) {
  t.absorb_digest("pcs.layout", c.layout_digest);
  t.absorb_u64("pcs.vars", c.num_vars);
  t.absorb_bytes("pcs.slots", c.slot_vars.data(), std::min<size_t>(c.num_slots, kPcsMaxSlots));
  t.absorb_digest("pcs.root", c.main_root);
  t.absorb_fields("pcs.ood", c.main_ood_answers.data(), std::min<size_t>(c.main_ood, kPcsMaxOod));
  t.absorb_digest("pcs.hroot", c.helper_root);
  t.absorb_fields("pcs.hood", c.helper_ood_answers.data(), std::min<size_t>(c.helper_ood, kPcsMaxOod));
}

template <class E, class H>
void pcs_absorb_claims(Transcript<H>& t, std::span<const PcsClaim<E>> claims) {
  t.absorb_u64("pcs.nclaims", claims.size());
  for (const PcsClaim<E>& c : claims) {
    t.absorb_u64("pcs.claim.slot", c.slot);
    t.absorb_fields("pcs.claim.point", c.point.data(), c.point.size());
    t.absorb_field("pcs.claim.value", c.value);
  }
}

}  // namespace zkpot
