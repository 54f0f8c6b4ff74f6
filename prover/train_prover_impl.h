// The prover of training segments (docs/PROTOCOL.md §12), templated on a
// Hooks type so that the test-only cheating hooks exist only where a test
// defines ZKPOT_TRAINING_TEST_HOOKS: the library instantiates it once with
// HonestTrainingHooks (prover/train_prover.cc), whose self-checks cannot be
// switched off.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/claim_accumulator.h"
#include "common/gadget_linear.h"
#include "common/gadget_matmul.h"
#include "common/training_claims.h"
#include "common/training_protocol.h"
#include "common/training_segment.h"
#include "formats/cbor_writer.h"
#include "formats/envelope.h"
#include "formats/field_vector.h"
#include "formats/labelled_images.h"
#include "prover/claims_prover.h"
#include "prover/gadget_linear.h"
#include "prover/gadget_matmul.h"
#include "prover/gadget_partial_eval.h"
#include "prover/gadget_product_sum.h"
#include "prover/logup_prover.h"
#include "prover/pcs_prover.h"
#include "prover/rng.h"
#include "prover/sumcheck_prover.h"
#include "prover/train/step_witness.h"
#include "prover/train_prover_opening.h"

namespace zkpot {

struct HonestTrainingHooks {
  static constexpr bool self_checks() { return true; }
};

#ifdef ZKPOT_TRAINING_TEST_HOOKS
// Test-only: a prover that emits complete proofs of whatever witness it is
// given, without checking any relation first.
struct CheatingTrainingHooks {
  static constexpr bool self_checks() { return false; }
};
#endif

namespace training_prover_detail {

using E = GlExt3;

inline TrainingCommitment commit_slots(const PcsParams& params, std::vector<std::vector<Gl>> slots,
                                       std::string_view personal, ProverRng& rng) {
  TrainingCommitment c;
  c.slots = std::make_shared<const std::vector<std::vector<Gl>>>(std::move(slots));
  std::vector<uint32_t> vars;
  std::vector<std::span<const Gl>> polys;
  for (const auto& s : *c.slots) {
    vars.push_back(log2_exact(s.size()));
    polys.emplace_back(s);
  }
  const PcsLayout layout = pcs_layout(params, PcsProver::stacked_vars(vars));
  if (!layout.valid) throw std::invalid_argument("training: no commitment layout for these sizes");
  c.pcs = std::make_shared<PcsProver>(PcsProver::commit(layout, polys, rng));
  const PcsCommitment<E>& com = c.pcs->commitment();
  c.encoded.resize(training_commitment_bytes(com.num_slots, com.main_ood, com.helper_ood));
  encode_training_commitment(com, c.encoded);
  c.digest = training_commitment_digest(personal, c.encoded);
  return c;
}

// A tensor's padded table (2^row_bits x 2^col_bits) from its active values.
inline std::vector<int64_t> pad(const TensorInfo& t, const std::vector<int64_t>& v) {
  if (v.size() != t.rows * t.cols)
    throw std::invalid_argument(std::string("training: tensor ") + t.name.data() + " has " + std::to_string(v.size()) +
                                " entries, expected " + std::to_string(t.rows * t.cols));
  std::vector<int64_t> out(size_t{1} << t.vars(), 0);
  const size_t cols = size_t{1} << t.col_bits;
  for (size_t i = 0; i < t.rows; ++i)
    for (size_t j = 0; j < t.cols; ++j) out[i * cols + j] = v[i * t.cols + j];
  return out;
}

inline std::vector<Gl> to_field(const std::vector<int64_t>& v) {
  std::vector<Gl> out(v.size());
  for (size_t i = 0; i < v.size(); ++i) out[i] = Gl::from_i64(v[i]);
  return out;
}

}  // namespace training_prover_detail

// The weight commitment of a model (slots W_0, b_0, W_1, b_1, ...).
inline TrainingCommitment commit_training_weights(const TrainingSetup& s, const std::vector<std::vector<int64_t>>& w,
                                                  const std::vector<std::vector<int64_t>>& b, ProverRng& rng) {
  using namespace training_prover_detail;
  TrainingLayout l;
  build_training_layout(s, false, &l);
  if (!l.valid) throw std::invalid_argument("training: invalid setup");
  std::vector<std::vector<Gl>> slots;
  for (uint32_t i = 0; i < l.layers; ++i) {
    slots.push_back(to_field(pad(l.t(l.layer[i].w), w.at(i))));
    slots.push_back(to_field(pad(l.t(l.layer[i].b), b.at(i))));
  }
  return commit_slots(training_pcs_params(s.parameter_set), std::move(slots), kWeightCommitmentPersonal, rng);
}

// The dataset commitment: rows_bits x cb_in, row j = (pixels, label, 0...).
// Deterministic for public data when rng is seeded from the data's own digest
// (zkpot-prove commit-dataset does so).
inline TrainingCommitment commit_training_dataset(TrainingParameterSet ps, const formats::LabelledImages& data,
                                                  ProverRng& rng) {
  const uint64_t n0 = data.pixels_per_image();
  const uint32_t cb = training_dataset_col_bits(n0), rb = training_dataset_rows_bits(data.count);
  std::vector<Gl> d(size_t{1} << (cb + rb), Gl::zero());
  for (size_t j = 0; j < data.count; ++j) {
    const auto img = data.image(j);
    for (size_t k = 0; k < n0; ++k) d[(j << cb) + k] = Gl::from_u64(img[k]);
    d[(j << cb) + n0] = Gl::from_u64(data.labels[j]);
  }
  std::vector<std::vector<Gl>> slots;
  slots.push_back(std::move(d));
  return training_prover_detail::commit_slots(training_pcs_params(ps), std::move(slots), personal::kDataset, rng);
}

template <class Hooks>
class BasicTrainingSegmentProver {
 public:
  using E = GlExt3;

