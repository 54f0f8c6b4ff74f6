// The per-step training proof as one script, run by the prover and by the
// verifier (docs/PROTOCOL.md §12.3). A Role provides the sub-protocols:
// the prover's proves and appends messages, the verifier's reads and checks
// them; both absorb exactly the same messages, so the transcript and the
// order of the proof's values are defined in this one place.
//
// Role interface (every call returns kOk or the failing status, and a
// failing verifier records the check's name):
//   zerocheck(name, StackedRelation), rowsum(name, RowSumStatement),
//   matmul(name, MatmulStatement, c_claim), linear(name, LinearRelationStatement),
//   logup(name, LogupStatement, transposed columns),
//   state(tensor id, point, &value): the tensor's MLE at point, stated and absorbed,
//   check(name, bool): a relation checked on stated values.
// Claims the sub-protocols emit go to the role's router (common/training_layout.h
// decides where each tensor lives).
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "common/extension.h"
#include "common/gadget_common.h"
#include "common/gadget_linear.h"
#include "common/gadget_matmul.h"
#include "common/gadget_product_sum.h"
#include "common/gadget_rowsum.h"
#include "common/gadget_zerocheck.h"
#include "common/logup.h"
#include "common/training_layout.h"
#include "common/training_setup.h"
#include "common/transcript.h"

namespace zkpot {

enum class TrainingStatus : uint8_t {
  kOk = 0,
  kBadSetup,               // the setup breaks a cap or a shape rule
  kScratchTooSmall,        // the caller's arena is smaller than training_segment_scratch_bytes
  kMalformedSegment,       // the segment map does not follow docs/FORMAT.md "Training segment"
  kChainMismatch,          // the segment does not start where the chain state says
  kWeightCommitmentMismatch,  // a carried weight commitment does not hash to the chain digest
  kLookupRejected,         // a LogUp (range, normalisation, exp) rejected
  kZerocheckRejected,      // an entry-wise relation fails
  kRowSumRejected,         // a row or column sum fails
  kMatmulRejected,         // a matrix product fails
  kLinearRelationRejected, // a linear relation (rescale, update, recomposition) fails
  kStatedValueMismatch,    // a broadcast relation on stated values fails
  kPublicTensorMismatch,   // a claim on a public tensor is false
  kDatasetCheckRejected,   // the segment's dataset binding fails
  kClaimBatchingRejected,  // batching the pending claims of one commitment fails
  kOpeningRejected,        // a polynomial-commitment opening fails
  kProofTooShort,          // the proof's value stream ended early
  kTrailingProofData,      // values left over in the proof's stream
};

inline const char* training_status_name(TrainingStatus s) {
  switch (s) {
    case TrainingStatus::kOk: return "ok";
    case TrainingStatus::kBadSetup: return "bad training setup";
    case TrainingStatus::kScratchTooSmall: return "scratch too small";
    case TrainingStatus::kMalformedSegment: return "malformed training segment";
    case TrainingStatus::kChainMismatch: return "segment does not continue the chain";
    case TrainingStatus::kWeightCommitmentMismatch: return "weight commitment does not match the chain";
    case TrainingStatus::kLookupRejected: return "lookup rejected";
    case TrainingStatus::kZerocheckRejected: return "entry-wise relation rejected";
    case TrainingStatus::kRowSumRejected: return "row/column sum rejected";
    case TrainingStatus::kMatmulRejected: return "matrix product rejected";
    case TrainingStatus::kLinearRelationRejected: return "linear relation rejected";
    case TrainingStatus::kStatedValueMismatch: return "broadcast relation rejected";
    case TrainingStatus::kPublicTensorMismatch: return "claim on a public tensor is false";
    case TrainingStatus::kDatasetCheckRejected: return "dataset binding rejected";
    case TrainingStatus::kClaimBatchingRejected: return "claim batching rejected";
    case TrainingStatus::kOpeningRejected: return "commitment opening rejected";
    case TrainingStatus::kProofTooShort: return "proof too short";
    case TrainingStatus::kTrailingProofData: return "trailing proof data";
  }
  return "unknown";
}

// Virtual handles: claims the script converts before routing.
inline constexpr uint64_t kTrainingLabelsHandle = 1u << 20;   // labels = pixels at column n_0
inline constexpr uint64_t kTrainingMatmulOutput = 1u << 21;   // a product the script takes apart
inline constexpr uint64_t kTrainingGammaHandle = 1u << 22;    // (1, gamma, gamma^2, ...): dataset rows
inline constexpr uint64_t kTrainingDatasetHandle = 1u << 23;  // the committed dataset matrix

// The MLE of a public tensor at point = (r_col, r_row).
template <class E>
E training_public_mle(const TensorInfo& t, std::span<const E> point) {
  const std::span<const E> rc = point.subspan(0, t.col_bits), rr = point.subspan(t.col_bits, t.row_bits);
  const E region = prefix_indicator_mle<E>(rc, t.cols) * prefix_indicator_mle<E>(rr, t.rows);
  switch (t.pub) {
    case PublicTensor::kOnes: return region;
    case PublicTensor::kZeros: return E::zero();
    case PublicTensor::kRegionComplement: return E::one() - region;
    case PublicTensor::kColumnIndex: {
      E acc = E::zero();
      for (uint64_t j = 1; j < t.cols; ++j) acc += E::from_u64(j) * eq_at_index<E>(rc, j);
      return acc * prefix_indicator_mle<E>(rr, t.rows);
    }
    case PublicTensor::kNone: break;
  }
  return E::zero();
}

// Gamma~(s) for Gamma_k = gamma^k, k < 2^|s|: prod_i (1 - s_i + s_i gamma^(2^i)).
template <class E>
E training_gamma_mle(const E& gamma, std::span<const E> s) {
  E acc = E::one(), g = gamma;
  for (const E& si : s) {
    acc *= E::one() - si + si * g;
    g *= g;
  }
  return acc;
}

// The public lookup tables as base-field columns (the verifier keeps them in its arena).
struct TrainingTables {
  std::span<const Gl> norm;    // 256
  std::span<const Gl> exp_hi;  // 2^16
  std::span<const Gl> exp_lo;  // 2^16
  // logup_column_digest of each, computed once per segment rather than
  // hashed again by every lookup that uses the table (docs/PROTOCOL.md §5.2).
  std::array<uint8_t, 32> norm_digest{}, exp_hi_digest{}, exp_lo_digest{};

