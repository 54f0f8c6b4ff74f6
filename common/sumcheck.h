// Sumcheck verifier maths, shared with the prover (docs/PROTOCOL.md §3, §4).
//
// Round j sends the round polynomial g_j (degree <= d) as d values
//   g_j(0), g_j(2), g_j(3), ..., g_j(d)
// and g_j(1) is derived as claim_j - g_j(0). The sum check g_j(0) + g_j(1) =
// claim_j is thereby implicit, one value per round is saved, and the degree
// bound is enforced by interpolating through exactly d + 1 points.
//
// Templated on the challenge field E only: E may be GlExt3, a D = 1 extension
// of a toy prime, or a toy prime itself. The base field F enters through the
// prover (prover/sumcheck_prover.h). No exceptions on this path: every
// function returns a status.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>

#include "common/claims.h"
#include "common/transcript.h"

namespace zkpot {

// Round polynomials up to this degree (products of up to 7 multilinear
// factors with an eq weight, or 8 without).
inline constexpr unsigned kMaxSumcheckDegree = 8;
inline constexpr unsigned kMaxSumcheckVariables = kMaxClaimVariables;

enum class SumcheckStatus : uint8_t {
  kOk = 0,
  kBadDegree,              // degree 0 or above kMaxSumcheckDegree
  kTooManyVariables,       // more than kMaxSumcheckVariables (or zero)
  kWrongMessageLength,     // round messages are not exactly num_vars * degree values
  kWrongPointLength,       // output span for the point has the wrong size
  kMissingMask,            // a zero-knowledge proof without its mask messages, or the reverse
  kFinalEvaluationMismatch,// the final claim disagrees with the claimed factor evaluations
  kBadTerm,                // a product term names a factor that does not exist
};

inline const char* sumcheck_status_name(SumcheckStatus s) {
  switch (s) {
    case SumcheckStatus::kOk: return "ok";
    case SumcheckStatus::kBadDegree: return "bad degree";
    case SumcheckStatus::kTooManyVariables: return "bad number of variables";
    case SumcheckStatus::kWrongMessageLength: return "wrong round message length";
    case SumcheckStatus::kWrongPointLength: return "wrong point length";
    case SumcheckStatus::kMissingMask: return "mask messages missing or unexpected";
    case SumcheckStatus::kFinalEvaluationMismatch: return "final evaluation mismatch";
    case SumcheckStatus::kBadTerm: return "bad product term";
  }
  return "unknown";
}

// Evaluates a polynomial of degree <= d given by its values at 0, 1, ..., d,
// in Newton's form: the forward differences D^k g(0) (subtractions only), then
//   g(x) = D^0 + x/1 (D^1 + (x-1)/2 (D^2 + ... + (x-d+1)/d D^d)),
// d products in E and d products by a base-field scalar, no inversion; the
// same value as the Lagrange form (docs/PROTOCOL.md §3).
template <class E>
class LagrangeKernel {
  // 1/k lives in the base field when E is an extension, so that (x - k + 1)/k
  // is a product by a base scalar.
  template <class T>
  struct ScalarOf {
    using type = T;
  };
  template <class T>
    requires requires { typename T::Base; }
  struct ScalarOf<T> {
    using type = typename T::Base;
  };

 public:
  using Scalar = typename ScalarOf<E>::type;

  // Requires 1 <= degree <= kMaxSumcheckDegree and a field characteristic above
  // degree: callers check the degree; Goldilocks is far above it, but a toy
  // field SmallPrimeField<P> with P <= degree would make d! zero and every
  // value wrong (tests use such fields only with smaller degrees).
  explicit LagrangeKernel(unsigned degree) : degree_(degree) {
    // 1/k for k = 1..d from one inversion of d!: 1/k = (k-1)! (1/k!).
    std::array<Scalar, kMaxSumcheckDegree + 1> fact;
    fact[0] = Scalar::one();
    for (unsigned k = 1; k <= degree_; ++k) fact[k] = fact[k - 1] * Scalar::from_u64(k);
    Scalar inv_fact = fact[degree_].inverse();  // 1/d!
    for (unsigned k = degree_; k >= 1; --k) {
      inv_[k] = inv_fact * fact[k - 1];
      inv_fact = inv_fact * Scalar::from_u64(k);  // 1/(k-1)!
    }
  }
  unsigned degree() const { return degree_; }

  // values[k] = g(k) for k = 0..degree.
  E evaluate(const E* values, const E& x) const {
    std::array<E, kMaxSumcheckDegree + 1> diff;
    for (unsigned i = 0; i <= degree_; ++i) diff[i] = values[i];
    for (unsigned k = 1; k <= degree_; ++k)
      for (unsigned i = degree_; i >= k; --i) diff[i] -= diff[i - 1];
    E acc = diff[degree_];
    for (unsigned k = degree_; k >= 1; --k) acc = diff[k - 1] + acc * ((x - E::from_u64(k - 1)) * inv_[k]);
    return acc;
  }

