// The relation checker (docs/PROTOCOL.md §10) accepts honest steps and names
// the relation each kind of cheating breaks: a wrong gradient entry, a flipped
// ReLU indicator, an unpinned softmax maximum, an out-of-range quotient, a
// wrong learning rate, a skipped or substituted example, weights carried
// wrongly; and every single-entry change of any recorded tensor is caught.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "prover/train/batch_schedule.h"
#include "prover/train/fixed_point_trainer.h"
#include "prover/train/lookup_tables.h"
#include "prover/train/relation_checker.h"
#include "tests/train_test_data.h"

namespace zkpot::train {
namespace {

struct Recorded {
  TrainConfig config;
  formats::LabelledImages data;
  std::vector<std::vector<uint32_t>> rows;  // per step
  std::vector<StepWitness> steps;
  QuantisedModel initial;
};

Recorded record(LossKind loss, int64_t lr_delta = 0, size_t steps = 3) {
  Recorded r;
  r.config = TrainConfig::standard(Architecture::parse("64-24-16-10"), 8, 0.1);
  r.config.loss = loss;
  r.data = testing::banded_images(64, 8, 5);
  r.initial = initial_model(r.config, Seed{});
  TrainConfig used = r.config;
  used.lr_num += lr_delta;
  FixedPointTrainer trainer(used, r.initial);
  BatchSchedule schedule(Seed{}, r.data.count, used.batch_size);
  for (uint64_t t = 0; t < steps; ++t) {
    const auto rows = schedule.rows_of_step(t);
    r.rows.emplace_back(rows.begin(), rows.end());
    r.steps.emplace_back();
    trainer.step(r.data, rows, t, &r.steps.back());
  }
  return r;
}

std::optional<RelationFailure> check(const Recorded& r, size_t t, const StepWitness& w) {
  StepContext ctx;
  ctx.dataset = &r.data;
  ctx.scheduled_rows = r.rows[t];
  const QuantisedModel carried = t == 0 ? r.initial : model_after(r.config, r.steps[t - 1]);
  ctx.carried = &carried;
  return check_step_relations(r.config, w, ctx);
}

std::string failed_relation(const Recorded& r, size_t t, const StepWitness& w) {
  const auto f = check(r, t, w);
  return f ? f->relation : std::string("(accepted)");
}

std::vector<std::pair<std::string, Tensor*>> all_tensors(StepWitness& w) {
  std::vector<std::pair<std::string, Tensor*>> v = {{"rows", &w.rows},     {"pixels", &w.pixels}, {"labels", &w.labels},
                                                    {"onehot", &w.onehot}, {"inputs", &w.inputs}};
  for (size_t l = 0; l < w.weights.size(); ++l) {
    const std::string p = std::to_string(l) + ".";
    v.push_back({p + "weights", &w.weights[l]});
    v.push_back({p + "biases", &w.biases[l]});
    auto& f = w.forward[l];
    for (auto [n, t] : {std::pair{"pre_activation", &f.pre_activation}, {"quotient", &f.quotient},
                        {"remainder", &f.remainder}, {"relu_sign", &f.relu_sign}, {"activation", &f.activation}})
      v.push_back({p + n, t});
    auto& b = w.backward[l];
    for (auto [n, t] : {std::pair{"delta", &b.delta}, {"weight_grad", &b.weight_grad}, {"bias_grad", &b.bias_grad},
                        {"propagated", &b.propagated}, {"propagated_quotient", &b.propagated_quotient},
                        {"propagated_remainder", &b.propagated_remainder}})
      v.push_back({p + n, t});
    auto& u = w.update[l];
    for (auto [n, t] : {std::pair{"weight_update", &u.weight_update}, {"weight_update_remainder", &u.weight_update_remainder},
                        {"new_weights", &u.new_weights}, {"bias_update", &u.bias_update},
                        {"bias_update_remainder", &u.bias_update_remainder}, {"new_biases", &u.new_biases}})
      v.push_back({p + n, t});
  }
  auto& s = w.softmax;
  for (auto [n, t] : {std::pair{"row_max", &s.row_max}, {"argmax", &s.argmax}, {"shifted", &s.shifted},
                      {"clamp", &s.clamp}, {"clamped", &s.clamped}, {"limb_hi", &s.limb_hi}, {"limb_lo", &s.limb_lo},
                      {"exp_hi", &s.exp_hi}, {"exp_lo", &s.exp_lo}, {"exp", &s.exp}, {"exp_sum", &s.exp_sum},
                      {"prob", &s.prob}, {"prob_remainder", &s.prob_remainder}})
    v.push_back({"softmax." + std::string(n), t});
  return v;
}

TEST(TrainRelations, HonestStepsPass) {
  for (LossKind loss : {LossKind::kSoftmaxCrossEntropy, LossKind::kMeanSquaredError}) {
    const Recorded r = record(loss);
    for (size_t t = 0; t < r.steps.size(); ++t) {
      const auto f = check(r, t, r.steps[t]);
      EXPECT_FALSE(f.has_value()) << f->relation << " at " << f->index << " " << f->detail;
    }
  }
}

TEST(TrainRelations, EverySingleEntryChangeIsCaught) {
  for (LossKind loss : {LossKind::kSoftmaxCrossEntropy, LossKind::kMeanSquaredError}) {
    const Recorded r = record(loss);
    StepWitness base = r.steps[1];
    for (auto& [name, tensor] : all_tensors(base)) {
      if (tensor->empty()) continue;
      for (size_t index : {size_t{0}, tensor->size() / 2, tensor->size() - 1})
        for (int64_t d : {int64_t{1}, int64_t{-1}}) {
          StepWitness w = r.steps[1];
          auto named = all_tensors(w);
          Tensor& t = *std::find_if(named.begin(), named.end(), [&](auto& p) { return p.first == name; })->second;
          t[index] += d;
          EXPECT_TRUE(check(r, 1, w).has_value()) << name << "[" << index << "] += " << d << " was accepted";
        }
    }
    // Wrong shapes are reported, not read past.
    StepWitness w = r.steps[1];
    w.forward[0].remainder.pop_back();
    EXPECT_EQ(failed_relation(r, 1, w), "shape.forward");
    w = r.steps[1];
    w.update.pop_back();
    EXPECT_EQ(failed_relation(r, 1, w), "shape.layers");
  }
}

TEST(TrainRelations, WrongGradientEntry) {
  const Recorded r = record(LossKind::kSoftmaxCrossEntropy);
  StepWitness w = r.steps[0];
  w.backward[1].weight_grad[7] += 3;
  EXPECT_EQ(failed_relation(r, 0, w), "backward.1.weight_grad");
  w = r.steps[0];
  w.backward[2].delta[3] += 1;  // the loss gradient itself
  EXPECT_EQ(failed_relation(r, 0, w), "loss.gradient");
}

TEST(TrainRelations, FlippedReluIndicator) {
  const Recorded r = record(LossKind::kSoftmaxCrossEntropy);
  const auto& f = r.steps[0].forward[0];
  size_t i = 0;
  while (f.quotient[i] == 0) ++i;
  // Flip s and keep a = s q consistent: only the sign-range relation can object.
  StepWitness w = r.steps[0];
  w.forward[0].relu_sign[i] ^= 1;
  w.forward[0].activation[i] = w.forward[0].relu_sign[i] * w.forward[0].quotient[i];
  EXPECT_EQ(failed_relation(r, 0, w), "relu.0.sign_range");
  // Flip only the derivative's use: the backward delta below.
  w = r.steps[0];
  w.backward[0].delta[i] = (1 - w.forward[0].relu_sign[i]) * w.backward[1].propagated_quotient[i] + 1;
  EXPECT_EQ(failed_relation(r, 0, w), "backward.1.relu_derivative");
}

// Recomputes row b of the softmax witness from a claimed maximum m, so that
// every per-entry relation downstream of m stays consistent.
void resoftmax_row(const TrainConfig& c, StepWitness& w, size_t b, int64_t m) {
  const ExpTables tables = exp_tables(c.fp.act_frac_bits, c.fp.exp_frac_bits);
  auto& s = w.softmax;
  const size_t classes = c.arch.classes();
  s.row_max[b] = m;
  int64_t sum = 0;
  for (size_t i = 0; i < classes; ++i) {
    const size_t k = b * classes + i;
    s.shifted[k] = m - w.forward.back().quotient[k];
    s.clamp[k] = s.shifted[k] >= kExpClampThreshold;
    s.clamped[k] = s.clamp[k] ? kExpClampThreshold : s.shifted[k];
    s.limb_hi[k] = s.clamped[k] >> 16;
    s.limb_lo[k] = s.clamped[k] & 0xFFFF;
    const bool in_table = s.limb_hi[k] >= 0 && s.limb_hi[k] < 65536;
    s.exp_hi[k] = in_table ? tables.hi[static_cast<size_t>(s.limb_hi[k])] : 0;
    s.exp_lo[k] = tables.lo[static_cast<size_t>(s.limb_lo[k])];
    s.exp[k] = s.exp_hi[k] * s.exp_lo[k];
    sum += s.exp[k];
  }
  s.exp_sum[b] = sum;
  for (size_t i = 0; i < classes; ++i) {
    const size_t k = b * classes + i;
    const int64_t num = s.exp[k] << c.fp.act_frac_bits;
    s.prob[k] = num / sum;
    s.prob_remainder[k] = num - s.prob[k] * sum;
  }
}

TEST(TrainRelations, UnpinnedSoftmaxMaximum) {
  const Recorded r = record(LossKind::kSoftmaxCrossEntropy);
  StepWitness w = r.steps[0];
  // A larger "maximum" keeps every m - z_i >= 0 but is attained by no entry.
  resoftmax_row(r.config, w, 2, w.softmax.row_max[2] + 7);
  EXPECT_EQ(failed_relation(r, 0, w), "softmax.argmax_attained");
  // A smaller one makes some m - z_i negative: the limb split cannot hold.
  w = r.steps[0];
  resoftmax_row(r.config, w, 2, w.softmax.row_max[2] - 7);
  EXPECT_EQ(failed_relation(r, 0, w), "softmax.limbs");
  // Moving the one-hot to a non-maximal entry.
  w = r.steps[0];
  size_t arg = 0;
  while (w.softmax.argmax[30 + arg] == 0) ++arg;
  w.softmax.argmax[30 + arg] = 0;
  w.softmax.argmax[30 + (arg + 1) % 10] = 1;
  EXPECT_EQ(failed_relation(r, 0, w), "softmax.argmax_attained");
}

TEST(TrainRelations, OutOfRangeQuotients) {
  const Recorded r = record(LossKind::kSoftmaxCrossEntropy);
  const unsigned fw = r.config.fp.weight_frac_bits, bq = r.config.fp.quotient_bits;
  StepWitness w = r.steps[0];
  // Same rescale equation, remainder pushed below 0.
  w.forward[1].quotient[5] += 1;
  w.forward[1].remainder[5] -= int64_t{1} << fw;
  EXPECT_EQ(failed_relation(r, 0, w), "forward.1.remainder_range");
  // A quotient moved by 2^Bq (what a wrap would need) with the remainder compensating.
  w = r.steps[0];
  w.forward[0].quotient[5] += int64_t{1} << bq;
  w.forward[0].remainder[5] -= int64_t{1} << (fw + bq);
  EXPECT_EQ(failed_relation(r, 0, w), "forward.0.quotient_range");
  w = r.steps[0];
  w.update[0].weight_update[9] += int64_t{1} << r.config.fp.update_bits;
  w.update[0].weight_update_remainder[9] -= int64_t{1} << (r.config.weight_update_shift() + r.config.fp.update_bits);
  w.update[0].new_weights[9] -= int64_t{1} << r.config.fp.update_bits;
  EXPECT_EQ(failed_relation(r, 0, w), "update.0.weights_quotient_range");
}

TEST(TrainRelations, WrongLearningRate) {
  const Recorded honest = record(LossKind::kSoftmaxCrossEntropy);
  const Recorded cheat = record(LossKind::kSoftmaxCrossEntropy, /*lr_delta=*/1, /*steps=*/1);
  const std::string rel = failed_relation(honest, 0, cheat.steps[0]);
  EXPECT_EQ(rel.rfind("update.", 0), 0u) << rel;
}

TEST(TrainRelations, SkippedOrSubstitutedExample) {
  const Recorded r = record(LossKind::kSoftmaxCrossEntropy);
  // Train on another row in place of the schedule's fourth: a consistent witness for the wrong batch.
  std::vector<uint32_t> rows = r.rows[0];
  rows[3] = (rows[3] + 1) % static_cast<uint32_t>(r.data.count);
  FixedPointTrainer trainer(r.config, r.initial);
  StepWitness w;
  trainer.step(r.data, rows, 0, &w);
  EXPECT_EQ(check_step_relations(r.config, w, {}), std::nullopt);  // internally consistent
  EXPECT_EQ(failed_relation(r, 0, w), "schedule.rows");
  // Same row index, other pixels (a dataset other than the committed one).
  formats::LabelledImages other = r.data;
  other.pixels[r.rows[0][2] * 64 + 10] ^= 0x40;
  FixedPointTrainer t2(r.config, r.initial);
  t2.step(other, r.rows[0], 0, &w);
  EXPECT_EQ(failed_relation(r, 0, w), "dataset.row");
}

TEST(TrainRelations, WeightsCarriedWrongly) {
  const Recorded r = record(LossKind::kSoftmaxCrossEntropy);
  // Step 2 recomputed from weights that differ from step 1's output in one entry.
  QuantisedModel start = model_after(r.config, r.steps[1]);
  start.weights[2][4] += 1;
  FixedPointTrainer trainer(r.config, start);
  StepWitness w;
  trainer.step(r.data, r.rows[2], 2, &w);
  EXPECT_EQ(check_step_relations(r.config, w, {}), std::nullopt);
  EXPECT_EQ(failed_relation(r, 2, w), "weights.carried");
}

}  // namespace
}  // namespace zkpot::train