  // tables_ views this object's own vectors: a copy would view the original's.
  BasicTrainingSegmentProver(const BasicTrainingSegmentProver&) = delete;
  BasicTrainingSegmentProver& operator=(const BasicTrainingSegmentProver&) = delete;
  BasicTrainingSegmentProver(BasicTrainingSegmentProver&&) = default;  // the vectors' buffers move with it

  // data: the committed dataset (its commitment's values are in dataset.slots).
  BasicTrainingSegmentProver(const TrainingSetup& setup, const TrainingDigest& statement_digest,
                             const TrainingCommitment& dataset, const formats::LabelledImages& data,
                             uint64_t t_begin, uint64_t t_end, TrainingCommitment weights_in, ProverRng& rng)
      : setup_(setup), dataset_(dataset), data_(data), t_begin_(t_begin), t_planned_end_(t_end), rng_(rng),
        t_("zkpot/train/segment/v1", statement_digest) {
    if (t_end <= t_begin || t_end - t_begin > kTrainingMaxSegmentSteps)
      throw std::invalid_argument("training: a segment covers 1 to 64 steps");
    t_.absorb_u64("train.t_begin", t_begin);
    t_.absorb_u64("train.t_end", t_end);
    t_.absorb_digest("train.dataset", dataset.digest);
    pcs_absorb_commitment(t_, dataset.pcs->commitment());
    build_training_layout(setup, false, &layouts_[0]);
    build_training_layout(setup, true, &layouts_[1]);
    if (!layouts_[0].valid || !layouts_[1].valid) throw std::invalid_argument("training: invalid setup");
    norm_.resize(256);
    exp_hi_.resize(65536);
    exp_lo_.resize(65536);
    fill_training_tables(setup, norm_, exp_hi_, exp_lo_);
    tables_ = TrainingTables::over(norm_, exp_hi_, exp_lo_);
    weights_.push_back(std::move(weights_in));
    w_claims_.emplace_back();
  }

  // Proves one step from its recorded witness (step index t_begin + steps so far).
  void add_step(const train::StepWitness& w);
  // The rows each step used (the schedule's, for an honest prover).
  std::vector<std::vector<uint32_t>> step_rows_;
  // Runs the dataset check and the openings; returns the segment map's bytes.
  std::vector<uint8_t> close();

  // Where the randomness of W^t's commitment comes from (default: the
  // segment's rng). A checkpointing run derives it from a secret and t, so a
  // resumed run rebuilds exactly the commitment the last closed segment ended
  // with and can open it (prover/train_prover_run.h).
  void set_weight_commitment_rng(std::function<ProverRng(uint64_t t)> rng_of_step) {
    weight_rng_ = std::move(rng_of_step);
  }
  // Where the randomness of the segment's k-th opening comes from (k in close()'s
  // order: steps' stacks, W^a..W^b, the dataset). Default: each commitment's
  // own stream, safe while one prover object makes all of a commitment's
  // openings. A resumed run rebuilds W^a and the dataset, so it passes a seed
  // per opening (docs/PROTOCOL.md §12.9).
  void set_opening_rng(std::function<ProverRng(uint64_t k)> rng_of_opening) {
    opening_rng_ = std::move(rng_of_opening);
  }

  const TrainingCommitment& last_weights() const { return weights_.back(); }
  uint64_t t_end() const { return t_begin_ + steps_.size(); }

  // Bytes of step values so far (proof size accounting).
  size_t values_bytes() const {
    size_t b = 0;
    for (const auto& s : steps_) b += s.values.size() * E::kEncodedBytes;
    return b;
  }

 private:
  struct StepState {
    const TrainingLayout* layout = nullptr;
    std::vector<std::vector<Gl>> tables;  // per tensor id (empty if not materialised)
    TrainingCommitment stack;
    std::vector<E> values;
    std::vector<PendingClaim<E>> stack_claims;
  };
  class Role;

  TrainingSetup setup_;
  const TrainingCommitment& dataset_;
  const formats::LabelledImages& data_;
  uint64_t t_begin_, t_planned_end_;
  ProverRng& rng_;
  Transcript<> t_;
  std::array<TrainingLayout, 2> layouts_;
  std::vector<Gl> norm_, exp_hi_, exp_lo_;
  TrainingTables tables_;  // views of the three vectors above, with their digests
  std::vector<StepState> steps_;
  std::vector<TrainingCommitment> weights_;                  // W^a .. W^(a+T)
  std::vector<std::vector<PendingClaim<E>>> w_claims_;       // per weight commitment
  std::vector<PendingClaim<E>> dataset_claims_;
  std::function<ProverRng(uint64_t)> weight_rng_;
  std::function<ProverRng(uint64_t)> opening_rng_;
};

// ---- The prover's role in the shared script ---------------------------------

template <class Hooks>
class BasicTrainingSegmentProver<Hooks>::Role {
 public:
  Role(BasicTrainingSegmentProver& p, std::vector<E>* out) : p_(p), out_(out) {}
  Transcript<>& transcript() { return p_.t_; }
  void bind(StepState* s, size_t index) {
    step_ = s;
    index_ = index;
  }
  void set_out(std::vector<E>* out) { out_ = out; }

