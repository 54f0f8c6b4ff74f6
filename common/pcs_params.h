// Parameters and provable security of the polynomial commitment scheme
// (docs/PROTOCOL.md §9.2, §9.5): a WHIR instance in the Johnson (list-decoding)
// regime, and the zero-knowledge layout that masks it (mask windows and the
// helper instance, §9.4).
//
// Everything here is plain arithmetic on the parameters, shared by prover,
// verifier and the tests that recompute the §8 table. No allocation, no
// exceptions: invalid inputs give `valid == false`.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "common/field.h"
#include "common/hash.h"

namespace zkpot {

inline constexpr unsigned kPcsMaxRounds = 16;
inline constexpr unsigned kPcsMaxWindows = kPcsMaxRounds + 2;
// The largest committed table (2^kPcsMaxVars evaluations): with the rate, the
// evaluation domain must stay within the 2-adicity of Goldilocks (2^32).
inline constexpr unsigned kPcsMaxVars = 30;
// log2 |K| for K = Goldilocks^3.
inline constexpr double kPcsLog2ExtensionField = 3.0 * Goldilocks::kLog2Order;
// The helper instance's coset shift: 7^2 (7 generates the multiplicative
// group, so 7 and 49 lie outside the 2-power subgroups and their cosets differ).
inline constexpr uint64_t kPcsHelperShift = 49;
// Round polynomials of the WHIR sumcheck have degree 2 (f times an eq weight).
inline constexpr unsigned kPcsSumcheckDegree = 2;

// What a caller chooses for one WHIR instance (docs/PROTOCOL.md §9.2).
struct WhirSpec {
  uint32_t num_vars = 0;            // m: variables of the committed polynomial
  uint32_t log_inv_rate = 1;        // log2(1/rho_0): the first codeword has 2^(m + this) symbols
  uint32_t first_fold_bits = 4;     // k_0: variables folded in round 0 (a leaf holds 2^k_0 symbols)
  uint32_t fold_bits = 4;           // k: variables folded in every later round
  uint32_t final_vars_max = 4;      // stop folding once at most this many variables remain
  uint32_t first_domain_shrink = 1; // log2(N_0 / N_1); later rounds halve the domain
  uint32_t pow_bits = 0;            // grinding before each round's queries
  uint32_t security_bits = 100;     // lambda: every round-by-round error below 2^-lambda
  uint64_t domain_shift = 1;        // the evaluation domains are cosets shift * <w>
};

// Round j of a WHIR instance: fold k_j variables of P_j (m_j variables,
// committed as a codeword of 2^log_domain symbols), then query it t_j times.
struct WhirRound {
  uint32_t num_vars = 0;     // m_j
  uint32_t fold_bits = 0;    // k_j
  uint32_t log_domain = 0;   // log2 N_j
  uint32_t queries = 0;      // t_j (before duplicates are merged)
  uint32_t pow_bits = 0;     // b_j
  uint32_t next_ood = 0;     // out-of-domain samples on P_{j+1} (0 in the last round)
  uint32_t log_rows() const { return log_domain - fold_bits; }
  double log_inv_rate() const { return static_cast<double>(log_domain) - num_vars; }
};

struct WhirSchedule {
  bool valid = false;
  WhirSpec spec{};
  uint32_t commit_ood = 0;   // out-of-domain samples on P_0, answered in the commitment
  uint32_t num_rounds = 0;   // R >= 1
  std::array<WhirRound, kPcsMaxRounds> rounds{};
  uint32_t final_vars = 0;   // m_R: the last polynomial is sent in full (2^m_R values)
  // The round whose codeword a query of round j opens has 2^log_rows() leaves.
};

namespace pcs_detail {

inline double log2_binom2(double l) { return std::log2(l) + std::log2(l - 1.0) - 1.0; }

// Johnson-regime constants for a Reed-Solomon code of rate rho = 2^-log_inv_rate
// and messages of 2^num_vars symbols (docs/PROTOCOL.md §9.5): proximity
// delta = 1 - sqrt(rho) - eta, list size L = 1/(2 eta sqrt(rho)). The
// mutual-correlated-agreement error err* = 2^(2m) / (|K| (2 min(eta, sqrt(rho)/20))^7)
// (WHIR Thm 4.8) holds for any eta in (0, sqrt(rho)/20]; we take the smallest
// eta that keeps the folding error below 2^-(lambda + 1), which gives the most
// bits per query, and sqrt(rho)/20 if even that is not enough.
struct Johnson {
  double sqrt_rho, eta, list_size, query_bits;  // query_bits = -log2(1 - delta)
  Johnson(uint32_t num_vars, double log_inv_rate, uint32_t lambda) {
    sqrt_rho = std::exp2(-log_inv_rate / 2.0);
    const double cap = sqrt_rho / 20.0;
    // 2m - log|K| - 7 log2(2 eta) <= -(lambda + 1)
    const double log2_two_eta = (2.0 * num_vars - kPcsLog2ExtensionField + lambda + 1.0) / 7.0;
    const double eta_min = std::exp2(log2_two_eta) / 2.0;
    eta = eta_min < cap ? eta_min : cap;
    list_size = 1.0 / (2.0 * eta * sqrt_rho);
    query_bits = -std::log2(sqrt_rho + eta);
  }
};

}  // namespace pcs_detail

// Out-of-domain samples s so that C(L,2) (2^m / |K|)^s <= 2^-lambda.
inline uint32_t whir_ood_samples(uint32_t num_vars, double log_inv_rate, uint32_t lambda) {
  const pcs_detail::Johnson j(num_vars, log_inv_rate, lambda);
  const double per_sample = kPcsLog2ExtensionField - num_vars;
  const double need = lambda + pcs_detail::log2_binom2(j.list_size);
  uint32_t s = 1;
  while (s * per_sample < need) ++s;
  return s;
}

// Queries t with (1 - delta)^t <= 2^-(lambda - pow_bits).
inline uint32_t whir_queries(uint32_t num_vars, double log_inv_rate, uint32_t lambda, uint32_t pow_bits) {
  const pcs_detail::Johnson j(num_vars, log_inv_rate, lambda);
  const double need = lambda > pow_bits ? lambda - pow_bits : 0.0;
  const double t = std::ceil(need / j.query_bits - 1e-9);
  return t < 1.0 ? 1u : static_cast<uint32_t>(t);
}

// The round schedule of a WHIR instance; valid == false when the spec is out
// of range (no variables, domain beyond 2^32, too many rounds). Whether it
// reaches spec.security_bits is whir_meets_security's question.
inline WhirSchedule whir_schedule(const WhirSpec& spec) {
  WhirSchedule s;
  s.spec = spec;
  if (spec.num_vars == 0 || spec.num_vars > kPcsMaxVars || spec.first_fold_bits == 0 || spec.fold_bits == 0 ||
      spec.log_inv_rate == 0 || spec.security_bits == 0 || spec.security_bits > 256 || spec.pow_bits > 40 ||
      spec.domain_shift == 0 || spec.domain_shift >= Goldilocks::kModulus)
    return s;
  if (spec.num_vars + spec.log_inv_rate > Goldilocks::kTwoAdicity) return s;
  uint32_t m = spec.num_vars;
  uint32_t log_n = spec.num_vars + spec.log_inv_rate;
  s.commit_ood = whir_ood_samples(m, spec.log_inv_rate, spec.security_bits);
  uint32_t r = 0;
  while (true) {
    if (r == kPcsMaxRounds) return s;
    WhirRound& rd = s.rounds[r];
    const uint32_t k = r == 0 ? spec.first_fold_bits : spec.fold_bits;
    rd.num_vars = m;
    rd.fold_bits = k < m ? k : m;
    rd.log_domain = log_n;
    rd.pow_bits = spec.pow_bits;
    rd.queries = whir_queries(m, static_cast<double>(log_n) - m, spec.security_bits, rd.pow_bits);
    const uint32_t next_m = m - rd.fold_bits;
    ++r;
    if (next_m <= spec.final_vars_max) {
      rd.next_ood = 0;
      s.final_vars = next_m;
      break;
    }
    const uint32_t shrink = r == 1 ? spec.first_domain_shrink : 1;
    if (shrink >= log_n || log_n - shrink <= next_m) return s;  // the next code would have rate >= 1
    log_n -= shrink;
    rd.next_ood = whir_ood_samples(next_m, static_cast<double>(log_n) - next_m, spec.security_bits);
    m = next_m;
  }
  s.num_rounds = r;
  s.valid = true;
  return s;
}

// -log2 of each round-by-round soundness error of a WHIR instance, plus its
// proof of work (docs/PROTOCOL.md §9.5). min_bits is the security level.
struct WhirSecurity {
  double commit_ood = 0;                      // uniqueness of P_0 in its list (commitment OOD)
  std::array<double, kPcsMaxRounds> fold{};   // each sumcheck (folding) step of round j
  std::array<double, kPcsMaxRounds> ood{};    // OOD samples on P_{j+1}
  std::array<double, kPcsMaxRounds> query{};  // shift queries of round j (final check in the last)
  double min_bits = 0;
};

inline WhirSecurity whir_security(const WhirSchedule& s) {
  WhirSecurity out;
  if (!s.valid) return out;
  const double lk = kPcsLog2ExtensionField;
  const uint32_t lambda = s.spec.security_bits;
  auto ood_bits = [&](uint32_t m, double lir, uint32_t samples) {
    const pcs_detail::Johnson j(m, lir, lambda);
    return samples * (lk - m) - pcs_detail::log2_binom2(j.list_size);
  };
  out.commit_ood = ood_bits(s.spec.num_vars, s.spec.log_inv_rate, s.commit_ood);
  double mn = out.commit_ood;
  for (uint32_t r = 0; r < s.num_rounds; ++r) {
    const WhirRound& rd = s.rounds[r];
    const pcs_detail::Johnson j(rd.num_vars, rd.log_inv_rate(), lambda);
    // Folding: d L / |K| + err*, err* = 2^(2m) / (|K| (2 eta)^7) (mutual
    // correlated agreement up to the Johnson bound, WHIR Thm 4.8).
    const double err_star = 2.0 * rd.num_vars - lk - 7.0 * std::log2(2.0 * j.eta);
    const double list_term = std::log2(kPcsSumcheckDegree * j.list_size) - lk;
    const double fold = -std::log2(std::exp2(err_star) + std::exp2(list_term));
    out.fold[r] = fold;
    mn = fold < mn ? fold : mn;
    const bool last = r + 1 == s.num_rounds;
    double q = rd.queries * j.query_bits;  // -log2 (1 - delta)^t
    if (!last) {
      const WhirRound& nx = s.rounds[r + 1];
      const pcs_detail::Johnson jn(nx.num_vars, nx.log_inv_rate(), lambda);
      out.ood[r] = ood_bits(nx.num_vars, nx.log_inv_rate(), rd.next_ood);
      mn = out.ood[r] < mn ? out.ood[r] : mn;
      // The shift step also pays for the combination randomness: L (t + s) / |K|.
      const double comb = std::log2(jn.list_size * (rd.queries + rd.next_ood)) - lk;
      q = -std::log2(std::exp2(-q) + std::exp2(comb));
    }
    out.query[r] = q + rd.pow_bits;
    mn = out.query[r] < mn ? out.query[r] : mn;
  }
  out.min_bits = mn;
  return out;
}

// Whether every round-by-round error of a schedule is at most 2^-lambda. A
// layout is only valid where both its runs do (docs/PROTOCOL.md §9.5): where
// even the largest eta of the Johnson bound leaves a folding step above
// 2^-lambda (a large table at a low rate), pcs_layout refuses the size.
inline bool whir_meets_security(const WhirSchedule& s) {
  return s.valid && whir_security(s).min_bits >= s.spec.security_bits;
}

// ---------------------------------------------------------------------------
// Zero-knowledge layout (docs/PROTOCOL.md §9.4).
//
// The committed polynomial is f^ = f + M with M(x) = sum_w g_w(x restricted to
// the window W_w = [start, start + width)), each g_w a uniformly random table
// of base-field values. The g_w, stacked (largest first, aligned), form the
// helper table G, committed in its own salted tree and opened by a second
// WHIR instance at the points where the claims read the windows. G has no
// padding: everything the helper run shows about G is counted against every
// window (§9.4, rule (Z)).

struct PcsWindow {
  uint32_t start = 0;   // first variable of the window
  uint32_t width = 0;   // number of variables; g_w has 2^width values
  uint64_t offset = 0;  // where g_w's table starts inside G (a multiple of 2^width)
};

// A named parameter set. Only sets whose name says so rely on conjectures.
struct PcsParams {
  const char* name = "";
  WhirSpec main{};             // num_vars is filled in per commitment
  WhirSpec helper{};           // num_vars is derived from the windows
  bool zero_knowledge = true;
  uint32_t max_openings = 3;   // WHIR runs a commitment may bear (§9.4)
  uint32_t max_claims = 32;    // evaluation claims per opening
};

struct PcsLayout {
  bool valid = false;
  PcsParams params{};
  // main.spec.num_vars may exceed the variables asked for: a zero-knowledge
  // table too small for its mask windows is zero-padded (§9.4).
  WhirSchedule main{}, helper{};
  uint32_t num_windows = 0;
  std::array<PcsWindow, kPcsMaxWindows> windows{};
  // Base-field dimensions one opening reveals: of the main polynomial (all
  // rounds) and of G (the helper run, rule (Z)'s leak(helper)).
  uint64_t main_view_dims = 0, helper_view_dims = 0;
  // Base-field dimensions each window must absorb, and 2^width >= it.
  std::array<uint64_t, kPcsMaxWindows> window_demand{};
};

namespace pcs_detail {

inline uint32_t ceil_log2(uint64_t x) {
  uint32_t k = 0;
  while ((uint64_t{1} << k) < x) ++k;
  return k;
}

// Values (in K) one run reveals about P_j, capped by P_j's dimension 2^m_j:
// for j < R the round's leaves, its sumcheck messages and the OOD answers on
// P_j drawn in round j-1; for j = R the final polynomial.
inline uint64_t round_views(const WhirSchedule& s, uint32_t j) {
  if (j == s.num_rounds) return uint64_t{1} << s.final_vars;
  const WhirRound& rd = s.rounds[j];
  const WhirRound* prev = j == 0 ? nullptr : &s.rounds[j - 1];
  uint64_t v = (uint64_t{rd.queries} << rd.fold_bits) + 2ull * rd.fold_bits + (prev ? prev->next_ood : 0);
  const uint64_t cap = uint64_t{1} << rd.num_vars;
  return v < cap ? v : cap;
}

// Base-field dimensions round j of one run reveals (round-0 leaves are base
// field values; everything else is in K, 3 coordinates each). Commitment OOD
// answers are not included (they are shown once, not per opening).
inline uint64_t round_view_dims(const WhirSchedule& s, uint32_t j) {
  if (j > 0) return 3 * round_views(s, j);
  const WhirRound& r0 = s.rounds[0];
  uint64_t rows = uint64_t{r0.queries} << r0.fold_bits;
  const uint64_t cap0 = uint64_t{1} << r0.num_vars;
  if (rows > cap0) rows = cap0;
  return rows + 3ull * 2 * r0.fold_bits;
}

inline uint64_t instance_view_dims(const WhirSchedule& s) {
  uint64_t d = 0;
  for (uint32_t j = 0; j <= s.num_rounds; ++j) d += round_view_dims(s, j);
  return d;
}

// Variables folded before round j (K_j); K_R = m - final_vars.
inline uint32_t folded_before(const WhirSchedule& s, uint32_t j) {
  uint32_t k = 0;
  for (uint32_t i = 0; i < j; ++i) k += s.rounds[i].fold_bits;
  return k;
}

// Rule (Z) of docs/PROTOCOL.md §9.4: the base-field dimensions window j =
// [start, end) must absorb. Per opening: the views of its own round j (for
// window 0 also the commitment's OOD answers, once), what every later round
// i > j shows of it (at most min(D_i, 2^(end - K_i)) values of K: folding has
// bound its variables below K_i), the claims' mask values mu (3 per claim),
// and the helper run's views of G (leak(helper)); plus the helper's
// commitment OOD answers, once.
inline uint64_t window_demand(const WhirSchedule& s, uint32_t j, uint32_t end, uint64_t openings, uint64_t claims,
                              uint64_t helper_leak, uint64_t helper_commit_dims) {
  uint64_t per = round_view_dims(s, j) + 3 * claims + helper_leak;
  for (uint32_t i = j + 1; i <= s.num_rounds; ++i) {
    const uint32_t ki = folded_before(s, i);
    const uint64_t alive = end > ki ? uint64_t{1} << (end - ki) : 1;
    const uint64_t d = round_views(s, i);
    per += 3 * (d < alive ? d : alive);
  }
  uint64_t total = openings * per + helper_commit_dims;
  if (j == 0) total += 3ull * s.commit_ood;
  return total;
}

// Places the windows' tables in G, largest first, each at a multiple of its
// size; returns G's length.
inline uint64_t place_blocks(PcsLayout& l) {
  uint64_t offset = 0;
  for (int w = 40; w >= 0; --w)
    for (uint32_t i = 0; i < l.num_windows; ++i)
      if (l.windows[i].width == static_cast<uint32_t>(w)) {
        l.windows[i].offset = offset;
        offset += uint64_t{1} << w;
      }
  return offset;
}

// Windows for a main schedule, given the helper's leak; false when some
// window cannot fit in the table (the caller then pads the table).
inline bool place_windows(PcsLayout& l, uint64_t helper_leak, uint64_t helper_commit_dims) {
  const WhirSchedule& s = l.main;
  const uint32_t m = s.spec.num_vars;
  const uint64_t n = l.params.max_openings, c = l.params.max_claims;
  // A folded window is K-valued only if at least 2^fold_min base values of g
  // feed each value of K in each of the n openings (3n base coordinates).
  const uint32_t fold_min = ceil_log2(3 * n) + 1;
  uint32_t nw = 0;
  for (uint32_t j = 0; j <= s.num_rounds; ++j) {
    PcsWindow w{};
    const uint32_t kj = folded_before(s, j);
    if (j == 0) {
      // Window 0 = [0, width): base-valued in round 0, which it hides.
      uint32_t width = 1;
      while (width <= m && (uint64_t{1} << width) <= window_demand(s, 0, width, n, c, helper_leak, helper_commit_dims))
        ++width;
      if (width > m) return false;
      w = PcsWindow{0, width, 0};
    } else {
      // Window j >= 1 straddles K_j: its part above K_j is alive in round j
      // and wide enough for round j's D_j values of K; its part below K_j is
      // folded, which makes those values uniform in K.
      const uint32_t mj = m - kj;
      uint32_t alive = ceil_log2(round_views(s, j));
      if (alive > mj) alive = mj;
      uint32_t end = kj + alive;
      while (true) {
        const uint64_t d = window_demand(s, j, end, n, c, helper_leak, helper_commit_dims);
        uint32_t width = ceil_log2(d + 1);
        const uint32_t below = fold_min < kj ? fold_min : kj;
        if (width < end - kj + below) width = end - kj + below;
        if (width <= end) {
          w = PcsWindow{end - width, width, 0};
          break;
        }
        // Not enough variables below K_j: extend the window upwards.
        if (end == m) return false;
        ++end;
      }
    }
    l.window_demand[nw] = window_demand(s, j, w.start + w.width, n, c, helper_leak, helper_commit_dims);
    if ((uint64_t{1} << w.width) <= l.window_demand[nw]) return false;
    l.windows[nw++] = w;
  }
  l.num_windows = nw;
  return true;
}

}  // namespace pcs_detail

// The schedules and mask windows for a commitment to a table of 2^num_vars
// values under `params`. Zero-knowledge layouts may pad: main.spec.num_vars
// is then the smallest m >= num_vars whose windows meet rule (Z) (§9.4).
inline PcsLayout pcs_layout(const PcsParams& params, uint32_t num_vars) {
  using namespace pcs_detail;
  PcsLayout l;
  l.params = params;
  l.params.main.num_vars = num_vars;
  l.main = whir_schedule(l.params.main);
  if (!l.main.valid) return l;
  l.main_view_dims = instance_view_dims(l.main);
  if (!params.zero_knowledge) {
    l.valid = whir_meets_security(l.main);
    return l;
  }
  if (params.max_openings == 0 || params.max_claims == 0) return l;
  // The helper folds down to a constant: fewer of its values are shown.
  l.params.helper.final_vars_max = 0;
  for (uint32_t m = num_vars; m <= kPcsMaxVars; ++m) {
    l.params.main.num_vars = m;
    l.main = whir_schedule(l.params.main);
    if (!l.main.valid) return l;
    l.main_view_dims = instance_view_dims(l.main);
    // Fixed point: the windows depend on the helper's leak, which depends on
    // G's size, which depends on the windows. The leak only grows with G.
    uint64_t leak = 0, commit_dims = 0;
    bool placed = false;
    for (int iter = 0; iter < 32; ++iter) {
      placed = place_windows(l, leak, commit_dims);
      if (!placed) break;
      const uint64_t g_size = place_blocks(l);
      l.params.helper.num_vars = ceil_log2(g_size);
      if (l.params.helper.num_vars == 0) l.params.helper.num_vars = 1;
      l.helper = whir_schedule(l.params.helper);
      if (!l.helper.valid) return l;
      const uint64_t new_leak = instance_view_dims(l.helper);
      const uint64_t new_commit = 3ull * l.helper.commit_ood;
      if (new_leak <= leak && new_commit <= commit_dims) {
        l.helper_view_dims = leak;
        l.valid = whir_meets_security(l.main) && whir_meets_security(l.helper);
        return l;
      }
      leak = new_leak > leak ? new_leak : leak;
      commit_dims = new_commit > commit_dims ? new_commit : commit_dims;
    }
    if (placed) return l;  // no fixed point: refuse
  }
  return l;
}

// ---------------------------------------------------------------------------
// Named parameter sets (docs/PROTOCOL.md §9.5).

// The default: provable (Johnson regime) 100-bit security, zero knowledge.
inline PcsParams pcs_params_default() {
  PcsParams p;
  p.name = "zkpot-pcs-whir-jb100-zk";
  p.main.log_inv_rate = 1;
  p.main.first_fold_bits = 5;
  p.main.fold_bits = 4;
  p.main.final_vars_max = 7;
  p.main.first_domain_shrink = 3;
  // 20 grinding bits per round (both runs): a 2^24 opening has 8 fewer
  // round-0 queries than at 16 bits, each a 256-byte leaf and its path, and
  // 259.5 KB becomes 244.2 KB, for about 2^20 hashes per round
  // (docs/PROTOCOL.md §9.5; bench/README.md, "Polynomial commitment").
  p.main.pow_bits = 20;
  p.main.security_bits = 100;
  // Cosets outside every 2-power subgroup: no domain point x has
  // x^(2^i) = -1, so no factor (1 + x^(2^i)) of a window's mask vanishes
  // there (docs/PROTOCOL.md §9.4); main and helper cosets are distinct.
  p.main.domain_shift = Goldilocks::kGenerator;
  p.helper = p.main;
  p.helper.log_inv_rate = 6;
  p.helper.first_fold_bits = 4;
  p.helper.first_domain_shrink = 2;
  p.helper.domain_shift = kPcsHelperShift;
  p.zero_knowledge = true;
  p.max_openings = 3;
  p.max_claims = 32;
  return p;
}

// For tests only: low security so that small instances have few queries. Not
// for proofs anyone relies on.
inline PcsParams pcs_params_test(uint32_t security_bits, bool zero_knowledge) {
  PcsParams p = pcs_params_default();
  p.name = zero_knowledge ? "zkpot-pcs-test-zk" : "zkpot-pcs-test";
  p.main.security_bits = security_bits;
  p.main.pow_bits = 0;
  p.main.first_fold_bits = 2;
  p.main.fold_bits = 2;
  p.main.final_vars_max = 1;
  p.main.first_domain_shrink = 1;
  p.helper = p.main;
  p.helper.log_inv_rate = 2;
  p.helper.domain_shift = kPcsHelperShift;
  p.zero_knowledge = zero_knowledge;
  p.max_openings = 2;
  p.max_claims = 4;
  return p;
}

// The security level of a layout: the smaller of the two instances.
inline double pcs_security_bits(const PcsLayout& l) {
  const double a = whir_security(l.main).min_bits;
  if (!l.params.zero_knowledge) return a;
  const double b = whir_security(l.helper).min_bits;
  return a < b ? a : b;
}

// A digest of everything that determines the protocol: bound into every
// opening's transcript and carried by proofs, so a proof made under one
// parameter set is rejected under another (kParameterMismatch).
inline Blake2b256::Digest pcs_layout_digest(const PcsLayout& l) {
  Blake2b256::State st(personal::kStatement);
  const char tag[] = "zkpot-pcs-v2";
  st.update(tag, sizeof tag - 1);
  auto spec = [&](const WhirSchedule& s) {
    const WhirSpec& p = s.spec;
    for (uint64_t x : {uint64_t{p.num_vars}, uint64_t{p.log_inv_rate}, uint64_t{p.first_fold_bits},
                       uint64_t{p.fold_bits}, uint64_t{p.final_vars_max}, uint64_t{p.first_domain_shrink},
                       uint64_t{p.pow_bits}, uint64_t{p.security_bits}, p.domain_shift, uint64_t{s.num_rounds}})
      st.update_u64(x);
    for (uint32_t r = 0; r < s.num_rounds; ++r)
      for (uint64_t x : {uint64_t{s.rounds[r].queries}, uint64_t{s.rounds[r].next_ood}}) st.update_u64(x);
  };
  spec(l.main);
  st.update_u64(l.params.zero_knowledge ? 1 : 0);
  if (l.params.zero_knowledge) {
    spec(l.helper);
    st.update_u64(l.num_windows);
    for (uint32_t i = 0; i < l.num_windows; ++i)
      for (uint64_t x : {uint64_t{l.windows[i].start}, uint64_t{l.windows[i].width}, l.windows[i].offset})
        st.update_u64(x);
    st.update_u64(l.params.max_openings);
    st.update_u64(l.params.max_claims);
  }
  st.update_u64(Blake2b256::kHashId);
  return st.finalize();
}

}  // namespace zkpot
