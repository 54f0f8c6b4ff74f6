// The prover of the polynomial commitment scheme (docs/PROTOCOL.md §9):
// commit to one or more multilinear polynomials over Goldilocks (hypercube
// values, stacked into one table), and open them at points in K = GlExt3 with
// a WHIR proof (zero-knowledge layout of §9.4 when the parameters ask for it).
// The verifier is common/pcs_verifier.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/extension.h"
#include "common/pcs_params.h"
#include "common/pcs_proof.h"
#include "common/transcript.h"
#include "prover/merkle_tree.h"
#include "prover/rng.h"

namespace zkpot {

// Where the prover's challenges come from. The default reads them from the
// Fiat-Shamir transcript; tests replay recorded challenges so that a proof is
// an affine function of (witness, masks) (docs/PROTOCOL.md §9.4).
class PcsChallenger {
 public:
  using Digest = Blake2b256::Digest;
  virtual ~PcsChallenger() = default;
  virtual void absorb_commitment(const PcsCommitment<GlExt3>& c) = 0;
  virtual void absorb_claims(std::span<const PcsClaim<GlExt3>> claims) = 0;
  virtual void absorb_ext(std::string_view label, std::span<const GlExt3> xs) = 0;
  virtual void absorb_digest(std::string_view label, const Digest& d) = 0;
  virtual void absorb_u64(std::string_view label, uint64_t x) = 0;
  virtual GlExt3 challenge_ext(std::string_view label) = 0;
  virtual void challenge_indices(std::string_view label, unsigned bits, std::span<uint64_t> out) = 0;
  // Squeezes and returns the value a proof of work must be found for.
  virtual Digest pow_challenge() = 0;
};

// Reads challenges from a transcript; can record them for a replay.
class TranscriptChallenger final : public PcsChallenger {
 public:
  explicit TranscriptChallenger(Transcript<>& t, bool record = false) : t_(t), record_(record) {}
  void absorb_commitment(const PcsCommitment<GlExt3>& c) override { pcs_absorb_commitment(t_, c); }
  void absorb_claims(std::span<const PcsClaim<GlExt3>> claims) override { pcs_absorb_claims(t_, claims); }
  void absorb_ext(std::string_view label, std::span<const GlExt3> xs) override {
    t_.absorb_fields(label, xs.data(), xs.size());
  }
  void absorb_digest(std::string_view label, const Digest& d) override { t_.absorb_digest(label, d); }
  void absorb_u64(std::string_view label, uint64_t x) override { t_.absorb_u64(label, x); }
  GlExt3 challenge_ext(std::string_view label) override {
    const GlExt3 c = t_.challenge<GlExt3>(label);
    if (record_) ext_.push_back(c);
    return c;
  }
  void challenge_indices(std::string_view label, unsigned bits, std::span<uint64_t> out) override {
    t_.challenge_indices(label, bits, out.data(), out.size());
    if (record_) indices_.insert(indices_.end(), out.begin(), out.end());
  }
  Digest pow_challenge() override {
    (void)t_.challenge_index("pcs.pow", 64);
    return t_.chaining_value();
  }
  const std::vector<GlExt3>& recorded_ext() const { return ext_; }
  const std::vector<uint64_t>& recorded_indices() const { return indices_; }

 private:
  Transcript<>& t_;
  bool record_;
  std::vector<GlExt3> ext_;
  std::vector<uint64_t> indices_;
};

// Returns recorded challenges in order and ignores what is absorbed.
class ReplayChallenger final : public PcsChallenger {
 public:
  ReplayChallenger(std::vector<GlExt3> ext, std::vector<uint64_t> indices)
      : ext_(std::move(ext)), indices_(std::move(indices)) {}
  void absorb_commitment(const PcsCommitment<GlExt3>&) override {}
  void absorb_claims(std::span<const PcsClaim<GlExt3>>) override {}
  void absorb_ext(std::string_view, std::span<const GlExt3>) override {}
  void absorb_digest(std::string_view, const Digest&) override {}
  void absorb_u64(std::string_view, uint64_t) override {}
  GlExt3 challenge_ext(std::string_view label) override;
  void challenge_indices(std::string_view label, unsigned bits, std::span<uint64_t> out) override;
  Digest pow_challenge() override { return Digest{}; }