  std::span<const Gl> table(uint64_t id) const {
    const auto& v = step_->tables.at(id);
    if (v.empty()) throw std::logic_error(std::string("training: no table for ") + step_->layout->t(id).name.data());
    return v;
  }

  static void require(bool ok, const char* what) {
    if (Hooks::self_checks() && !ok) throw std::invalid_argument(std::string("training prover self-check failed: ") + what);
  }

  // sum_x eq(z, x) P(x) over stacked instances, directly (the cheating path states the true sum).
  E stacked_sum(const StackedRelation<E>& st, std::span<const std::span<const Gl>> tables, std::span<const E> z) {
    const std::vector<E> eq = eq_table<E>(z);
    const size_t n = size_t{1} << st.num_vars;
    E acc = E::zero();
    for (uint32_t l = 0; l < st.num_instances; ++l)
      for (size_t x = 0; x < n; ++x) {
        E v = E::zero();
        for (const ProductTerm<E>& t : st.terms) {
          E pr = t.coeff;
          for (uint32_t f = 0; f < t.num_factors; ++f) pr *= E(tables[l * st.num_factors + t.factors[f]][x]);
          v += pr;
        }
        acc += eq[(size_t{l} << st.num_vars) | x] * v;
      }
    return acc;
  }

  std::vector<std::span<const Gl>> tables_of(std::span<const CommitmentHandle> hs) {
    std::vector<std::span<const Gl>> out;
    for (const CommitmentHandle h : hs) out.push_back(table(h.id));
    return out;
  }

  TrainingStatus zerocheck(const char* name, const StackedRelation<E>& st) {
    const auto tables = tables_of(st.handles);
    std::vector<E> tau(st.total_vars());
    if (zerocheck_begin<E>(p_.t_, st, std::span<E>(tau)) != GadgetStatus::kOk) throw std::logic_error("zerocheck shape");
    E claim = E::zero();
    if (!Hooks::self_checks()) claim = stacked_sum(st, tables, tau);
    else if (const auto bad = first_relation_violation<Gl, E>(st, tables))
      require(false, (std::string(name) + " at entry " + std::to_string(bad->second)).c_str());
    auto o = prove_stacked_relation_sum<Gl, E>(p_.t_, st, tables, std::span<const E>(tau), claim, p_.rng_);
    push(o.proof.round_messages);
    push(o.proof.evaluations);
    for (const auto& c : o.claims) route(c, false);
    return TrainingStatus::kOk;
  }

  TrainingStatus rowsum(const char* name, const RowSumStatement<E>& st) {
    const auto tables = tables_of(st.relation.handles);
    std::vector<E> kept(st.kept_bits()), z(st.relation.num_vars);
    if (rowsum_begin<E>(p_.t_, st, std::span<E>(kept)) != GadgetStatus::kOk) throw std::logic_error("rowsum shape");
    const E sums_eval = mle(st.sums.id, kept);
    E claim;
    if (rowsum_sum_claim<E>(p_.t_, st, std::span<const E>(kept), sums_eval, std::span<E>(z), &claim) != GadgetStatus::kOk)
      throw std::logic_error("rowsum shape");
    const E truth = stacked_sum(st.relation, tables, z);
    require(truth == claim, name);
    auto o = prove_stacked_relation_sum<Gl, E>(p_.t_, st.relation, tables, std::span<const E>(z), truth, p_.rng_);
    out_->push_back(sums_eval);
    push(o.proof.round_messages);
    push(o.proof.evaluations);
    for (const auto& c : o.claims) route(c, false);
    PendingClaim<E> sc;
    if (!PendingClaim<E>::make_evaluation(st.sums, std::span<const E>(kept), sums_eval, &sc)) throw std::logic_error("claim");
    route(sc, false);
    return TrainingStatus::kOk;
  }

