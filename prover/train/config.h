// The public parameters of fixed-point training: architecture, batch size,
// loss, input normalisation, fixed-point scales and widths, learning rate
// (docs/PROTOCOL.md §10). A proof attests training under exactly these, so
// validate() refuses any combination for which a relation could wrap mod p.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace zkpot::train {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Caps that bound the verifier's work and make the no-wrap lemma hold.
inline constexpr size_t kMaxLayers = 16;
inline constexpr size_t kMaxWidth = 4096;
inline constexpr size_t kMaxBatch = 256;
inline constexpr unsigned kLearningRateBits = 16;  // 0 < lr_num < 2^16
inline constexpr unsigned kLimbBits = 16;          // lookup tables have 2^16 entries

// Layer widths: input, hidden..., classes ("784-128-10").
struct Architecture {
  std::vector<size_t> widths;

  size_t layers() const { return widths.empty() ? 0 : widths.size() - 1; }
  size_t inputs() const { return widths.front(); }
  size_t classes() const { return widths.back(); }
  size_t fan_in(size_t layer) const { return widths[layer]; }
  size_t fan_out(size_t layer) const { return widths[layer + 1]; }
  size_t parameter_count() const;
  std::string name() const;
  static Architecture parse(std::string_view text);  // throws ConfigError
  bool operator==(const Architecture&) const = default;
};

enum class LossKind { kSoftmaxCrossEntropy, kMeanSquaredError };

// Raw pixel v in 0..255 becomes round(2^Fa * v / 255) (unit range), or
// round(2^Fa * (v/255 - mean) / std); either way a 256-entry public table.
struct Normalisation {
  enum class Kind { kUnitRange, kMeanStd } kind = Kind::kUnitRange;
  double mean = 0.0;
  double std = 1.0;

  // Fashion-MNIST's pixel mean and standard deviation (of v / 255, training set).
  static Normalisation fashion_mnist() { return {Kind::kMeanStd, 0.2860, 0.3530}; }
};

struct FixedPointParams {
  unsigned act_frac_bits = 12;     // Fa: inputs, activations, logits, probabilities, deltas
  unsigned weight_frac_bits = 20;  // Fw: weights and biases (finer, so small updates survive)
  unsigned quotient_bits = 20;     // Bq: every activation/delta quotient lies in [-2^(Bq-1), 2^(Bq-1))
  unsigned weight_bits = 24;       // Bw: every weight and bias lies in [-2^(Bw-1), 2^(Bw-1))
  unsigned update_bits = 24;       // Bu: every update quotient lies in [-2^(Bu-1), 2^(Bu-1))
  unsigned exp_frac_bits = 16;     // Fe: scale of each exp table's outputs
  unsigned lr_frac_bits = 20;      // Flr: the learning rate is lr_num / 2^Flr per summed example
};

struct TrainConfig {
  Architecture arch;
  size_t batch_size = 64;
  LossKind loss = LossKind::kSoftmaxCrossEntropy;
  Normalisation normalisation;
  FixedPointParams fp;
  // W' = W - rescale(lr_num * sum over the batch of the gradient): the mean
  // over the batch is folded into lr_num, so eta = lr_num * B / 2^Flr.
  int64_t lr_num = 0;

  // Sets lr_num = round(eta * 2^Flr / B); throws if it falls outside (0, 2^16).
  void set_learning_rate(double eta);
  double learning_rate() const;

  // Shifts of the two update rescales: kw = 2Fa + Flr - Fw, kb = Fa + Flr - Fw.
  unsigned weight_update_shift() const;
  unsigned bias_update_shift() const;

  // Throws ConfigError naming the first violated rule (caps, shifts, widths,
  // and the no-wrap lemma of docs/PROTOCOL.md §10).
  void validate() const;

  // The given architecture with the defaults above, a learning rate and a
  // normalisation (unit range unless given); validated.
  static TrainConfig standard(const Architecture& arch, size_t batch, double eta, Normalisation norm = {});
};

}  // namespace zkpot::train
