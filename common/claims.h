// Pending evaluation claims: the one type every sub-protocol emits for a value
// it cannot check itself, to be discharged by the polynomial commitment scheme
// (docs/PROTOCOL.md §6). Verifier maths: no exceptions, no allocation beyond
// what the caller reserves.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/transcript.h"

namespace zkpot {

// Identifies a committed polynomial within one proof. Until the commitment
// scheme exists, the prover and verifier agree on handles by protocol position.
struct CommitmentHandle {
  uint64_t id = 0;
  friend constexpr bool operator==(CommitmentHandle a, CommitmentHandle b) { return a.id == b.id; }
  friend constexpr bool operator!=(CommitmentHandle a, CommitmentHandle b) { return a.id != b.id; }
};

enum class ClaimKind : uint8_t {
  // P~(point) = value for the committed multilinear P in num_vars variables.
  kMultilinearEvaluation = 1,
  // The Libra mask G(X) = sum_i g_i(X_i), committed as its coefficient vector
  // c[i*(mask_degree+1)+k] (coefficient of X_i^k in g_i), satisfies
  // G(point) = sum_{i,k} c[i,k] point_i^k = value: a linear form in c.
  kLibraMaskSum = 2,
};

// Bound on the variables of a claimed point: claims live in fixed storage so the
// verifier never allocates for them. 2^40 evaluations is beyond any table we commit.
inline constexpr unsigned kMaxClaimVariables = 40;

enum class ClaimStatus : uint8_t {
  kOk = 0,
  kTooManyVariables,
  kCapacityExceeded,
  kVariableCountMismatch,  // two claims on one handle with different arities
  kKindMismatch,           // a handle used both as a mask and as a polynomial
  kWrongProofLength,
  kSumcheckRejected,
  kFinalEvaluationMismatch,
};

inline const char* claim_status_name(ClaimStatus s) {
  switch (s) {
    case ClaimStatus::kOk: return "ok";
    case ClaimStatus::kTooManyVariables: return "too many variables";
    case ClaimStatus::kCapacityExceeded: return "claim capacity exceeded";
    case ClaimStatus::kVariableCountMismatch: return "claims on one polynomial with different variable counts";
    case ClaimStatus::kKindMismatch: return "claims of different kinds on one handle";
    case ClaimStatus::kWrongProofLength: return "wrong claim-batching proof length";
    case ClaimStatus::kSumcheckRejected: return "claim-batching sumcheck rejected";
    case ClaimStatus::kFinalEvaluationMismatch: return "claim-batching final evaluation mismatch";
  }
  return "unknown";
}

template <class E>
class PendingClaim {
 public:
  PendingClaim() = default;

  // Returns false (and leaves *out unchanged) when the point is too long.
  [[nodiscard]] static bool make_evaluation(CommitmentHandle h, std::span<const E> point, const E& value,
                                            PendingClaim* out) {
    return make(ClaimKind::kMultilinearEvaluation, h, point, 0, value, out);
  }
  [[nodiscard]] static bool make_libra_mask(CommitmentHandle h, std::span<const E> point, uint32_t mask_degree,
                                            const E& value, PendingClaim* out) {
    return make(ClaimKind::kLibraMaskSum, h, point, mask_degree, value, out);
  }

  ClaimKind kind() const { return kind_; }
  CommitmentHandle handle() const { return handle_; }
  uint32_t num_vars() const { return num_vars_; }
  uint32_t mask_degree() const { return mask_degree_; }
  std::span<const E> point() const { return std::span<const E>(point_.data(), num_vars_); }
  const E& value() const { return value_; }

  bool operator==(const PendingClaim& o) const {
    if (kind_ != o.kind_ || handle_ != o.handle_ || num_vars_ != o.num_vars_ || mask_degree_ != o.mask_degree_ ||
        value_ != o.value_)
      return false;
    for (uint32_t i = 0; i < num_vars_; ++i)
      if (point_[i] != o.point_[i]) return false;
    return true;
  }

 private:
  static bool make(ClaimKind k, CommitmentHandle h, std::span<const E> point, uint32_t deg, const E& value,
                   PendingClaim* out) {
    if (point.size() > kMaxClaimVariables) return false;
    PendingClaim c;
    c.kind_ = k;
    c.handle_ = h;
    c.num_vars_ = static_cast<uint32_t>(point.size());
    c.mask_degree_ = deg;
    for (size_t i = 0; i < point.size(); ++i) c.point_[i] = point[i];
    c.value_ = value;
    *out = c;
    return true;
  }

  ClaimKind kind_ = ClaimKind::kMultilinearEvaluation;
  CommitmentHandle handle_{};
  uint32_t num_vars_ = 0;
  uint32_t mask_degree_ = 0;
  std::array<E, kMaxClaimVariables> point_{};
  E value_{};
};

// Binds a claim into the transcript: kind, handle, arity, mask degree, point, value.
template <class E, class H>
void absorb_claim(Transcript<H>& t, const PendingClaim<E>& c) {
  t.absorb_u64("claim.kind", static_cast<uint64_t>(c.kind()));
  t.absorb_u64("claim.handle", c.handle().id);
  t.absorb_u64("claim.mask_degree", c.mask_degree());
  t.absorb_fields("claim.point", c.point().data(), c.point().size());
  t.absorb_field("claim.value", c.value());
}

// The coefficients of the linear form a kLibraMaskSum claim evaluates on the
// mask's coefficient vector: (1, r_i, r_i^2, ..., r_i^deg) for each i.
// out must hold point.size() * (deg + 1) values; returns false otherwise.
template <class E>
[[nodiscard]] bool libra_mask_linear_form(std::span<const E> point, uint32_t deg, std::span<E> out) {
  if (out.size() != point.size() * (size_t{deg} + 1)) return false;
  for (size_t i = 0; i < point.size(); ++i) {
    E pw = E::one();
    for (uint32_t k = 0; k <= deg; ++k) {
      out[i * (deg + 1) + k] = pw;
      pw *= point[i];
    }
  }
  return true;
}

// G(point) for mask coefficients laid out as in ClaimKind::kLibraMaskSum;
// false when the coefficient count does not match.
template <class E>
[[nodiscard]] bool evaluate_libra_mask(std::span<const E> coeffs, uint32_t deg, std::span<const E> point, E* out) {
  if (coeffs.size() != point.size() * (size_t{deg} + 1)) return false;
  E acc = E::zero();
  for (size_t i = 0; i < point.size(); ++i) {
    E v = E::zero();  // Horner on g_i
    for (uint32_t k = deg + 1; k-- > 0;) v = v * point[i] + coeffs[i * (deg + 1) + k];
    acc += v;
  }
  *out = acc;
  return true;
}

}  // namespace zkpot