  // Mirrors verify_matmul; op(B) may be the public Gamma vector.
  TrainingStatus matmul(const char* name, const MatmulStatement& st, const PendingClaim<E>& c_in) {
    const MatmulShape& sh = st.shape;
    const std::span<const E> c_point = c_in.point();
    const std::span<const E> r_row = c_point.subspan(sh.col_bits, sh.row_bits), r_col = c_point.first(sh.col_bits);
    std::vector<E> a_bound = st.a.id == kTrainingDatasetHandle
                                 ? matmul_bound_a<Gl, E>(sh, std::span<const Gl>((*p_.dataset_.slots)[0]), r_row)
                                 : matmul_bound_a<Gl, E>(sh, table(st.a.id), r_row);
    std::vector<E> b_bound;
    if (st.b.id == kTrainingGammaHandle) {
      b_bound.resize(size_t{1} << sh.inner_bits);
      E g = E::one();
      for (E& x : b_bound) {
        x = g;
        g *= gamma_;
      }
    } else {
      b_bound = matmul_bound_b<Gl, E>(sh, table(st.b.id), r_col);
    }
    E truth = E::zero();
    for (size_t j = 0; j < a_bound.size(); ++j) truth += a_bound[j] * b_bound[j];
    require(truth == c_in.value(), name);
    PendingClaim<E> c = c_in;
    if (truth != c_in.value() && !PendingClaim<E>::make_evaluation(c_in.handle(), c_point, truth, &c))
      throw std::logic_error("claim");
    matmul_begin(p_.t_, st, c);
    SumOfProducts<E, E> poly;
    poly.num_vars = sh.inner_bits;
    poly.tables = {std::span<const E>(a_bound), std::span<const E>(b_bound)};
    poly.terms = {ProductTerm<E>::of(E::one(), {0, 1})};
    SumcheckProver<E, E> prover;
    SumcheckProverOutput<E> so = prover.prove(p_.t_, poly, truth, nullptr);
    push(so.proof.round_messages);
    const E ae = so.factor_evaluations[0], be = so.factor_evaluations[1];
    out_->push_back(ae);
    out_->push_back(be);
    matmul_absorb_evaluations(p_.t_, ae, be);
    std::vector<E> ap(sh.a_vars()), bp(sh.b_vars());
    matmul_operand_points<E>(sh, c_point, std::span<const E>(so.point), std::span<E>(ap), std::span<E>(bp));
    PendingClaim<E> ac, bc;
    if (!PendingClaim<E>::make_evaluation(st.a, std::span<const E>(ap), ae, &ac) ||
        !PendingClaim<E>::make_evaluation(st.b, std::span<const E>(bp), be, &bc))
      throw std::logic_error("claim");
    route(ac, false);
    route(bc, false);
    return TrainingStatus::kOk;
  }

  TrainingStatus linear(const char*, const LinearRelationStatement<E>& st) {
    std::vector<E> r(st.num_vars());
    if (linear_relation_draw_point<E>(p_.t_, st, std::span<E>(r)) != GadgetStatus::kOk) throw std::logic_error("linear");
    std::vector<std::span<const Gl>> tables;
    for (const auto& term : st.terms) tables.push_back(table(term.handle.id));
    GadgetProverOptions opt;
    opt.check_witness = Hooks::self_checks();
    auto o = prove_linear_relation<Gl, E>(p_.t_, st, std::span<const E>(r), tables, {}, opt);
    push(o.stated_values);
    for (const auto& c : o.claims) route(c, false);
    return TrainingStatus::kOk;
  }

  TrainingStatus logup(const char* name, const LogupStatement<Gl>& st, std::array<bool, 4> transposed) {
    std::vector<std::vector<Gl>> cols;
    std::vector<std::span<const Gl>> spans;
    for (uint32_t c = 0; c < st.table.num_columns; ++c) {
      const std::span<const Gl> src = table(st.witness[c].id);
      if (!transposed[c]) {
        spans.push_back(src);
        continue;
      }
      const TensorInfo& t = step_->layout->t(st.witness[c].id);
      std::vector<Gl> tr(src.size());
      const size_t rows = size_t{1} << t.row_bits, ncols = size_t{1} << t.col_bits;
      for (size_t i = 0; i < rows; ++i)
        for (size_t j = 0; j < ncols; ++j) tr[j * rows + i] = src[i * ncols + j];
      cols.push_back(std::move(tr));
      spans.emplace_back(cols.back());
    }
    const std::span<const Gl> mult = table(st.multiplicities.id);
    (void)name;
    auto o = prove_logup<Gl, E>(p_.t_, st, spans, mult, p_.rng_);
    push(o.proof.root_children);
    push(o.proof.layer_rounds);
    push(o.proof.layer_children);
    push(o.proof.column_evaluations);
    for (uint32_t c = 0; c < st.table.num_columns; ++c) route(o.witness_claims[c], transposed[c]);
    route(o.multiplicity_claim, false);
    return TrainingStatus::kOk;
  }

  E mle(uint64_t id, std::span<const E> point) {
    if (id == kTrainingLabelsHandle) {
      const TrainingLayout& l = *step_->layout;
      const TensorInfo& px = l.t(l.pixels);
      std::vector<E> p(px.vars());
      for (uint32_t j = 0; j < px.col_bits; ++j) p[j] = ((px.cols - 1) >> j) & 1 ? E::one() : E::zero();
      for (uint32_t j = 0; j < px.row_bits; ++j) p[px.col_bits + j] = point[j];
      return evaluate_multilinear<E, Gl>(table(l.pixels), std::span<const E>(p));
    }
    return evaluate_multilinear<E, Gl>(table(id), point);
  }

  TrainingStatus state(uint32_t id, std::span<const E> point, E* value) {
    *value = mle(id, point);
    p_.t_.absorb_field("train.stated", *value);
    out_->push_back(*value);
    PendingClaim<E> c;
    if (!PendingClaim<E>::make_evaluation(CommitmentHandle{id}, point, *value, &c)) throw std::logic_error("claim");
    route(c, false);
    return TrainingStatus::kOk;
  }
  TrainingStatus value(E* v) {
    *v = next_value_;
    p_.t_.absorb_field("train.value", *v);
    out_->push_back(*v);
    return TrainingStatus::kOk;
  }
  TrainingStatus check(const char* name, bool ok) {
    require(ok, name);
    return TrainingStatus::kOk;
  }