 private:
  unsigned degree_;
  std::array<Scalar, kMaxSumcheckDegree + 1> inv_{};  // inv_[k] = 1/k
};

// Expands a round message (d values) into g(0..d) using the running claim.
template <class E>
void round_values_from_message(std::span<const E> message, const E& claim, E* values) {
  values[0] = message[0];
  values[1] = claim - message[0];
  for (size_t k = 1; k < message.size(); ++k) values[k + 1] = message[k];
}

// One round, for prover and verifier alike: absorbs the message, draws the
// challenge r_j in E and returns the next claim g_j(r_j).
template <class E, class H>
[[nodiscard]] SumcheckStatus sumcheck_round(Transcript<H>& transcript, const LagrangeKernel<E>& kernel,
                                            std::span<const E> message, const E& claim, E* challenge,
                                            E* next_claim) {
  if (message.size() != kernel.degree()) return SumcheckStatus::kWrongMessageLength;
  transcript.absorb_fields("sumcheck.round", message.data(), message.size());
  const E r = transcript.template challenge<E>("sumcheck.r");
  std::array<E, kMaxSumcheckDegree + 1> values;
  round_values_from_message(message, claim, values.data());
  *challenge = r;
  *next_claim = kernel.evaluate(values.data(), r);
  return SumcheckStatus::kOk;
}

// What the verifier must know about a sumcheck instance besides its claim.
struct SumcheckShape {
  uint32_t num_vars = 0;
  uint32_t degree = 0;  // bound on the degree of every round polynomial
};

inline SumcheckStatus check_shape(const SumcheckShape& s) {
  if (s.degree == 0 || s.degree > kMaxSumcheckDegree) return SumcheckStatus::kBadDegree;
  if (s.num_vars == 0 || s.num_vars > kMaxSumcheckVariables) return SumcheckStatus::kTooManyVariables;
  return SumcheckStatus::kOk;
}

// The zero-knowledge part of a proof (docs/PROTOCOL.md §4): the handle of the
// committed Libra mask G, its claimed hypercube sum sigma_G (absorbed before
// rho), and the claimed G(r) (absorbed after the last round).
template <class E>
struct SumcheckMaskMessages {
  CommitmentHandle handle{};
  E sum{};
  E evaluation{};
};

template <class E>
struct SumcheckVerifierOutput {
  std::span<E> point;       // caller-owned, num_vars entries: r_0, ..., r_{n-1}
  E final_claim{};          // the claimed value of the (unmasked) summand at r
  E rho{};                  // the mask weight (zero-knowledge only)
  PendingClaim<E> mask_claim{};  // G(r) = evaluation, on the mask (zero-knowledge only)
};

// The messages before round 0, in order, for prover and verifier alike: the
// shape, the claimed sum, and with a mask its handle and sum sigma_G, after
// which rho is drawn. Returns rho (zero without a mask) and the claim of round 0.
template <class E, class H>
void sumcheck_begin(Transcript<H>& transcript, const SumcheckShape& shape, const E& claimed_sum,
                    const SumcheckMaskMessages<E>* mask, E* rho, E* round0_claim) {
  transcript.absorb_u64("sumcheck.num_vars", shape.num_vars);
  transcript.absorb_u64("sumcheck.degree", shape.degree);
  transcript.absorb_field("sumcheck.claim", claimed_sum);
  *rho = E::zero();
  *round0_claim = claimed_sum;
  if (mask != nullptr) {
    transcript.absorb_u64("sumcheck.mask.handle", mask->handle.id);
    transcript.absorb_field("sumcheck.mask.sum", mask->sum);
    *rho = transcript.template challenge<E>("sumcheck.mask.rho");
    *round0_claim = claimed_sum + *rho * mask->sum;
  }
}

// After the last round: with a mask, absorbs G(r) and removes rho G(r) from the
// claim, leaving the claim on the unmasked summand.
template <class E, class H>
E sumcheck_finish(Transcript<H>& transcript, const SumcheckMaskMessages<E>* mask, const E& rho,
                  const E& last_claim) {
  if (mask == nullptr) return last_claim;
  transcript.absorb_field("sumcheck.mask.eval", mask->evaluation);
  return last_claim - rho * mask->evaluation;
}

// Verifies a sumcheck for sum_{x in {0,1}^n} f(x) = claimed_sum, where every
// round polynomial has degree <= shape.degree. With mask != nullptr the proof is
// the zero-knowledge one for f + rho G (docs/PROTOCOL.md §4). On kOk the caller
// must still check final_claim = f(r) (typically by pending claims) and hand
// mask_claim to the commitment scheme. Message order: docs/PROTOCOL.md §3.
template <class E, class H>
[[nodiscard]] SumcheckStatus verify_sumcheck(Transcript<H>& transcript, const SumcheckShape& shape,
                                             const E& claimed_sum, std::span<const E> round_messages,
                                             const SumcheckMaskMessages<E>* mask, SumcheckVerifierOutput<E>* out) {
  if (const SumcheckStatus s = check_shape(shape); s != SumcheckStatus::kOk) return s;
  if (round_messages.size() != size_t{shape.num_vars} * shape.degree) return SumcheckStatus::kWrongMessageLength;
  if (out->point.size() != shape.num_vars) return SumcheckStatus::kWrongPointLength;

  E claim, rho;
  sumcheck_begin(transcript, shape, claimed_sum, mask, &rho, &claim);

  const LagrangeKernel<E> kernel(shape.degree);
  for (uint32_t j = 0; j < shape.num_vars; ++j) {
    const std::span<const E> msg = round_messages.subspan(size_t{j} * shape.degree, shape.degree);
    E next;
    if (const SumcheckStatus s = sumcheck_round(transcript, kernel, msg, claim, &out->point[j], &next);
        s != SumcheckStatus::kOk)
      return s;
    claim = next;
  }

  out->rho = rho;
  if (mask != nullptr &&
      !PendingClaim<E>::make_libra_mask(mask->handle, std::span<const E>(out->point.data(), out->point.size()),
                                        shape.degree, mask->evaluation, &out->mask_claim))
    return SumcheckStatus::kTooManyVariables;
  claim = sumcheck_finish(transcript, mask, rho, claim);
  out->final_claim = claim;
  return SumcheckStatus::kOk;
}

// -log2 of the soundness error of one sumcheck (docs/PROTOCOL.md §3, §4):
// d n / |E|, plus 1 / |E| for rho with a mask (a false claim sigma survives
// only if rho hits the single root of the linear claim sigma + rho sigma_G).
inline double sumcheck_soundness_bits(const SumcheckShape& shape, bool zero_knowledge, double log2_field_size) {
  const double numerator = double(shape.num_vars) * double(shape.degree) + (zero_knowledge ? 1.0 : 0.0);
  return log2_field_size - std::log2(numerator);
}

// log2 |E| for an extension type (its degree times log2 of the base modulus).
template <class E>
double log2_field_size() {
  if constexpr (requires { typename E::Base; })
    return double(E::kDegree) * log2_field_size<typename E::Base>();
  else if constexpr (requires { E::kLog2Order; })
    return E::kLog2Order;
  else
    return std::log2(double(E::kModulus));
}

// A summand sum_t c_t prod_{k in S_t} P_k(x): one term, |S_t| <= kMaxSumcheckDegree.
template <class E>
struct ProductTerm {
  E coeff = E::one();
  uint32_t num_factors = 0;
  std::array<uint32_t, kMaxSumcheckDegree> factors{};

