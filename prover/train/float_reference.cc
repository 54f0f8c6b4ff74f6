#include "prover/train/float_reference.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "prover/train/dense_kernels.h"

namespace zkpot::train {

namespace {

// acts[l] = relu(a_in W^T + b) (identity for the last layer).
void forward_layers(const TrainConfig& c, const FloatModel& m, const double* inputs, size_t count,
                    std::vector<std::vector<double>>* acts, std::vector<double>* pa, std::vector<double>* pb) {
  const size_t layers = c.arch.layers();
  acts->resize(layers);
  const double* a_in = inputs;
  for (size_t l = 0; l < layers; ++l) {
    const size_t n_in = c.arch.fan_in(l), n_out = c.arch.fan_out(l);
    auto& z = (*acts)[l];
    z.resize(count * n_out);
    pack_f64(a_in, count, n_in, false, pa);
    pack_f64(m.weights[l].data(), n_out, n_in, true, pb);
    matmul_packed(pa->data(), pb->data(), z.data(), count, n_in, n_out);
    const bool hidden = l + 1 < layers;
    for (size_t b = 0; b < count; ++b)
      for (size_t o = 0; o < n_out; ++o) {
        double& v = z[b * n_out + o];
        v += m.biases[l][o];
        if (hidden && v < 0) v = 0;
      }
    a_in = z.data();
  }
}

}  // namespace

std::vector<double> float_input_table(const Normalisation& n) {
  std::vector<double> t(256);
  for (size_t v = 0; v < 256; ++v) {
    const double x = static_cast<double>(v) / 255.0;
    t[v] = n.kind == Normalisation::Kind::kUnitRange ? x : (x - n.mean) / n.std;
  }
  return t;
}

FloatReferenceTrainer::FloatReferenceTrainer(const TrainConfig& config, FloatModel initial)
    : config_(config), model_(std::move(initial)), input_table_(float_input_table(config.normalisation)) {
  config_.validate();
  if (model_.weights.size() != config_.arch.layers()) throw ConfigError("float model does not match the architecture");
}

void FloatReferenceTrainer::step(const formats::LabelledImages& data, std::span<const uint32_t> rows) {
  const size_t batch = config_.batch_size, n0 = config_.arch.inputs(), classes = config_.arch.classes();
  const size_t layers = config_.arch.layers();
  if (rows.size() != batch || data.pixels_per_image() != n0) throw std::invalid_argument("float step: bad batch");
  inputs_.resize(batch * n0);
  for (size_t b = 0; b < batch; ++b) {
    if (rows[b] >= data.count) throw std::invalid_argument("float step: row outside the dataset");
    const auto img = data.image(rows[b]);
    for (size_t i = 0; i < n0; ++i) inputs_[b * n0 + i] = input_table_[img[i]];
  }
  forward_layers(config_, model_, inputs_.data(), batch, &acts_, &pack_a_, &pack_b_);
  deltas_.resize(layers);
  auto& top = deltas_.back();
  top.resize(batch * classes);
  double loss = 0;
  for (size_t b = 0; b < batch; ++b) {
    const double* z = acts_.back().data() + b * classes;
    const size_t y = data.labels[rows[b]];
    double* d = top.data() + b * classes;
    if (config_.loss == LossKind::kSoftmaxCrossEntropy) {
      const double m = *std::max_element(z, z + classes);
      double s = 0;
      for (size_t i = 0; i < classes; ++i) s += std::exp(z[i] - m);
      for (size_t i = 0; i < classes; ++i) d[i] = std::exp(z[i] - m) / s - (i == y ? 1.0 : 0.0);
      loss += m + std::log(s) - z[y];
    } else {
      for (size_t i = 0; i < classes; ++i) {
        d[i] = z[i] - (i == y ? 1.0 : 0.0);
        loss += 0.5 * d[i] * d[i];
      }
    }
  }
  last_loss_ = loss / static_cast<double>(batch);
  const double step_size = config_.learning_rate() / static_cast<double>(batch);
  for (size_t li = layers; li-- > 0;) {
    const size_t n_in = config_.arch.fan_in(li), n_out = config_.arch.fan_out(li);
    const std::vector<double>& a_in = li == 0 ? inputs_ : acts_[li - 1];
    const auto& delta = deltas_[li];
    pack_f64(delta.data(), batch, n_out, true, &pack_a_);
    pack_f64(a_in.data(), batch, n_in, false, &pack_b_);
    grad_.resize(n_out * n_in);
    matmul_packed(pack_a_.data(), pack_b_.data(), grad_.data(), n_out, batch, n_in);
    if (li > 0) {
      auto& below = deltas_[li - 1];
      below.resize(batch * n_in);
      pack_f64(delta.data(), batch, n_out, false, &pack_a_);
      pack_f64(model_.weights[li].data(), n_out, n_in, false, &pack_b_);
      matmul_packed(pack_a_.data(), pack_b_.data(), below.data(), batch, n_out, n_in);
      for (size_t i = 0; i < below.size(); ++i)
        if (!(acts_[li - 1][i] > 0)) below[i] = 0;
    }
    auto& w = model_.weights[li];
    for (size_t i = 0; i < w.size(); ++i) w[i] -= step_size * grad_[i];
    for (size_t o = 0; o < n_out; ++o) {
      double g = 0;
      for (size_t b = 0; b < batch; ++b) g += delta[b * n_out + o];
      model_.biases[li][o] -= step_size * g;
    }
  }
}

std::vector<double> float_forward(const TrainConfig& config, const FloatModel& model, const double* inputs,
                                  size_t count) {
  std::vector<std::vector<double>> acts;
  std::vector<double> pa, pb;
  forward_layers(config, model, inputs, count, &acts, &pa, &pb);
  return std::move(acts.back());
}

double float_accuracy(const TrainConfig& config, const FloatModel& model, const formats::LabelledImages& data,
                      size_t begin, size_t count) {
  if (begin > data.count || count > data.count - begin) throw std::invalid_argument("accuracy: range outside the data");
  const auto table = float_input_table(config.normalisation);
  const size_t n0 = config.arch.inputs(), classes = config.arch.classes(), chunk = 1024;
  std::vector<double> inputs;
  size_t correct = 0;
  for (size_t start = begin; start < begin + count; start += chunk) {
    const size_t rows = std::min(chunk, begin + count - start);
    inputs.resize(rows * n0);
    for (size_t i = 0; i < rows * n0; ++i) inputs[i] = table[data.pixels[start * n0 + i]];
    const auto z = float_forward(config, model, inputs.data(), rows);
    for (size_t b = 0; b < rows; ++b) {
      const double* row = z.data() + b * classes;
      if (static_cast<size_t>(std::max_element(row, row + classes) - row) == data.labels[start + b]) ++correct;
    }
  }
  return count == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(count);
}

}  // namespace zkpot::train