  // Dataset check hooks.
  void set_challenges(std::span<const E> z, const E& g) {
    gamma_ = g;
    z_.assign(z.begin(), z.end());
  }
  std::vector<E> z_;
  std::function<void(uint32_t)> on_close_step;
  void begin_close_step(uint32_t t) { on_close_step(t); }
  E next_value_{};
  std::vector<E> c_table, y_table;
  TrainingStatus dataset_sum(uint32_t rows_bits, const E& claim, std::span<E> point, E* final_claim) {
    SumOfProducts<E, E> poly;
    poly.num_vars = rows_bits;
    poly.tables = {std::span<const E>(c_table), std::span<const E>(y_table)};
    poly.terms = {ProductTerm<E>::of(E::one(), {0, 1})};
    const E truth = sum_over_hypercube(poly);
    require(truth == claim, "dataset.rows");
    SumcheckProver<E, E> prover;
    SumcheckProverOutput<E> so = prover.prove(p_.t_, poly, truth, nullptr);
    push(so.proof.round_messages);
    for (size_t i = 0; i < point.size(); ++i) point[i] = so.point[i];
    *final_claim = so.final_claim;
    next_value_ = so.factor_evaluations[1];
    return TrainingStatus::kOk;
  }
  E schedule_weight(std::span<const E>, std::span<const E> s) const {
    return evaluate_multilinear<E, E>(std::span<const E>(c_table), s);
  }
  E gamma() const { return gamma_; }

  void route(const PendingClaim<E>& c, bool transposed) {
    const uint64_t id = c.handle().id;
    if (id == kTrainingGammaHandle) return;
    if (id == kTrainingDatasetHandle) {
      PendingClaim<E> dc;
      if (!PendingClaim<E>::make_evaluation(CommitmentHandle{0}, c.point(), c.value(), &dc)) throw std::logic_error("claim");
      p_.dataset_claims_.push_back(dc);
      return;
    }
    const TrainingLayout& l = *step_->layout;
    if (id == kTrainingLabelsHandle) {
      const TensorInfo& px = l.t(l.pixels);
      std::vector<E> p(px.vars());
      for (uint32_t j = 0; j < px.col_bits; ++j) p[j] = ((px.cols - 1) >> j) & 1 ? E::one() : E::zero();
      for (uint32_t j = 0; j < px.row_bits; ++j) p[px.col_bits + j] = c.point()[j];
      PendingClaim<E> pc;
      if (!PendingClaim<E>::make_evaluation(l.h(l.pixels), std::span<const E>(p), c.value(), &pc))
        throw std::logic_error("claim");
      route(pc, false);
      return;
    }
    const TensorInfo& t = l.t(static_cast<uint32_t>(id));
    std::vector<E> point(c.point().begin(), c.point().end());
    if (transposed) {
      for (uint32_t j = 0; j < t.col_bits; ++j) point[j] = c.point()[t.row_bits + j];
      for (uint32_t j = 0; j < t.row_bits; ++j) point[t.col_bits + j] = c.point()[j];
    }
    PendingClaim<E> out;
    switch (t.store) {
      case TensorStore::kPublic: return;
      case TensorStore::kWeightsIn:
      case TensorStore::kWeightsOut:
        if (!PendingClaim<E>::make_evaluation(CommitmentHandle{t.slot}, std::span<const E>(point), c.value(), &out))
          throw std::logic_error("claim");
        p_.w_claims_.at(index_ + (t.store == TensorStore::kWeightsOut ? 1 : 0)).push_back(out);
        return;
      case TensorStore::kStack:
      case TensorStore::kRegion: {
        std::vector<E> sp(l.stack_vars);
        training_stack_point<E>(l, static_cast<uint32_t>(id), std::span<const E>(point), std::span<E>(sp));
        if (!PendingClaim<E>::make_evaluation(CommitmentHandle{0}, std::span<const E>(sp), c.value(), &out))
          throw std::logic_error("claim");
        step_->stack_claims.push_back(out);
        return;
      }
    }
  }

