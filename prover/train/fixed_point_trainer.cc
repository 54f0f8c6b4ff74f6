#include "prover/train/fixed_point_trainer.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <stdexcept>

#include "prover/parallel.h"
#include "prover/train/dense_kernels.h"
#include "prover/train/rescale.h"

namespace zkpot::train {

namespace {

constexpr size_t kParallelElementwise = size_t{1} << 15;

// W' = W - U with lr G + 2^(k-1) = 2^k U + rho (docs/PROTOCOL.md §10.6), over
// n parameters in parallel. With kRecord the quotients, remainders and new
// values go to the witness; otherwise params is updated in place.
template <bool kRecord>
void sgd_update(const int64_t* grad, int64_t* params, size_t n, int64_t lr, unsigned shift, const FixedPointParams& fp,
                const char* what, int64_t* upd, int64_t* rem, int64_t* next) {
  std::atomic<size_t> bad{SIZE_MAX};
  parallel_chunks(
      n,
      [&](size_t begin, size_t end, size_t) {
        for (size_t i = begin; i < end; ++i) {
          const Rescaled u = rescale_round_half_up(lr * grad[i], shift);
          const int64_t p = params[i] - u.quotient;
          if (!in_signed_range(u.quotient, fp.update_bits) || !in_signed_range(p, fp.weight_bits)) {
            size_t expected = SIZE_MAX;
            bad.compare_exchange_strong(expected, i);
            return;
          }
          if constexpr (kRecord) {
            upd[i] = u.quotient;
            rem[i] = u.remainder;
            next[i] = p;
          } else {
            params[i] = p;
          }
        }
      },
      kParallelElementwise);
  if (const size_t i = bad.load(); i != SIZE_MAX) {
    const Rescaled u = rescale_round_half_up(lr * grad[i], shift);
    if (!in_signed_range(u.quotient, fp.update_bits)) range_violation(what, i, u.quotient, fp.update_bits);
    range_violation(what, i, params[i] - u.quotient, fp.weight_bits);
  }
}

// z + 2^(F-1) = 2^F q + r for every element, q checked against Bq.
void rescale_tensor(const Tensor& z, unsigned frac_bits, unsigned quotient_bits, const char* what, Tensor* q,
                    Tensor* r) {
  q->resize(z.size());
  r->resize(z.size());
  for (size_t i = 0; i < z.size(); ++i) {
    const Rescaled s = rescale_round_half_up(z[i], frac_bits);
    check_signed_range(what, i, s.quotient, quotient_bits);
    (*q)[i] = s.quotient;
    (*r)[i] = s.remainder;
  }
}

double batch_loss(const TrainConfig& c, const Tensor& logits, const Tensor& labels, size_t rows) {
  const size_t classes = c.arch.classes();
  const double scale = std::ldexp(1.0, -static_cast<int>(c.fp.act_frac_bits));
  double total = 0;
  for (size_t b = 0; b < rows; ++b) {
    const int64_t* z = logits.data() + b * classes;
    const auto y = static_cast<size_t>(labels[b]);
    if (c.loss == LossKind::kSoftmaxCrossEntropy) {
      const double m = static_cast<double>(*std::max_element(z, z + classes)) * scale;
      double s = 0;
      for (size_t i = 0; i < classes; ++i) s += std::exp(static_cast<double>(z[i]) * scale - m);
      total += m + std::log(s) - static_cast<double>(z[y]) * scale;
    } else {
      for (size_t i = 0; i < classes; ++i) {
        const double d = static_cast<double>(z[i]) * scale - (i == y ? 1.0 : 0.0);
        total += 0.5 * d * d;
      }
    }
  }
  return total / static_cast<double>(rows);
}

}  // namespace

void fixed_point_forward(const TrainConfig& config, const QuantisedModel& model, const int64_t* inputs, size_t count,
                         std::vector<ForwardLayerWitness>* out, std::vector<int32_t>* pack_a,
                         std::vector<int32_t>* pack_b) {
  const FixedPointParams& fp = config.fp;
  const size_t layers = config.arch.layers();
  out->resize(layers);
  const int64_t* a_in = inputs;
  for (size_t l = 0; l < layers; ++l) {
    const size_t n_in = config.arch.fan_in(l), n_out = config.arch.fan_out(l);
    ForwardLayerWitness& f = (*out)[l];
    pack_i32(a_in, count, n_in, false, pack_a);
    pack_i32(model.weights[l].data(), n_out, n_in, true, pack_b);
    f.pre_activation.resize(count * n_out);
    matmul_packed(pack_a->data(), pack_b->data(), f.pre_activation.data(), count, n_in, n_out);
    const int64_t* bias = model.biases[l].data();
    for (size_t b = 0; b < count; ++b)
      for (size_t o = 0; o < n_out; ++o) f.pre_activation[b * n_out + o] += bias[o] * (int64_t{1} << fp.act_frac_bits);
    rescale_tensor(f.pre_activation, fp.weight_frac_bits, fp.quotient_bits, "forward quotient", &f.quotient,
                   &f.remainder);
    if (l + 1 < layers) {
      // ReLU through one sign indicator: s = [q >= 1], a = s q (docs/PROTOCOL.md §10.3).
      f.relu_sign.resize(f.quotient.size());
      f.activation.resize(f.quotient.size());
      for (size_t i = 0; i < f.quotient.size(); ++i) {
        f.relu_sign[i] = f.quotient[i] > 0 ? 1 : 0;
        f.activation[i] = f.relu_sign[i] * f.quotient[i];
      }
      a_in = f.activation.data();
    } else {
      f.relu_sign.clear();
      f.activation.clear();
    }
  }
}

void fixed_point_softmax(const TrainConfig& config, const ExpTables& tables, const Tensor& logits, size_t rows,
                         SoftmaxWitness* w) {
  const size_t classes = config.arch.classes(), n = rows * classes;
  for (Tensor* t : {&w->argmax, &w->shifted, &w->clamp, &w->clamped, &w->limb_hi, &w->limb_lo, &w->exp_hi, &w->exp_lo,
                    &w->exp, &w->prob, &w->prob_remainder})
    t->resize(n);
  w->row_max.resize(rows);
  w->exp_sum.resize(rows);
  const int64_t limb_mask = (int64_t{1} << kLimbBits) - 1;
  for (size_t b = 0; b < rows; ++b) {
    const size_t base = b * classes;
    const int64_t* z = logits.data() + base;
    const size_t arg = static_cast<size_t>(std::max_element(z, z + classes) - z);  // first maximum
    const int64_t m = z[arg];
    w->row_max[b] = m;
    int64_t sum = 0;
    for (size_t i = 0; i < classes; ++i) {
      const size_t k = base + i;
      w->argmax[k] = i == arg ? 1 : 0;
      const int64_t x = m - z[i];
      w->shifted[k] = x;
      w->clamp[k] = x >= kExpClampThreshold ? 1 : 0;
      w->clamped[k] = w->clamp[k] ? kExpClampThreshold : x;
      w->limb_hi[k] = w->clamped[k] >> kLimbBits;
      w->limb_lo[k] = w->clamped[k] & limb_mask;
      w->exp_hi[k] = tables.hi[static_cast<size_t>(w->limb_hi[k])];
      w->exp_lo[k] = tables.lo[static_cast<size_t>(w->limb_lo[k])];
      w->exp[k] = w->exp_hi[k] * w->exp_lo[k];
      sum += w->exp[k];
    }
    w->exp_sum[b] = sum;  // >= 2^(2 Fe): the maximum's own term is exp_hi[0] exp_lo[0]
    for (size_t i = 0; i < classes; ++i) {
      const size_t k = base + i;
      const int64_t num = w->exp[k] * (int64_t{1} << config.fp.act_frac_bits);
      w->prob[k] = num / sum;
      w->prob_remainder[k] = num - w->prob[k] * sum;
    }
  }
}

FixedPointTrainer::FixedPointTrainer(const TrainConfig& config, QuantisedModel initial)
    : config_(config), model_(std::move(initial)) {
  config_.validate();
  if (model_.arch.widths != config_.arch.widths || model_.weights.size() != config_.arch.layers() ||
      model_.biases.size() != config_.arch.layers())
    throw ConfigError("model does not match the architecture");
  for (size_t l = 0; l < config_.arch.layers(); ++l) {
    if (model_.weights[l].size() != config_.arch.fan_in(l) * config_.arch.fan_out(l) ||
        model_.biases[l].size() != config_.arch.fan_out(l))
      throw ConfigError("model layer " + std::to_string(l) + " has the wrong shape");
    for (size_t i = 0; i < model_.weights[l].size(); ++i)
      check_signed_range("initial weights", i, model_.weights[l][i], config_.fp.weight_bits);
    for (size_t i = 0; i < model_.biases[l].size(); ++i)
      check_signed_range("initial biases", i, model_.biases[l][i], config_.fp.weight_bits);
  }
  norm_table_ = normalisation_table(config_.normalisation, config_.fp.act_frac_bits);
  if (config_.loss == LossKind::kSoftmaxCrossEntropy)
    exp_tables_ = exp_tables(config_.fp.act_frac_bits, config_.fp.exp_frac_bits);
}

void FixedPointTrainer::load_batch(const formats::LabelledImages& data, std::span<const uint32_t> rows,
                                   StepWitness& w) const {
  const size_t batch = config_.batch_size, n0 = config_.arch.inputs(), classes = config_.arch.classes();
  if (rows.size() != batch) throw std::invalid_argument("step: expected one batch of rows");
  if (data.pixels_per_image() != n0) throw std::invalid_argument("step: image size does not match the input width");
  w.rows.resize(batch);
  w.pixels.resize(batch * n0);
  w.inputs.resize(batch * n0);
  w.labels.resize(batch);
  w.onehot.assign(batch * classes, 0);
  for (size_t b = 0; b < batch; ++b) {
    if (rows[b] >= data.count) throw std::invalid_argument("step: row index outside the dataset");
    const uint8_t label = data.labels[rows[b]];
    if (label >= classes) throw std::invalid_argument("step: label outside the classes");
    w.rows[b] = rows[b];
    w.labels[b] = label;
    w.onehot[b * classes + label] = 1;
    const auto img = data.image(rows[b]);
    for (size_t i = 0; i < n0; ++i) {
      w.pixels[b * n0 + i] = img[i];
      w.inputs[b * n0 + i] = norm_table_[img[i]];
    }
  }
}

void FixedPointTrainer::step(const formats::LabelledImages& data, std::span<const uint32_t> rows, uint64_t step_index,
                             StepWitness* witness) {
  StepWitness& w = witness ? *witness : scratch_;
  const bool record = witness != nullptr;
  const size_t batch = config_.batch_size, classes = config_.arch.classes(), layers = config_.arch.layers();
  w.step = step_index;
  load_batch(data, rows, w);
  if (record) {
    w.weights = model_.weights;
    w.biases = model_.biases;
  }
  fixed_point_forward(config_, model_, w.inputs.data(), batch, &w.forward, &pack_a_, &pack_b_);
  const Tensor& logits = w.forward.back().quotient;
  last_loss_ = batch_loss(config_, logits, w.labels, batch);

  w.backward.resize(layers);
  Tensor& delta = w.backward.back().delta;
  delta.resize(batch * classes);
  const int64_t one = int64_t{1} << config_.fp.act_frac_bits;
  if (config_.loss == LossKind::kSoftmaxCrossEntropy) {
    fixed_point_softmax(config_, exp_tables_, logits, batch, &w.softmax);
    for (size_t i = 0; i < delta.size(); ++i) delta[i] = w.softmax.prob[i] - one * w.onehot[i];
  } else {
    w.softmax = SoftmaxWitness{};
    for (size_t i = 0; i < delta.size(); ++i) delta[i] = logits[i] - one * w.onehot[i];
  }
  backward_and_update(w, record);
}

void FixedPointTrainer::backward_and_update(StepWitness& w, bool record) {
  const FixedPointParams& fp = config_.fp;
  const size_t batch = config_.batch_size, layers = config_.arch.layers();
  if (record) w.update.resize(layers);
  for (size_t li = layers; li-- > 0;) {
    const size_t n_in = config_.arch.fan_in(li), n_out = config_.arch.fan_out(li);
    BackwardLayerWitness& bw = w.backward[li];
    const Tensor& a_in = li == 0 ? w.inputs : w.forward[li - 1].activation;
    // G = delta^T a_in and the bias gradient (column sums of delta).
    pack_i32(bw.delta.data(), batch, n_out, true, &pack_a_);
    pack_i32(a_in.data(), batch, n_in, false, &pack_b_);
    bw.weight_grad.resize(n_out * n_in);
    matmul_packed(pack_a_.data(), pack_b_.data(), bw.weight_grad.data(), n_out, batch, n_in);
    bw.bias_grad.assign(n_out, 0);
    for (size_t b = 0; b < batch; ++b)
      for (size_t o = 0; o < n_out; ++o) bw.bias_grad[o] += bw.delta[b * n_out + o];
    // Propagate with the old weights: d = delta W, rescaled, masked by the layer below's sign.
    if (li > 0) {
      pack_i32(bw.delta.data(), batch, n_out, false, &pack_a_);
      pack_i32(model_.weights[li].data(), n_out, n_in, false, &pack_b_);
      bw.propagated.resize(batch * n_in);
      matmul_packed(pack_a_.data(), pack_b_.data(), bw.propagated.data(), batch, n_out, n_in);
      rescale_tensor(bw.propagated, fp.weight_frac_bits, fp.quotient_bits, "backward quotient",
                     &bw.propagated_quotient, &bw.propagated_remainder);
      const Tensor& sign = w.forward[li - 1].relu_sign;
      Tensor& below = w.backward[li - 1].delta;
      below.resize(batch * n_in);
      for (size_t i = 0; i < below.size(); ++i) below[i] = sign[i] * bw.propagated_quotient[i];
    } else {
      bw.propagated.clear();
      bw.propagated_quotient.clear();
      bw.propagated_remainder.clear();
    }
    // SGD update (docs/PROTOCOL.md §10.6).
    auto& weights = model_.weights[li];
    auto& biases = model_.biases[li];
    if (record) {
      UpdateLayerWitness& uw = w.update[li];
      for (Tensor* t : {&uw.weight_update, &uw.weight_update_remainder, &uw.new_weights}) t->resize(weights.size());
      for (Tensor* t : {&uw.bias_update, &uw.bias_update_remainder, &uw.new_biases}) t->resize(biases.size());
      sgd_update<true>(bw.weight_grad.data(), weights.data(), weights.size(), config_.lr_num,
                       config_.weight_update_shift(), fp, "weight update", uw.weight_update.data(),
                       uw.weight_update_remainder.data(), uw.new_weights.data());
      sgd_update<true>(bw.bias_grad.data(), biases.data(), biases.size(), config_.lr_num, config_.bias_update_shift(),
                       fp, "bias update", uw.bias_update.data(), uw.bias_update_remainder.data(), uw.new_biases.data());
      weights = uw.new_weights;
      biases = uw.new_biases;
    } else {
      sgd_update<false>(bw.weight_grad.data(), weights.data(), weights.size(), config_.lr_num,
                        config_.weight_update_shift(), fp, "weight update", nullptr, nullptr, nullptr);
      sgd_update<false>(bw.bias_grad.data(), biases.data(), biases.size(), config_.lr_num,
                        config_.bias_update_shift(), fp, "bias update", nullptr, nullptr, nullptr);
    }
  }
}

double fixed_point_accuracy(const TrainConfig& config, const QuantisedModel& model, const formats::LabelledImages& data,
                            size_t begin, size_t count) {
  if (begin > data.count || count > data.count - begin) throw std::invalid_argument("accuracy: range outside the data");
  if (data.pixels_per_image() != config.arch.inputs()) throw std::invalid_argument("accuracy: image size mismatch");
  const auto table = normalisation_table(config.normalisation, config.fp.act_frac_bits);
  const size_t n0 = config.arch.inputs(), classes = config.arch.classes(), chunk = 1024;
  std::vector<ForwardLayerWitness> fw;
  std::vector<int32_t> pa, pb;
  Tensor inputs;
  size_t correct = 0;
  for (size_t start = begin; start < begin + count; start += chunk) {
    const size_t rows = std::min(chunk, begin + count - start);
    inputs.resize(rows * n0);
    for (size_t i = 0; i < rows * n0; ++i) inputs[i] = table[data.pixels[start * n0 + i]];
    fixed_point_forward(config, model, inputs.data(), rows, &fw, &pa, &pb);
    const Tensor& z = fw.back().quotient;
    for (size_t b = 0; b < rows; ++b) {
      const int64_t* row = z.data() + b * classes;
      if (static_cast<size_t>(std::max_element(row, row + classes) - row) == data.labels[start + b]) ++correct;
    }
  }
  return count == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(count);
}

}  // namespace zkpot::train
