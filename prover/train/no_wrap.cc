#include "prover/train/no_wrap.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "common/field.h"
#include "prover/train/lookup_tables.h"

namespace zkpot::train {

namespace {
using u128 = unsigned __int128;
u128 pow2(unsigned k) { return u128{1} << k; }
}  // namespace

u128 half_modulus() { return (u128{Goldilocks::kModulus} - 1) / 2; }

double log2_magnitude(u128 bound) {
  return std::log2(static_cast<double>(static_cast<uint64_t>(bound >> 64)) * 18446744073709551616.0 +
                   static_cast<double>(static_cast<uint64_t>(bound)));
}

std::vector<RelationMagnitude> worst_case_magnitudes(const TrainConfig& c) {
  const FixedPointParams& fp = c.fp;
  std::vector<RelationMagnitude> out;
  auto add = [&](std::string name, u128 lhs, u128 rhs) { out.push_back({std::move(name), std::max(lhs, rhs)}); };

  u128 input_max = 0;
  for (int64_t v : normalisation_table(c.normalisation, fp.act_frac_bits))
    input_max = std::max<u128>(input_max, static_cast<u128>(std::llabs(v)));
  const u128 act = pow2(fp.quotient_bits - 1);  // |q|, |a|, hidden |delta|
  const u128 w = pow2(fp.weight_bits - 1);
  const u128 upd = pow2(fp.update_bits - 1);
  const u128 lr = pow2(kLearningRateBits) - 1;
  const u128 batch = c.batch_size;
  const u128 one = pow2(fp.act_frac_bits);
  const u128 last_delta = c.loss == LossKind::kSoftmaxCrossEntropy ? one : act + one;
  const u128 delta = std::max(last_delta, act);
  const unsigned kw = c.weight_update_shift(), kb = c.bias_update_shift();

  for (size_t l = 0; l < c.arch.layers(); ++l) {
    const std::string p = std::to_string(l);
    const u128 n_in = c.arch.fan_in(l), n_out = c.arch.fan_out(l);
    const u128 a_in = l == 0 ? input_max : act;
    // z = a W^T + 2^Fa b; z + 2^(Fw-1) = 2^Fw q + r.
    add("forward." + p + ".rescale", n_in * w * a_in + one * w + pow2(fp.weight_frac_bits - 1),
        pow2(fp.weight_frac_bits) * act + pow2(fp.weight_frac_bits));
    if (l + 1 < c.arch.layers()) add("forward." + p + ".relu", 3 * act + 1, act);
    // G = delta^T a; lr G + 2^(kw-1) = 2^kw U + rho; W' = W - U.
    const u128 grad = batch * delta * a_in;
    add("backward." + p + ".weight_grad", grad, grad);
    add("update." + p + ".weights", lr * grad + pow2(kw - 1), pow2(kw) * upd + pow2(kw));
    add("update." + p + ".new_weights", w + upd, w);
    const u128 bgrad = batch * delta;
    add("update." + p + ".biases", lr * bgrad + pow2(kb - 1), pow2(kb) * upd + pow2(kb));
    // d = delta W, rescaled like the forward pass.
    if (l > 0)
      add("backward." + p + ".propagate", n_out * delta * w + pow2(fp.weight_frac_bits - 1),
          pow2(fp.weight_frac_bits) * act + pow2(fp.weight_frac_bits));
  }
  const u128 classes = c.arch.classes();
  if (c.loss == LossKind::kSoftmaxCrossEntropy) {
    const u128 shift = 2 * act;  // m - z_i
    const u128 cap = static_cast<u128>(kExpClampThreshold);
    add("softmax.max", shift, shift);
    add("softmax.argmax", classes * shift, classes * shift);
    add("softmax.clamp", shift + cap, shift + cap);
    add("softmax.limbs", pow2(2 * kLimbBits), pow2(2 * kLimbBits));
    const u128 e = pow2(2 * fp.exp_frac_bits);
    add("softmax.exp", e, e);
    add("softmax.sum", classes * e, classes * e);
    add("softmax.division", pow2(fp.act_frac_bits + 1) * classes * e + classes * e, one * e);
    add("loss.gradient", last_delta, last_delta);
  } else {
    add("loss.gradient", last_delta, last_delta);
  }
  return out;
}

}  // namespace zkpot::train