 private:
  void push(const std::vector<E>& v) { out_->insert(out_->end(), v.begin(), v.end()); }
  BasicTrainingSegmentProver& p_;
  std::vector<E>* out_;
  StepState* step_ = nullptr;
  size_t index_ = 0;
  E gamma_{};
};

// ---- Witness tables -----------------------------------------------------------

namespace training_prover_detail {

// Range-check limbs: value = sum coeff T + constant 1[active]; limbs of 16 bits,
// the last one unmasked (a value out of range shows up in the lookup).
inline void fill_limbs(const TrainingLayout& l, const RangeCheck& rc, std::vector<std::vector<int64_t>>& ints,
                       bool self_checks) {
  const TensorInfo& t0 = l.t(rc.term[0]);
  const size_t n = size_t{1} << t0.vars(), cols = size_t{1} << t0.col_bits;
  for (uint32_t j = 0; j < rc.num_limbs; ++j) ints[rc.limb[j]].assign(n, 0);
  for (size_t x = 0; x < n; ++x) {
    __int128 v = ((x / cols) < t0.rows && (x % cols) < t0.cols) ? rc.constant : 0;
    for (uint32_t k = 0; k < rc.num_terms; ++k) v += __int128{rc.coeff[k]} * ints[rc.term[k]][x];
    if (self_checks && (v < 0 || v >= (__int128{1} << rc.width)))
      throw std::invalid_argument(std::string("training prover self-check failed: range ") + rc.name.data() +
                                  " at entry " + std::to_string(x));
    const uint64_t u = static_cast<uint64_t>(v);
    for (uint32_t j = 0; j < rc.num_limbs; ++j)
      ints[rc.limb[j]][x] = static_cast<int64_t>(j + 1 < rc.num_limbs ? (u >> (16 * j)) & 0xFFFF : u >> (16 * j));
  }
}

}  // namespace training_prover_detail

template <class Hooks>
void BasicTrainingSegmentProver<Hooks>::add_step(const train::StepWitness& w) {
  using namespace training_prover_detail;
  const uint64_t step = t_end();
  if (step >= t_planned_end_) throw std::logic_error("training: more steps than the segment planned");
  const TrainingLayout& l = layouts_[step == 0 ? 1 : 0];
  const TrainingSetup& s = setup_;
  const size_t B = s.batch, C = s.classes(), n0 = s.inputs();
  std::vector<std::vector<int64_t>> ints(l.num_tensors);
  auto set = [&](uint32_t id, const std::vector<int64_t>& v) { ints[id] = pad(l.t(id), v); };

  std::vector<int64_t> px(B * (n0 + 1));
  for (size_t b = 0; b < B; ++b) {
    for (size_t k = 0; k < n0; ++k) px[b * (n0 + 1) + k] = w.pixels.at(b * n0 + k);
    px[b * (n0 + 1) + n0] = w.labels.at(b);
  }
  set(l.pixels, px);
  set(l.inputs, w.inputs);
  set(l.onehot, w.onehot);
  for (uint32_t i = 0; i < l.layers; ++i) {
    const TrainingLayerTensors& t = l.layer[i];
    const auto& f = w.forward.at(i);
    const auto& bw = w.backward.at(i);
    const auto& u = w.update.at(i);
    set(t.w, w.weights.at(i));
    set(t.b, w.biases.at(i));
    set(t.w_new, u.new_weights);
    set(t.b_new, u.new_biases);
    set(t.z, f.pre_activation);
    set(t.q, f.quotient);
    set(t.r, f.remainder);
    if (t.s != kNoTensor) {
      set(t.s, f.relu_sign);
      set(t.a, f.activation);
    }
    set(t.d, bw.delta);
    set(t.g, bw.weight_grad);
    set(t.gb, bw.bias_grad);
    if (t.pr != kNoTensor) {
      set(t.pr, bw.propagated);
      set(t.pq, bw.propagated_quotient);
      set(t.prr, bw.propagated_remainder);
    }
    set(t.u, u.weight_update);
    set(t.rho, u.weight_update_remainder);
    set(t.ub, u.bias_update);
    set(t.rhob, u.bias_update_remainder);
  }
  const auto& sw = w.softmax;
  const TrainingSoftmaxTensors& sm = l.softmax;
  set(sm.m, sw.row_max);
  set(sm.e, sw.argmax);
  set(sm.x, sw.shifted);
  set(sm.c, sw.clamp);
  set(sm.xc, sw.clamped);
  std::vector<int64_t> v(B * C), sb(B * C);
  const int64_t cap = (int64_t{1} << 32) - 1;
  for (size_t k = 0; k < B * C; ++k) {
    v[k] = sw.clamp.at(k) * (sw.shifted.at(k) - cap);
    sb[k] = sw.exp_sum.at(k / C);
  }
  set(sm.v, v);
  set(sm.hi, sw.limb_hi);
  set(sm.lo, sw.limb_lo);
  set(sm.eh, sw.exp_hi);
  set(sm.el, sw.exp_lo);
  set(sm.ex, sw.exp);
  set(sm.sum, sw.exp_sum);
  set(sm.sum_b, sb);
  set(sm.p, sw.prob);
  set(sm.pr, sw.prob_remainder);
  // Multiplicities of the function lookups (active entries only).
  auto histogram = [&](uint32_t mult, uint32_t id, uint64_t cols, size_t size, const char* what) {
    std::vector<int64_t> h(size, 0);
    const TensorInfo& t = l.t(id);
    const size_t stride = size_t{1} << t.col_bits;
    for (size_t b = 0; b < t.rows; ++b)
      for (size_t k = 0; k < cols; ++k) {
        const int64_t x = ints[id][b * stride + k];
        if (x >= 0 && static_cast<size_t>(x) < size) ++h[static_cast<size_t>(x)];
        else if (Hooks::self_checks())
          throw std::invalid_argument(std::string("training prover self-check failed: ") + what);
      }
    ints[mult] = h;
  };
  histogram(l.norm_mult, l.pixels, n0, 256, "pixel outside 0..255");
  histogram(l.exp_hi_mult, sm.hi, C, 65536, "exp limb");
  histogram(l.exp_lo_mult, sm.lo, C, 65536, "exp limb");
  for (uint32_t k = 0; k < l.num_ranges; ++k) fill_limbs(l, l.ranges[k], ints, Hooks::self_checks());
  // Regions and their multiplicities.
  std::vector<Gl> stack(size_t{1} << l.stack_vars, Gl::zero());
  StepState st;
  st.layout = &l;
  st.tables.resize(l.num_tensors);
  for (uint32_t id = 0; id < l.num_tensors; ++id) {
    const TensorInfo& t = l.t(id);
    if (t.store == TensorStore::kPublic || t.store == TensorStore::kRegion) continue;
    if (std::find(l.region_mult.begin(), l.region_mult.end(), id) != l.region_mult.end()) continue;
    if (ints[id].size() != (size_t{1} << t.vars()))
      throw std::logic_error(std::string("training: tensor not filled: ") + t.name.data());
    st.tables[id] = to_field(ints[id]);
    if (t.store == TensorStore::kStack) std::copy(st.tables[id].begin(), st.tables[id].end(), stack.begin() + static_cast<std::ptrdiff_t>(t.offset));
  }
  for (uint32_t k = 1; k < kTrainingRegions; ++k) {
    if (l.region_tensor[k] == kNoTensor) continue;
    const TensorInfo& rt = l.t(l.region_tensor[k]);
    std::vector<Gl> region(stack.begin() + static_cast<std::ptrdiff_t>(rt.offset),
                           stack.begin() + static_cast<std::ptrdiff_t>(rt.offset + (uint64_t{1} << rt.vars())));
    std::vector<int64_t> h(size_t{1} << k, 0);
    for (const Gl& x : region) {
      if (x.value() < h.size()) ++h[x.value()];
      else if (Hooks::self_checks()) throw std::invalid_argument("training prover self-check failed: limb range");
    }
    st.tables[l.region_mult[k]] = to_field(h);
    const TensorInfo& mt = l.t(l.region_mult[k]);
    std::copy(st.tables[l.region_mult[k]].begin(), st.tables[l.region_mult[k]].end(),
              stack.begin() + static_cast<std::ptrdiff_t>(mt.offset));
    st.tables[l.region_tensor[k]] = std::move(region);
  }
  // Public tensors.
  for (uint32_t id = 0; id < l.num_tensors; ++id) {
    const TensorInfo& t = l.t(id);
    if (t.store != TensorStore::kPublic) continue;
    std::vector<Gl> tab(size_t{1} << t.vars(), Gl::zero());
    const size_t cols = size_t{1} << t.col_bits;
    for (size_t x = 0; x < tab.size(); ++x) {
      const bool active = (x / cols) < t.rows && (x % cols) < t.cols;
      switch (t.pub) {
        case PublicTensor::kOnes: tab[x] = active ? Gl::one() : Gl::zero(); break;
        case PublicTensor::kRegionComplement: tab[x] = active ? Gl::zero() : Gl::one(); break;
        case PublicTensor::kColumnIndex: tab[x] = active ? Gl::from_u64(x % cols) : Gl::zero(); break;
        default: break;
      }
    }
    st.tables[id] = std::move(tab);
  }

  // Commit the step and the weights it ends with.
  std::vector<std::vector<Gl>> slots;
  slots.push_back(std::move(stack));
  st.stack = commit_slots(training_pcs_params(s.parameter_set), std::move(slots), kStepCommitmentPersonal, rng_);
  std::vector<std::vector<Gl>> wslots;
  for (uint32_t i = 0; i < l.layers; ++i) {
    wslots.push_back(st.tables[l.layer[i].w_new]);
    wslots.push_back(st.tables[l.layer[i].b_new]);
  }
  TrainingCommitment w_out;
  if (weight_rng_) {
    ProverRng wr = weight_rng_(step + 1);
    w_out = commit_slots(training_pcs_params(s.parameter_set), std::move(wslots), kWeightCommitmentPersonal, wr);
  } else {
    w_out = commit_slots(training_pcs_params(s.parameter_set), std::move(wslots), kWeightCommitmentPersonal, rng_);
  }
  // Step t's weights-in tables are the committed ones (a prover that carries
  // other weights than it committed is caught by the opening).
  t_.absorb_u64("train.step", step);
  t_.absorb_digest("train.weights_in", weights_.back().digest);
  pcs_absorb_commitment(t_, st.stack.pcs->commitment());
  t_.absorb_digest("train.weights_out", w_out.digest);
  pcs_absorb_commitment(t_, w_out.pcs->commitment());
  weights_.push_back(std::move(w_out));
  w_claims_.emplace_back();
  steps_.push_back(std::move(st));
  step_rows_.emplace_back(w.rows.begin(), w.rows.end());
  StepState& cur = steps_.back();
  Role role(*this, &cur.values);
  role.bind(&cur, steps_.size() - 1);
  const TrainingTables& tables = tables_;
  if (run_training_step(role, s, l, tables) != TrainingStatus::kOk) throw std::logic_error("training: script failed");
  // The committed weights-in tables are not needed after the step.
}

template <class Hooks>
std::vector<uint8_t> BasicTrainingSegmentProver<Hooks>::close() {
  using namespace training_prover_detail;
  const uint32_t T = static_cast<uint32_t>(steps_.size());
  if (t_end() != t_planned_end_) throw std::logic_error("training: the segment has fewer steps than planned");
  const TrainingLayout& l0 = layouts_[0];
  const uint32_t bb = l0.batch_bits, B = setup_.batch;
  const TensorInfo& px = l0.t(l0.pixels);
  const uint32_t cb = px.col_bits, rows_bits = training_dataset_rows_bits(setup_.dataset_rows);
  if (dataset_.slots->at(0).size() != (size_t{1} << (rows_bits + cb)))
    throw std::invalid_argument("training: the dataset commitment does not match the setup");
  std::vector<E> close_values;
  Role role(*this, &close_values);
  role.bind(&steps_[0], 0);
  // (P_t Gamma)~(z_b) per step and the c, y tables, once z and gamma are drawn.
  role.on_close_step = [&](uint32_t t) {
    role.bind(&steps_[t], t);
    const std::span<const E> z(role.z_);
    const std::vector<E> eqb = eq_table<E>(z.first(bb));
    if (t == 0) {
      const std::vector<E> eqt = eq_table<E>(z.subspan(bb));
      role.c_table.assign(size_t{1} << rows_bits, E::zero());
      for (uint32_t k = 0; k < T; ++k)
        for (uint32_t b = 0; b < B; ++b) {
          const uint32_t row = step_rows_[k].at(b);
          if (row < role.c_table.size()) role.c_table[row] += eqt[k] * eqb[b];
        }
      role.y_table.assign(size_t{1} << rows_bits, E::zero());
      const std::vector<Gl>& d = (*dataset_.slots)[0];
      std::vector<E> powers(size_t{1} << cb);
      E g = E::one();
      for (E& x : powers) {
        x = g;
        g *= role.gamma();
      }
      parallel_chunks(role.y_table.size(), [&](size_t b0, size_t e0, size_t) {
        for (size_t j = b0; j < e0; ++j) {
          E acc = E::zero();
          for (size_t k = 0; k < powers.size(); ++k) acc += powers[k] * d[(j << cb) + k];
          role.y_table[j] = acc;
        }
      });
    }
    std::vector<E> powers(size_t{1} << cb);
    E g = E::one();
    for (E& x : powers) {
      x = g;
      g *= role.gamma();
    }
    const std::vector<Gl>& p = steps_[t].tables[l0.pixels];
    E v = E::zero();
    for (uint32_t b = 0; b < B; ++b) {
      E row = E::zero();
      for (size_t k = 0; k < powers.size(); ++k) row += powers[k] * p[(size_t{b} << cb) + k];
      v += eqb[b] * row;
    }
    role.next_value_ = v;
  };
  if (run_dataset_check(role, l0, T, rows_bits) != TrainingStatus::kOk) throw std::logic_error("training: dataset check");

  // The verifier sizes its claim lists by the script's counts
  // (common/training_claims.h): a prover holding more would emit a proof no
  // verifier accepts, so this is a bug, not a cheat.
  const TrainingClaimCapacities caps =
      training_claim_capacities(setup_, std::span<const TrainingLayout, 2>(layouts_), tables_, T);
  bool within = caps.valid && dataset_claims_.size() <= caps.dataset;
  for (const StepState& st : steps_) within = within && st.stack_claims.size() <= caps.stack;
  for (const auto& wc : w_claims_) within = within && wc.size() <= caps.weights;
  if (!within) throw std::logic_error("training: more claims on a commitment than the verifier's count");

  std::vector<PcsProof<Gl, E>> openings;
  constexpr bool kChecks = Hooks::self_checks();
  auto open = [&](const TrainingCommitment& com, const std::vector<PendingClaim<E>>& claims) {
    if (!opening_rng_) return batch_and_open<kChecks>(t_, com, claims, &close_values, nullptr);
    ProverRng r = opening_rng_(openings.size());
    return batch_and_open<kChecks>(t_, com, claims, &close_values, &r);
  };
  for (uint32_t i = 0; i < T; ++i) openings.push_back(open(steps_[i].stack, steps_[i].stack_claims));
  for (uint32_t i = 0; i <= T; ++i) openings.push_back(open(weights_[i], w_claims_[i]));
  openings.push_back(open(dataset_, dataset_claims_));

  std::vector<uint8_t> out;
  CborWriter w(&out);
  w.begin_map(7);
  w.write_key(kSegKeyBegin).write_uint(t_begin_);
  w.write_key(kSegKeyEnd).write_uint(t_end());
  w.write_key(kSegKeyWeightsIn).write_bytes(weights_[0].encoded);
  w.write_key(kSegKeyDataset).write_bytes(dataset_.encoded);
  w.write_key(kSegKeySteps).begin_array(T);
  for (uint32_t i = 0; i < T; ++i) {
    w.begin_map(3);
    w.write_key(kStepKeyStack).write_bytes(steps_[i].stack.encoded);
    w.write_key(kStepKeyWeightsOut).write_bytes(weights_[i + 1].encoded);
    w.write_key(kStepKeyValues);
    write_field_vector<E>(w, steps_[i].values);
  }
  w.write_key(kSegKeyCloseValues);
  write_field_vector<E>(w, close_values);
  w.write_key(kSegKeyOpenings).begin_array(openings.size());
  for (const auto& o : openings) write_opening(w, o);
  if (!w.finish().is_ok()) throw std::logic_error("training: segment encoding failed");
  return out;
}

}  // namespace zkpot