  static ProductTerm of(const E& c, std::initializer_list<uint32_t> ks) {
    ProductTerm t;
    t.coeff = c;
    for (uint32_t k : ks) {
      if (t.num_factors == kMaxSumcheckDegree) break;  // validated by check_terms
      t.factors[t.num_factors++] = k;
    }
    if (ks.size() > kMaxSumcheckDegree) t.num_factors = kMaxSumcheckDegree + 1;  // marks it invalid
    return t;
  }
};

// Factor indices in range, 1 <= degree <= kMaxSumcheckDegree.
template <class E>
SumcheckStatus check_terms(std::span<const ProductTerm<E>> terms, size_t num_factors) {
  if (terms.empty()) return SumcheckStatus::kBadTerm;
  for (const ProductTerm<E>& t : terms) {
    if (t.num_factors == 0 || t.num_factors > kMaxSumcheckDegree) return SumcheckStatus::kBadTerm;
    for (uint32_t i = 0; i < t.num_factors; ++i)
      if (t.factors[i] >= num_factors) return SumcheckStatus::kBadTerm;
  }
  return SumcheckStatus::kOk;
}

// sum_t c_t prod_{k in S_t} values[k]: the verifier's final check once the
// factor evaluations P_k(r) are known (and become pending claims).
template <class E>
[[nodiscard]] SumcheckStatus evaluate_terms(std::span<const ProductTerm<E>> terms, std::span<const E> values,
                                            E* out) {
  if (const SumcheckStatus s = check_terms(terms, values.size()); s != SumcheckStatus::kOk) return s;
  E acc = E::zero();
  for (const ProductTerm<E>& t : terms) {
    E p = t.coeff;
    for (uint32_t i = 0; i < t.num_factors; ++i) p *= values[t.factors[i]];
    acc += p;
  }
  *out = acc;
  return SumcheckStatus::kOk;
}

// The largest term degree (the round degree of the unweighted sumcheck).
template <class E>
uint32_t terms_degree(std::span<const ProductTerm<E>> terms) {
  uint32_t d = 0;
  for (const ProductTerm<E>& t : terms) d = t.num_factors > d ? t.num_factors : d;
  return d;
}

}  // namespace zkpot
