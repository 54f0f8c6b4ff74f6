#include "prover/train/config.h"

#include <charconv>
#include <cmath>

#include "prover/train/lookup_tables.h"
#include "prover/train/no_wrap.h"

namespace zkpot::train {

size_t Architecture::parameter_count() const {
  size_t n = 0;
  for (size_t l = 0; l < layers(); ++l) n += fan_out(l) * (fan_in(l) + 1);
  return n;
}

std::string Architecture::name() const {
  std::string s;
  for (size_t i = 0; i < widths.size(); ++i) {
    if (i) s.push_back('-');
    s.append(std::to_string(widths[i]));
  }
  return s;
}

Architecture Architecture::parse(std::string_view text) {
  Architecture a;
  size_t pos = 0;
  while (true) {
    const size_t dash = text.find('-', pos);
    const std::string_view part = text.substr(pos, dash == std::string_view::npos ? text.size() - pos : dash - pos);
    size_t v = 0;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (part.empty() || ec != std::errc() || end != part.data() + part.size())
      throw ConfigError("architecture '" + std::string(text) + "': widths must be positive integers joined by '-'");
    a.widths.push_back(v);
    if (dash == std::string_view::npos) break;
    pos = dash + 1;
  }
  if (a.widths.size() < 2) throw ConfigError("architecture needs at least an input and an output width");
  return a;
}

void TrainConfig::set_learning_rate(double eta) {
  if (!(eta > 0) || batch_size == 0) throw ConfigError("learning rate and batch size must be positive");
  const double num = std::round(std::ldexp(eta, static_cast<int>(fp.lr_frac_bits)) / static_cast<double>(batch_size));
  if (num < 1 || num >= std::ldexp(1.0, kLearningRateBits))
    throw ConfigError("learning rate " + std::to_string(eta) + " gives lr_num outside (0, 2^16) at Flr = " +
                      std::to_string(fp.lr_frac_bits));
  lr_num = static_cast<int64_t>(num);
}

double TrainConfig::learning_rate() const {
  return std::ldexp(static_cast<double>(lr_num) * static_cast<double>(batch_size), -static_cast<int>(fp.lr_frac_bits));
}

unsigned TrainConfig::weight_update_shift() const {
  return 2 * fp.act_frac_bits + fp.lr_frac_bits - fp.weight_frac_bits;
}
unsigned TrainConfig::bias_update_shift() const { return fp.act_frac_bits + fp.lr_frac_bits - fp.weight_frac_bits; }

void TrainConfig::validate() const {
  if (arch.layers() == 0 || arch.layers() > kMaxLayers) throw ConfigError("number of layers outside 1..16");
  for (size_t wdt : arch.widths)
    if (wdt == 0 || wdt > kMaxWidth) throw ConfigError("layer width outside 1..4096");
  if (arch.classes() < 2) throw ConfigError("need at least two classes");
  if (batch_size == 0 || batch_size > kMaxBatch) throw ConfigError("batch size outside 1..256");
  if (lr_num <= 0 || lr_num >= (int64_t{1} << kLearningRateBits)) throw ConfigError("lr_num outside (0, 2^16)");
  // Witness values are packed into 32-bit lanes by the matrix kernels.
  if (fp.quotient_bits < 2 || fp.quotient_bits > 31) throw ConfigError("quotient width outside 2..31");
  if (fp.weight_bits < 2 || fp.weight_bits > 31) throw ConfigError("weight width outside 2..31");
  if (fp.update_bits < 2 || fp.update_bits > 32) throw ConfigError("update width outside 2..32");
  if (fp.act_frac_bits < 1 || fp.act_frac_bits + 1 >= fp.quotient_bits)
    throw ConfigError("activation scale must leave room in the quotient width");
  if (fp.weight_frac_bits < 1 || fp.weight_frac_bits > 40) throw ConfigError("weight scale outside 1..40");
  if (fp.exp_frac_bits < 1 || fp.exp_frac_bits > 20) throw ConfigError("exp scale outside 1..20");
  if (2 * fp.act_frac_bits + fp.lr_frac_bits <= fp.weight_frac_bits ||
      fp.act_frac_bits + fp.lr_frac_bits <= fp.weight_frac_bits)
    throw ConfigError("update shifts 2Fa+Flr-Fw and Fa+Flr-Fw must be at least 1");
  if (weight_update_shift() > 62) throw ConfigError("update shift too large");
  for (int64_t v : normalisation_table(normalisation, fp.act_frac_bits))
    if (v < -(int64_t{1} << (fp.quotient_bits - 1)) || v >= (int64_t{1} << (fp.quotient_bits - 1)))
      throw ConfigError("normalised inputs exceed the quotient width");
  if (loss == LossKind::kSoftmaxCrossEntropy) {
    const ExpTables t = exp_tables(fp.act_frac_bits, fp.exp_frac_bits);
    if (t.hi.back() != 0) throw ConfigError("exp table does not reach 0 at the clamp; the clamp would be inexact");
  }
  for (const auto& m : worst_case_magnitudes(*this))
    if (m.bound >= half_modulus())
      throw ConfigError("no-wrap lemma fails for " + m.relation + " (2^" + std::to_string(log2_magnitude(m.bound)) +
                        " >= p/2)");
}

TrainConfig TrainConfig::standard(const Architecture& arch, size_t batch, double eta, Normalisation norm) {
  TrainConfig c;
  c.arch = arch;
  c.batch_size = batch;
  c.normalisation = norm;
  c.set_learning_rate(eta);
  c.validate();
  return c;
}

}  // namespace zkpot::train
