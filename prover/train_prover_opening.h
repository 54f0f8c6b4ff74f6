// Opening one training commitment at a segment's close (docs/PROTOCOL.md
// §12.5): the commitment the prover keeps, the batching of its pending
// claims (§6) and the PCS opening (§9), and the opening's encoding in the
// segment body (docs/FORMAT.md).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <vector>

#include "common/claim_accumulator.h"
#include "common/multilinear.h"
#include "common/training_segment.h"
#include "formats/cbor_writer.h"
#include "formats/field_vector.h"
#include "prover/batching_sumcheck.h"
#include "prover/claims_prover.h"
#include "prover/pcs_prover.h"
#include "prover/rng.h"

namespace zkpot {

// A commitment the prover keeps until it is opened.
struct TrainingCommitment {
  std::vector<uint8_t> encoded;
  TrainingDigest digest{};
  // The committed values (slot order), shared: the PCS prover keeps spans into them, so copies must not move them.
  std::shared_ptr<const std::vector<std::vector<Gl>>> slots;
  std::shared_ptr<PcsProver> pcs;
};

namespace training_prover_detail {

// Batches the claims on one commitment (mirroring verify_claim_batching) and
// opens it; appends the batching values to `values`. A claim whose block of
// trailing coordinates is boolean only touches that block of W. The opening
// draws its randomness from opening_rng, or from the commitment's stream if null.
template <bool kSelfChecks>
PcsProof<Gl, GlExt3> batch_and_open(Transcript<>& t, const TrainingCommitment& com,
                                    const std::vector<PendingClaim<GlExt3>>& claims, std::vector<GlExt3>* values,
                                    ProverRng* opening_rng) {
  using E = GlExt3;
  ClaimAccumulator<E> acc(claims.size());
  for (const auto& c : claims)
    if (acc.add(c) != ClaimStatus::kOk) throw std::logic_error("training: inconsistent claims on one commitment");
  const E gamma = claim_batching_begin(t, acc);
  std::vector<PendingClaim<E>> reduced;
  std::vector<EqWeightBlock<E>> blocks;
  for (size_t i = 0; i < acc.size(); ++i) {
    const PendingClaim<E>& c = acc.claims()[i];
    if (acc.leader(i) != i) continue;
    if (!acc.is_batched_leader(i)) {
      reduced.push_back(c);
      continue;
    }
    const std::vector<Gl>& table = com.slots->at(c.handle().id);
    const uint32_t n = c.num_vars();
    blocks.clear();
    E g = E::one();
    for (const PendingClaim<E>& o : acc.claims()) {
      if (o.handle() != c.handle()) continue;
      const std::span<const E> pt = o.point();
      uint32_t free_vars = n;  // trailing boolean coordinates fix a block
      while (free_vars > 0 && (pt[free_vars - 1] == E::zero() || pt[free_vars - 1] == E::one())) --free_vars;
      uint64_t block = 0;
      for (uint32_t j = free_vars; j < n; ++j)
        if (pt[j] == E::one()) block |= uint64_t{1} << (j - free_vars);
      blocks.push_back(EqWeightBlock<E>{pt.first(free_vars), block << free_vars, g});
      g *= gamma;
    }
    // An honest prover proves the stated sum, and the batching prover refuses
    // one that is not the table's. A cheating prover proves the true sum,
    // which the verifier then finds differs from the stated one.
    const E stated = claim_group_sum(acc, i, gamma);
    const BatchingSumcheckOutput<E> so = prove_batching_sumcheck<Gl, E>(
        t, std::span<const Gl>(table), std::span<const EqWeightBlock<E>>(blocks), kSelfChecks ? &stated : nullptr);
    values->insert(values->end(), so.round_messages.begin(), so.round_messages.end());
    const E ev = so.table_value;
    t.absorb_field("claims.eval", ev);
    values->push_back(ev);
    PendingClaim<E> b;
    if (!PendingClaim<E>::make_evaluation(c.handle(), std::span<const E>(so.point), ev, &b)) throw std::logic_error("claim");
    reduced.push_back(b);
  }
  std::vector<PcsClaim<E>> pcs_claims;
  for (const auto& c : reduced) pcs_claims.push_back(PcsClaim<E>{static_cast<uint32_t>(c.handle().id), c.point(), c.value()});
  PcsCheat cheat;
  cheat.skip_self_checks = !kSelfChecks;
  return opening_rng ? com.pcs->open(t, pcs_claims, *opening_rng, cheat) : com.pcs->open(t, pcs_claims, cheat);
}

inline void write_opening(CborWriter& w, const PcsProof<Gl, GlExt3>& p) {
  w.begin_map(6);
  w.write_key(kOpenKeyLayout).write_bytes(p.layout_digest);
  w.write_key(kOpenKeyExt);
  write_field_vector<GlExt3>(w, p.ext);
  w.write_key(kOpenKeyBase);
  write_field_vector<Gl>(w, p.base);
  w.write_key(kOpenKeyDigests)
      .write_bytes(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(p.digests.data()), p.digests.size() * 32));
  w.write_key(kOpenKeySalts)
      .write_bytes(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(p.salts.data()), p.salts.size() * 32));
  w.write_key(kOpenKeyNonces)
      .write_bytes(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(p.nonces.data()), p.nonces.size() * 8));
}

}  // namespace training_prover_detail

}  // namespace zkpot
