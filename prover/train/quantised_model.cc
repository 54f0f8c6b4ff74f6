#include "prover/train/quantised_model.h"

#include <cmath>

namespace zkpot::train {

QuantisedModel initial_model(const TrainConfig& config, const Seed& seed) {
  QuantisedModel m;
  m.arch = config.arch;
  for (size_t l = 0; l < config.arch.layers(); ++l) {
    const size_t n_in = config.arch.fan_in(l), n_out = config.arch.fan_out(l);
    const auto limit = static_cast<int64_t>(
        std::floor(std::ldexp(std::sqrt(6.0 / static_cast<double>(n_in)), static_cast<int>(config.fp.weight_frac_bits))));
    SeedStream stream(personal::kInitialWeights, seed, l);
    std::vector<int64_t> w(n_in * n_out);
    for (auto& v : w) v = static_cast<int64_t>(stream.uniform_below(static_cast<uint64_t>(2 * limit + 1))) - limit;
    m.weights.push_back(std::move(w));
    m.biases.emplace_back(n_out, 0);
  }
  return m;
}

FloatModel dequantise(const QuantisedModel& model, unsigned weight_frac_bits) {
  FloatModel f;
  const double s = std::ldexp(1.0, -static_cast<int>(weight_frac_bits));
  for (const auto& w : model.weights) {
    f.weights.emplace_back(w.size());
    for (size_t i = 0; i < w.size(); ++i) f.weights.back()[i] = static_cast<double>(w[i]) * s;
  }
  for (const auto& b : model.biases) {
    f.biases.emplace_back(b.size());
    for (size_t i = 0; i < b.size(); ++i) f.biases.back()[i] = static_cast<double>(b[i]) * s;
  }
  return f;
}

}  // namespace zkpot::train