 private:
  std::vector<GlExt3> ext_;
  std::vector<uint64_t> indices_;
  size_t ext_pos_ = 0, idx_pos_ = 0;
};

// Ways to make a dishonest prover for the soundness tests: each switches off
// a self-check or perturbs one step, and the prover still emits a complete proof.
struct PcsCheat {
  bool skip_self_checks = false;     // prove claims whose values are wrong
  // Use this point instead of claim 0's in the weight (a proof for another point).
  std::vector<GlExt3> weight_point_for_claim0;
  bool corrupt_final_polynomial = false;  // send P_R + 1
  bool corrupt_half_of_codeword = false;  // commit: change half of the round-0 leaves
  bool corrupt_ood_answer = false;        // commit: a wrong out-of-domain answer
};

// Whether the prover keeps every round's codeword from its commitment to the
// opening that queries it, or keeps only the Merkle tree (and salts) and
// recomputes the codeword a chunk at a time from the round's coefficients
// when queries read it (docs/PROTOCOL.md §9.7). Commitments and proofs are
// the same bytes either way; recomputing holds about half the memory at 2^24
// and costs a second encoding. kAuto recomputes when the main run's round-0
// codeword has 2^kPcsRecomputeFromLog symbols (256 MiB) or more, and then
// only the codewords (of either run, any round) of 2^kPcsRecomputeRoundFromLog
// symbols or more; kRecompute recomputes every codeword.
enum class PcsMemory { kAuto, kKeep, kRecompute };
inline constexpr uint32_t kPcsRecomputeFromLog = 25;
inline constexpr uint32_t kPcsRecomputeRoundFromLog = 22;
// Whether a commitment of this layout recomputes its main round-0 codeword.
bool pcs_recomputes_codewords(const PcsLayout& layout, PcsMemory memory);
// Whether it recomputes a codeword of 2^log_n symbols (of either run).
bool pcs_recomputes_codeword(const PcsLayout& layout, PcsMemory memory, uint32_t log_n);

class PcsProver {
 public:
  using F = Goldilocks;
  using E = GlExt3;

  // Commits to the polynomials given by their hypercube values (each a power
  // of two long, at most 2^layout.main.num_vars together). The spans must stay
  // valid until the last open(). The rng supplies salts and masks.
  static PcsProver commit(const PcsLayout& layout, std::span<const std::span<const F>> polynomials, ProverRng& rng,
                          const PcsCheat& cheat = {});
  static PcsProver commit(const PcsLayout& layout, std::span<const std::span<const F>> polynomials, ProverRng& rng,
                          PcsMemory memory, const PcsCheat& cheat = {});
  // Test hook: commit with the given mask table G (2^helper vars values) and
  // out-of-domain points, so that a proof is affine in (witness, G).
  static PcsProver commit_with_masks(const PcsLayout& layout, std::span<const std::span<const F>> polynomials,
                                     ProverRng& rng, std::vector<F> masks, std::span<const E> main_ood_points,
                                     std::span<const E> helper_ood_points);

  PcsProver(PcsProver&&) noexcept;
  PcsProver& operator=(PcsProver&&) noexcept;
  ~PcsProver();

  const PcsCommitment<E>& commitment() const;
  const PcsLayout& layout() const;
  // The number of variables (m_i) a stacked layout needs for these slot sizes.
  static uint32_t stacked_vars(std::span<const uint32_t> slot_vars);

  // Proves the claims (each P_slot(point) = value). Throws std::invalid_argument
  // on a false claim unless cheat.skip_self_checks. The opening's own
  // randomness (salts of its round trees) comes from the commitment's stream,
  // seeded at commit: safe while this object makes every opening of the
  // commitment. A prover that rebuilds the commitment (a resumed run) and
  // opens it again must pass each opening its own randomness instead
  // (docs/PROTOCOL.md §9.4, §12.9).
  PcsProof<F, E> open(Transcript<>& t, std::span<const PcsClaim<E>> claims, const PcsCheat& cheat = {});
  PcsProof<F, E> open(PcsChallenger& ch, std::span<const PcsClaim<E>> claims, const PcsCheat& cheat = {});
  // The same, drawing every random value of this opening from opening_rng
  // (nothing from the commitment's stream): one rng per opening, never shared.
  PcsProof<F, E> open(Transcript<>& t, std::span<const PcsClaim<E>> claims, ProverRng& opening_rng,
                      const PcsCheat& cheat = {});
  PcsProof<F, E> open(PcsChallenger& ch, std::span<const PcsClaim<E>> claims, ProverRng& opening_rng,
                      const PcsCheat& cheat = {});

  // The value of slot `slot` at point (for callers that need the claim values).
  E evaluate(uint32_t slot, std::span<const E> point) const;
  // The mask table G (zero-knowledge layouts), for tests.
  const std::vector<F>& masks() const;
  bool recomputes_codewords() const;

  struct State;

 private:
  explicit PcsProver(std::unique_ptr<State> s);
  std::unique_ptr<State> s_;
};

}  // namespace zkpot