  // Not an aggregate: TrainingTables{norm, hi, lo} would leave the digests
  // zero, and function_table would then absorb them; build with over().
  TrainingTables() = default;

  static TrainingTables over(std::span<const Gl> norm, std::span<const Gl> exp_hi, std::span<const Gl> exp_lo) {
    TrainingTables t;
    t.norm = norm;
    t.exp_hi = exp_hi;
    t.exp_lo = exp_lo;
    t.norm_digest = logup_column_digest<Blake2b256, Gl>(norm);
    t.exp_hi_digest = logup_column_digest<Blake2b256, Gl>(exp_hi);
    t.exp_lo_digest = logup_column_digest<Blake2b256, Gl>(exp_lo);
    return t;
  }
  // The tables as filled by fill_training_tables(setup, ...), their digests
  // taken from `cache` when it holds this setup's, else computed and stored
  // there: a verifier checking several segments of one statement hashes the
  // 1 MiB of tables once (docs/PROTOCOL.md §5.2).
  static TrainingTables over_cached(const TrainingSetup& setup, std::span<const Gl> norm,
                                    std::span<const Gl> exp_hi, std::span<const Gl> exp_lo,
                                    TrainingTableDigests* cache);
  // The function table (index, values) with its cached value digest.
  static LookupTable<Gl> function_table(uint32_t log_size, std::span<const Gl> values,
                                        const std::array<uint8_t, 32>& digest) {
    LookupTable<Gl> t = LookupTable<Gl>::function(log_size, values);
    t.column_digests[1] = digest;
    t.digest_mask = 1u << 1;
    return t;
  }
};

inline TrainingTables TrainingTables::over_cached(const TrainingSetup& setup, std::span<const Gl> norm,
                                                  std::span<const Gl> exp_hi, std::span<const Gl> exp_lo,
                                                  TrainingTableDigests* cache) {
  if (cache != nullptr && cache->holds(setup)) {
    TrainingTables t;
    t.norm = norm;
    t.exp_hi = exp_hi;
    t.exp_lo = exp_lo;
    t.norm_digest = cache->norm;
    t.exp_hi_digest = cache->exp_hi;
    t.exp_lo_digest = cache->exp_lo;
    return t;
  }
  const TrainingTables t = over(norm, exp_hi, exp_lo);
  if (cache != nullptr)
    *cache = TrainingTableDigests{true,           setup.normalisation, setup.act_frac_bits, setup.exp_frac_bits,
                                  t.norm_digest, t.exp_hi_digest,     t.exp_lo_digest};
  return t;
}

inline void fill_training_tables(const TrainingSetup& s, std::span<Gl> norm, std::span<Gl> exp_hi,
                                 std::span<Gl> exp_lo) {
  for (size_t v = 0; v < norm.size(); ++v)
    norm[v] = Gl::from_i64(training_normalisation_value(s.normalisation, s.act_frac_bits, static_cast<int64_t>(v)));
  // training_exp_value(.., i, high) for every i, sharing work (common/training_tables.h).
  training_exp_fill(16, s.act_frac_bits, s.exp_frac_bits, exp_hi.size(),
                    [&](size_t i, int64_t v) { exp_hi[i] = Gl::from_i64(v); });
  training_exp_fill(0, s.act_frac_bits, s.exp_frac_bits, exp_lo.size(),
                    [&](size_t i, int64_t v) { exp_lo[i] = Gl::from_i64(v); });
}

#define ZKPOT_TRAINING_TRY(expr)                                          \
  do {                                                                    \
    if (const TrainingStatus _st = (expr); _st != TrainingStatus::kOk) return _st; \
  } while (0)

namespace training_detail {

using E = GlExt3;

template <class Role>
TrainingStatus binary_check(Role& role, const char* name, std::span<const uint32_t> ids, const TrainingLayout& l) {
  const std::array<ProductTerm<E>, 2> terms{ProductTerm<E>::of(E::one(), {0}), ProductTerm<E>::of(-E::one(), {0, 0})};
  std::array<CommitmentHandle, 8> handles{};
  for (size_t i = 0; i < ids.size(); ++i) handles[i] = l.h(ids[i]);
  StackedRelation<E> st;
  st.num_vars = l.t(ids[0]).vars();
  st.num_instances = static_cast<uint32_t>(ids.size());
  st.num_factors = 1;
  st.terms = terms;
  st.handles = std::span<const CommitmentHandle>(handles.data(), ids.size());
  st.zero_knowledge = false;
  return role.zerocheck(name, st);
}

// T * complement = 0: the padding of each T is zero.
template <class Role>
TrainingStatus padding_check(Role& role, const char* name, std::span<const uint32_t> ids, uint32_t complement,
                             const TrainingLayout& l) {
  const std::array<ProductTerm<E>, 1> terms{ProductTerm<E>::of(E::one(), {0, 1})};
  std::array<CommitmentHandle, 16> handles{};
  for (size_t i = 0; i < ids.size(); ++i) {
    handles[2 * i] = l.h(ids[i]);
    handles[2 * i + 1] = l.h(complement);
  }
  StackedRelation<E> st;
  st.num_vars = l.t(ids[0]).vars();
  st.num_instances = static_cast<uint32_t>(ids.size());
  st.num_factors = 2;
  st.terms = terms;
  st.handles = std::span<const CommitmentHandle>(handles.data(), 2 * ids.size());
  st.zero_knowledge = false;
  return role.zerocheck(name, st);
}

// sum_t c_t prod T_k = 0 on one instance.
template <class Role>
TrainingStatus relation(Role& role, const char* name, const TrainingLayout& l, std::span<const uint32_t> ids,
                        std::span<const ProductTerm<E>> terms) {
  std::array<CommitmentHandle, kMaxRelationFactors> handles{};
  for (size_t i = 0; i < ids.size(); ++i) handles[i] = l.h(ids[i]);
  StackedRelation<E> st;
  st.num_vars = l.t(ids[0]).vars();
  st.num_instances = 1;
  st.num_factors = static_cast<uint32_t>(ids.size());
  st.terms = terms;
  st.handles = std::span<const CommitmentHandle>(handles.data(), ids.size());
  st.zero_knowledge = false;
  return role.zerocheck(name, st);
}

// S = row (or column) sums of prod of the factors.
template <class Role>
TrainingStatus row_sum(Role& role, const char* name, const TrainingLayout& l, std::span<const uint32_t> ids,
                       SumAxis axis, uint64_t sums_handle) {
  const TensorInfo& t0 = l.t(ids[0]);
  ProductTerm<E> term;
  term.coeff = E::one();
  term.num_factors = static_cast<uint32_t>(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) term.factors[i] = static_cast<uint32_t>(i);
  const std::array<ProductTerm<E>, 1> terms{term};
  std::array<CommitmentHandle, 4> handles{};
  for (size_t i = 0; i < ids.size(); ++i) handles[i] = l.h(ids[i]);
  RowSumStatement<E> st;
  st.relation.num_vars = t0.vars();
  st.relation.num_instances = 1;
  st.relation.num_factors = static_cast<uint32_t>(ids.size());
  st.relation.terms = terms;
  st.relation.handles = std::span<const CommitmentHandle>(handles.data(), ids.size());
  st.relation.zero_knowledge = false;
  st.row_bits = t0.row_bits;
  st.col_bits = t0.col_bits;
  st.axis = axis;
  st.sums = CommitmentHandle{sums_handle};
  return role.rowsum(name, st);
}

// sum_k c_k T_k + constant 1[active] = 0, at a fresh point.
template <class Role>
TrainingStatus linear(Role& role, const char* name, const TrainingLayout& l,
                      std::span<const std::pair<uint32_t, E>> terms, const E& constant) {
  std::array<LinearTerm<E>, kMaxLinearTerms> lt{};
  for (size_t i = 0; i < terms.size(); ++i) lt[i] = LinearTerm<E>{l.h(terms[i].first), terms[i].second, false};
  const TensorInfo& t0 = l.t(terms[0].first);
  LinearRelationStatement<E> st;
  st.row_bits = t0.row_bits;
  st.col_bits = t0.col_bits;
  st.terms = std::span<const LinearTerm<E>>(lt.data(), terms.size());
  st.constant = constant;
  st.active_rows = t0.rows;
  st.active_cols = t0.cols;
  return role.linear(name, st);
}

// A fresh point for tensor id (its own vars), drawn after everything committed.
template <class Role>
void draw(Role& role, const char* label, std::span<E> out) {
  role.transcript().absorb_bytes("train.point", reinterpret_cast<const uint8_t*>(label),
                                 std::char_traits<char>::length(label));
  role.transcript().template challenges<E>("train.r", out.data(), out.size());
}

inline E ei(int64_t v) { return E::from_i64(v); }

}  // namespace training_detail

// Runs every relation of one step (docs/PROTOCOL.md §12.3) after the step's
// commitments were absorbed.
template <class Role>
TrainingStatus run_training_step(Role& role, const TrainingSetup& s, const TrainingLayout& l,
                                 const TrainingTables& tables) {
  using namespace training_detail;
  const uint32_t bb = l.batch_bits;
  const uint64_t B = s.batch, C = s.classes();
  const TrainingSoftmaxTensors& sm = l.softmax;
  std::array<E, kMaxClaimVariables> pt{};
  auto point = [&](uint32_t n) { return std::span<E>(pt.data(), n); };

  // Inputs: normalisation lookup on (pixel, input) over the active columns.
  {
    LogupStatement<Gl> st;
    st.num_vars = l.t(l.pixels).vars();
    st.num_lookups = uint64_t{s.inputs()} * B;  // transposed, the active columns are a prefix
    st.table = TrainingTables::function_table(8, tables.norm, tables.norm_digest);
    st.witness[0] = l.h(l.pixels);
    st.witness[1] = l.h(l.inputs);
    st.multiplicities = l.h(l.norm_mult);
    ZKPOT_TRAINING_TRY(role.logup("input.normalisation", st, {true, true, false, false}));
  }
  // One-hot labels, argmax indicator and clamp indicator: binary, padding zero.
  {
    const std::array<uint32_t, 3> bin{l.onehot, sm.e, sm.c};
    ZKPOT_TRAINING_TRY(binary_check(role, "onehot/argmax/clamp.binary", bin, l));
    const std::array<uint32_t, 3> pad{l.onehot, sm.e, sm.ex};
    ZKPOT_TRAINING_TRY(padding_check(role, "onehot/argmax/exp.padding", pad, l.class_complement, l));
    const std::array<uint32_t, 1> y{l.onehot};
    ZKPOT_TRAINING_TRY(row_sum(role, "input.onehot_sum", l, y, SumAxis::kEachRow, l.ones_rows));
    const std::array<uint32_t, 2> yj{l.onehot, l.class_index};
    ZKPOT_TRAINING_TRY(row_sum(role, "input.onehot_label", l, yj, SumAxis::kEachRow, kTrainingLabelsHandle));
  }

  // Forward pass.
  for (uint32_t i = 0; i < l.layers; ++i) {
    const TrainingLayerTensors& t = l.layer[i];
    const TensorInfo& z = l.t(t.z);
    const uint32_t a_in = i == 0 ? l.inputs : l.layer[i - 1].a;
    const std::span<E> r = point(z.vars());
    draw(role, "forward.matmul", r);
    E zv, bv;
    ZKPOT_TRAINING_TRY(role.state(t.z, r, &zv));
    ZKPOT_TRAINING_TRY(role.state(t.b, r.first(z.col_bits), &bv));
    MatmulStatement ms;
    ms.shape = MatmulShape{bb, l.t(a_in).col_bits, z.col_bits, false, true};
    ms.a = l.h(a_in);
    ms.b = l.h(t.w);
    ms.c = CommitmentHandle{kTrainingMatmulOutput};
    ms.zero_knowledge = false;
    PendingClaim<E> c;
    if (!PendingClaim<E>::make_evaluation(ms.c, r, zv - ei(int64_t{1} << s.act_frac_bits) * bv, &c))
      return TrainingStatus::kBadSetup;
    ZKPOT_TRAINING_TRY(role.matmul("forward.matmul", ms, c));
    const std::array<std::pair<uint32_t, E>, 3> resc{
        {{t.z, E::one()}, {t.q, -ei(int64_t{1} << s.weight_frac_bits)}, {t.r, -E::one()}}};
    ZKPOT_TRAINING_TRY(linear(role, "forward.rescale", l, resc, ei(int64_t{1} << (s.weight_frac_bits - 1))));
    if (t.s != kNoTensor) {
      const std::array<uint32_t, 1> sb{t.s};
      ZKPOT_TRAINING_TRY(binary_check(role, "relu.sign_binary", sb, l));
      const std::array<uint32_t, 3> ids{t.a, t.s, t.q};
      const std::array<ProductTerm<E>, 2> terms{ProductTerm<E>::of(E::one(), {0}),
                                                ProductTerm<E>::of(-E::one(), {1, 2})};
      ZKPOT_TRAINING_TRY(relation(role, "relu.product", l, ids, terms));
    }
  }

  // Softmax with the pinned maximum (docs/PROTOCOL.md §10.4).
  {
    const TensorInfo& x = l.t(sm.x);
    const uint32_t logits = l.layer[l.layers - 1].q;
    const std::span<E> r = point(x.vars());
    draw(role, "softmax.shift", r);
    E xv, mv, qv;
    ZKPOT_TRAINING_TRY(role.state(sm.x, r, &xv));
    ZKPOT_TRAINING_TRY(role.state(sm.m, r.subspan(x.col_bits), &mv));
    ZKPOT_TRAINING_TRY(role.state(logits, r, &qv));
    const E ic = prefix_indicator_mle<E>(r.first(x.col_bits), C);
    ZKPOT_TRAINING_TRY(role.check("softmax.shift", xv + qv - mv * ic == E::zero()));

    const std::array<uint32_t, 1> e{sm.e};
    ZKPOT_TRAINING_TRY(row_sum(role, "softmax.argmax_sum", l, e, SumAxis::kEachRow, l.ones_rows));
    const std::array<uint32_t, 2> ex_{sm.e, sm.x};
    ZKPOT_TRAINING_TRY(row_sum(role, "softmax.argmax_attained", l, ex_, SumAxis::kEachRow, l.zeros_rows));

    const E cap = ei((int64_t{1} << 32) - 1);
    {  // x' = x + c (X - x)
      const std::array<uint32_t, 3> ids{sm.xc, sm.x, sm.c};
      const std::array<ProductTerm<E>, 4> terms{
          ProductTerm<E>::of(E::one(), {0}), ProductTerm<E>::of(-E::one(), {1}), ProductTerm<E>::of(-cap, {2}),
          ProductTerm<E>::of(E::one(), {2, 1})};
      ZKPOT_TRAINING_TRY(relation(role, "softmax.clamped", l, ids, terms));
    }
    {  // v = c (x - X)
      const std::array<uint32_t, 3> ids{sm.v, sm.c, sm.x};
      const std::array<ProductTerm<E>, 3> terms{ProductTerm<E>::of(E::one(), {0}),
                                                ProductTerm<E>::of(-E::one(), {1, 2}), ProductTerm<E>::of(cap, {1})};
      ZKPOT_TRAINING_TRY(relation(role, "softmax.clamp_arg", l, ids, terms));
    }
    const std::array<std::pair<uint32_t, E>, 3> limbs{
        {{sm.xc, E::one()}, {sm.hi, -ei(int64_t{1} << 16)}, {sm.lo, -E::one()}}};
    ZKPOT_TRAINING_TRY(linear(role, "softmax.limbs", l, limbs, E::zero()));
    for (int hi = 1; hi >= 0; --hi) {
      LogupStatement<Gl> st;
      st.num_vars = x.vars();
      st.num_lookups = C * B;
      st.table = TrainingTables::function_table(16, hi ? tables.exp_hi : tables.exp_lo,
                                                hi ? tables.exp_hi_digest : tables.exp_lo_digest);
      st.witness[0] = l.h(hi ? sm.hi : sm.lo);
      st.witness[1] = l.h(hi ? sm.eh : sm.el);
      st.multiplicities = l.h(hi ? l.exp_hi_mult : l.exp_lo_mult);
      ZKPOT_TRAINING_TRY(role.logup("softmax.exp_lookup", st, {true, true, false, false}));
    }
    {
      const std::array<uint32_t, 3> ids{sm.ex, sm.eh, sm.el};
      const std::array<ProductTerm<E>, 2> terms{ProductTerm<E>::of(E::one(), {0}),
                                                ProductTerm<E>::of(-E::one(), {1, 2})};
      ZKPOT_TRAINING_TRY(relation(role, "softmax.exp_product", l, ids, terms));
    }
    const std::array<uint32_t, 1> exs{sm.ex};
    ZKPOT_TRAINING_TRY(row_sum(role, "softmax.sum", l, exs, SumAxis::kEachRow, sm.sum));
    const std::span<E> r2 = point(x.vars());
    draw(role, "softmax.broadcast", r2);
    E sbv, sv;
    ZKPOT_TRAINING_TRY(role.state(sm.sum_b, r2, &sbv));
    ZKPOT_TRAINING_TRY(role.state(sm.sum, r2.subspan(x.col_bits), &sv));
    const E ic2 = prefix_indicator_mle<E>(r2.first(x.col_bits), C);
    ZKPOT_TRAINING_TRY(role.check("softmax.sum_broadcast", sbv - sv * ic2 == E::zero()));
    {  // p S + r - 2^Fa E = 0
      const std::array<uint32_t, 4> ids{sm.p, sm.sum_b, sm.pr, sm.ex};
      const std::array<ProductTerm<E>, 3> terms{ProductTerm<E>::of(E::one(), {0, 1}),
                                                ProductTerm<E>::of(E::one(), {2}),
                                                ProductTerm<E>::of(-ei(int64_t{1} << s.act_frac_bits), {3})};
      ZKPOT_TRAINING_TRY(relation(role, "softmax.division", l, ids, terms));
    }
    const std::array<std::pair<uint32_t, E>, 3> grad{
        {{l.layer[l.layers - 1].d, E::one()}, {sm.p, -E::one()}, {l.onehot, ei(int64_t{1} << s.act_frac_bits)}}};
    ZKPOT_TRAINING_TRY(linear(role, "loss.gradient", l, grad, E::zero()));
  }

  // Backward pass (docs/PROTOCOL.md §10.5).
  for (uint32_t i = l.layers; i-- > 0;) {
    const TrainingLayerTensors& t = l.layer[i];
    const uint32_t a_in = i == 0 ? l.inputs : l.layer[i - 1].a;
    const TensorInfo& g = l.t(t.g);
    {
      const std::span<E> r = point(g.vars());
      draw(role, "backward.weight_grad", r);
      E gv;
      ZKPOT_TRAINING_TRY(role.state(t.g, r, &gv));
      MatmulStatement ms;
      ms.shape = MatmulShape{g.row_bits, bb, g.col_bits, true, false};
      ms.a = l.h(t.d);
      ms.b = l.h(a_in);
      ms.c = CommitmentHandle{kTrainingMatmulOutput};
      ms.zero_knowledge = false;
      PendingClaim<E> c;
      if (!PendingClaim<E>::make_evaluation(ms.c, r, gv, &c)) return TrainingStatus::kBadSetup;
      ZKPOT_TRAINING_TRY(role.matmul("backward.weight_grad", ms, c));
    }
    const std::array<uint32_t, 1> d{t.d};
    ZKPOT_TRAINING_TRY(row_sum(role, "backward.bias_grad", l, d, SumAxis::kEachColumn, t.gb));
    if (t.pr != kNoTensor) {
      const TensorInfo& pr = l.t(t.pr);
      const std::span<E> r = point(pr.vars());
      draw(role, "backward.propagate", r);
      E pv;
      ZKPOT_TRAINING_TRY(role.state(t.pr, r, &pv));
      MatmulStatement ms;
      ms.shape = MatmulShape{bb, l.t(t.d).col_bits, pr.col_bits, false, false};
      ms.a = l.h(t.d);
      ms.b = l.h(t.w);
      ms.c = CommitmentHandle{kTrainingMatmulOutput};
      ms.zero_knowledge = false;
      PendingClaim<E> c;
      if (!PendingClaim<E>::make_evaluation(ms.c, r, pv, &c)) return TrainingStatus::kBadSetup;
      ZKPOT_TRAINING_TRY(role.matmul("backward.propagate", ms, c));
      const std::array<std::pair<uint32_t, E>, 3> resc{
          {{t.pr, E::one()}, {t.pq, -ei(int64_t{1} << s.weight_frac_bits)}, {t.prr, -E::one()}}};
      ZKPOT_TRAINING_TRY(linear(role, "backward.rescale", l, resc, ei(int64_t{1} << (s.weight_frac_bits - 1))));
      const std::array<uint32_t, 3> ids{l.layer[i - 1].d, l.layer[i - 1].s, t.pq};
      const std::array<ProductTerm<E>, 2> terms{ProductTerm<E>::of(E::one(), {0}),
                                                ProductTerm<E>::of(-E::one(), {1, 2})};
      ZKPOT_TRAINING_TRY(relation(role, "backward.relu_derivative", l, ids, terms));
    }
  }

  // Update (docs/PROTOCOL.md §10.6).
  const E lr = ei(s.lr_num);
  for (uint32_t i = 0; i < l.layers; ++i) {
    const TrainingLayerTensors& t = l.layer[i];
    const uint32_t kw = s.weight_update_shift(), kb = s.bias_update_shift();
    const std::array<std::pair<uint32_t, E>, 3> wr{{{t.g, lr}, {t.u, -ei(int64_t{1} << kw)}, {t.rho, -E::one()}}};
    ZKPOT_TRAINING_TRY(linear(role, "update.weights_rescale", l, wr, ei(int64_t{1} << (kw - 1))));
    const std::array<std::pair<uint32_t, E>, 3> wn{{{t.w_new, E::one()}, {t.w, -E::one()}, {t.u, E::one()}}};
    ZKPOT_TRAINING_TRY(linear(role, "update.weights_new", l, wn, E::zero()));
    const std::array<std::pair<uint32_t, E>, 3> br{{{t.gb, lr}, {t.ub, -ei(int64_t{1} << kb)}, {t.rhob, -E::one()}}};
    ZKPOT_TRAINING_TRY(linear(role, "update.biases_rescale", l, br, ei(int64_t{1} << (kb - 1))));
    const std::array<std::pair<uint32_t, E>, 3> bn{{{t.b_new, E::one()}, {t.b, -E::one()}, {t.ub, E::one()}}};
    ZKPOT_TRAINING_TRY(linear(role, "update.biases_new", l, bn, E::zero()));
  }

  // Range checks: recomposition from limbs, then one lookup per limb width.
  for (uint32_t k = 0; k < l.num_ranges; ++k) {
    const RangeCheck& rc = l.ranges[k];
    std::array<std::pair<uint32_t, E>, 3 + kTrainingMaxLimbs> terms{};
    size_t n = 0;
    for (uint32_t j = 0; j < rc.num_terms; ++j) terms[n++] = {rc.term[j], ei(rc.coeff[j])};
    for (uint32_t j = 0; j < rc.num_limbs; ++j) terms[n++] = {rc.limb[j], -ei(int64_t{1} << (16 * j))};
    ZKPOT_TRAINING_TRY(linear(role, rc.name.data(), l, std::span<const std::pair<uint32_t, E>>(terms.data(), n),
                              ei(rc.constant)));
  }
  for (uint32_t k = 1; k < kTrainingRegions; ++k) {
    if (l.region_tensor[k] == kNoTensor) continue;
    LogupStatement<Gl> st;
    st.num_vars = l.t(l.region_tensor[k]).vars();
    st.num_lookups = uint64_t{1} << st.num_vars;
    st.table = LookupTable<Gl>::range(k);
    st.witness[0] = l.h(l.region_tensor[k]);
    st.multiplicities = l.h(l.region_mult[k]);
    ZKPOT_TRAINING_TRY(role.logup("range.lookup", st, {false, false, false, false}));
  }
  return TrainingStatus::kOk;
}

// The segment's dataset check (docs/PROTOCOL.md §12.4), after every step's
// commitments were absorbed: with z over (batch row, step) and gamma drawn
// now, sum_{t,b} eq(z, (b, t)) (P_t Gamma)[b] = sum_j c(j) (D Gamma)[j], where
// c(j) = sum of eq(z, (b, t)) over the scheduled uses of row j. Role hooks:
// begin_close_step(t), value(&v), dataset_sum(rows_bits, claim, point, &final),
// schedule_weight(z, s) = c~(s), set_challenges(z, gamma).
template <class Role>
TrainingStatus run_dataset_check(Role& role, const TrainingLayout& l, uint32_t num_steps, uint32_t dataset_rows_bits) {
  using namespace training_detail;
  const uint32_t bb = l.batch_bits, tb = training_ceil_log2(num_steps);
  const TensorInfo& px = l.t(l.pixels);
  std::array<E, kMaxClaimVariables> z{};
  const std::span<E> zs(z.data(), bb + tb);
  draw(role, "dataset.z", zs);
  const E gamma = role.transcript().template challenge<E>("dataset.gamma");
  role.set_challenges(std::span<const E>(zs), gamma);
  E lhs = E::zero();
  for (uint32_t t = 0; t < num_steps; ++t) {
    role.begin_close_step(t);
    E v;
    ZKPOT_TRAINING_TRY(role.value(&v));
    MatmulStatement ms;
    ms.shape = MatmulShape{bb, px.col_bits, 0, false, false};
    ms.a = l.h(l.pixels);
    ms.b = CommitmentHandle{kTrainingGammaHandle};
    ms.c = CommitmentHandle{kTrainingMatmulOutput};
    ms.zero_knowledge = false;
    PendingClaim<E> c;
    if (!PendingClaim<E>::make_evaluation(ms.c, zs.first(bb), v, &c)) return TrainingStatus::kBadSetup;
    ZKPOT_TRAINING_TRY(role.matmul("dataset.batch_rows", ms, c));
    lhs += eq_at_index<E>(zs.subspan(bb), t) * v;
  }
  std::array<E, kMaxClaimVariables> s{};
  const std::span<E> ss(s.data(), dataset_rows_bits);
  E final_claim;
  ZKPOT_TRAINING_TRY(role.dataset_sum(dataset_rows_bits, lhs, ss, &final_claim));
  E y;
  ZKPOT_TRAINING_TRY(role.value(&y));
  const E weight = role.schedule_weight(std::span<const E>(zs), std::span<const E>(ss));
  ZKPOT_TRAINING_TRY(role.check("dataset.scheduled_rows", final_claim == weight * y));
  MatmulStatement ms;
  ms.shape = MatmulShape{dataset_rows_bits, px.col_bits, 0, false, false};
  ms.a = CommitmentHandle{kTrainingDatasetHandle};
  ms.b = CommitmentHandle{kTrainingGammaHandle};
  ms.c = CommitmentHandle{kTrainingMatmulOutput};
  ms.zero_knowledge = false;
  PendingClaim<E> c;
  if (!PendingClaim<E>::make_evaluation(ms.c, std::span<const E>(ss), y, &c)) return TrainingStatus::kBadSetup;
  return role.matmul("dataset.rows", ms, c);
}

}  // namespace zkpot
