// Network parameters in fixed point: per dense layer a weight matrix
// (fan_out x fan_in, row-major) and a bias vector, both at scale 2^Fw.
// Initial weights come deterministically from a 32-byte seed.
#pragma once

#include <cstdint>
#include <vector>

#include "prover/train/config.h"
#include "prover/train/seed_stream.h"

namespace zkpot::train {

struct QuantisedModel {
  Architecture arch;
  std::vector<std::vector<int64_t>> weights;  // layer l: fan_out(l) x fan_in(l)
  std::vector<std::vector<int64_t>> biases;   // layer l: fan_out(l)

  bool operator==(const QuantisedModel&) const = default;
};

// He-uniform: weights uniform on the integers of [-L, L], L = floor(2^Fw *
// sqrt(6 / fan_in)), drawn from SeedStream(kInitialWeights, seed, layer) by
// rejection; biases zero.
QuantisedModel initial_model(const TrainConfig& config, const Seed& seed);

// The same parameters as doubles (value / 2^Fw), for the float reference.
struct FloatModel {
  std::vector<std::vector<double>> weights, biases;
};
FloatModel dequantise(const QuantisedModel& model, unsigned weight_frac_bits);

}  // namespace zkpot::train
