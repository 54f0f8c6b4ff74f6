#include "prover/train/relation_checker.h"

#include "prover/train/lookup_tables.h"

namespace zkpot::train {

namespace {

using i128 = __int128;

struct Failed {
  RelationFailure failure;
};

[[noreturn]] void fail(std::string relation, size_t index, std::string detail = {}) {
  throw Failed{{std::move(relation), index, std::move(detail)}};
}

void require(bool ok, const std::string& relation, size_t index) {
  if (!ok) fail(relation, index);
}

void shape(const Tensor& t, size_t n, const char* name) {
  if (t.size() != n)
    fail(std::string("shape.") + name, 0, "expected " + std::to_string(n) + " entries, got " + std::to_string(t.size()));
}

bool signed_bits(i128 v, unsigned bits) {
  return v >= -(i128{1} << (bits - 1)) && v < (i128{1} << (bits - 1));
}
bool unsigned_bits(i128 v, unsigned bits) { return v >= 0 && v < (i128{1} << bits); }
bool binary(i128 v) { return v == 0 || v == 1; }

// z + 2^(F-1) = 2^F q + r, q in Bq signed bits, r in [0, 2^F).
void check_rescale(const std::string& p, const Tensor& z, const Tensor& q, const Tensor& r, unsigned frac_bits,
                   unsigned quotient_bits) {
  for (size_t i = 0; i < z.size(); ++i) {
    require(i128{z[i]} + (i128{1} << (frac_bits - 1)) == (i128{q[i]} << frac_bits) + r[i], p + ".rescale", i);
    require(signed_bits(q[i], quotient_bits), p + ".quotient_range", i);
    require(unsigned_bits(r[i], frac_bits), p + ".remainder_range", i);
  }
}

// c (m x n) == A (m x k) B^T with B n x k, or A^T-style through strides; exact.
void check_product(const std::string& relation, const Tensor& c, const int64_t* a, size_t a_row, size_t a_col,
                   const int64_t* b, size_t b_row, size_t b_col, size_t m, size_t k, size_t n,
                   const int64_t* add = nullptr, i128 add_scale = 0) {
  for (size_t i = 0; i < m; ++i)
    for (size_t j = 0; j < n; ++j) {
      i128 s = add ? i128{add[j]} * add_scale : 0;
      for (size_t kk = 0; kk < k; ++kk) s += i128{a[i * a_row + kk * a_col]} * b[kk * b_row + j * b_col];
      require(s == c[i * n + j], relation, i * n + j);
    }
}

void check_update(const std::string& p, const Tensor& grad, const Tensor& old, const Tensor& upd, const Tensor& rem,
                  const Tensor& next, int64_t lr, unsigned shift, const FixedPointParams& fp) {
  for (size_t i = 0; i < grad.size(); ++i) {
    require(i128{lr} * grad[i] + (i128{1} << (shift - 1)) == (i128{upd[i]} << shift) + rem[i], p + "_rescale", i);
    require(signed_bits(upd[i], fp.update_bits), p + "_quotient_range", i);
    require(unsigned_bits(rem[i], shift), p + "_remainder_range", i);
    require(i128{next[i]} == i128{old[i]} - upd[i], p + "_new", i);
    require(signed_bits(next[i], fp.weight_bits), p + "_new_range", i);
  }
}

void check_all(const TrainConfig& c, const StepWitness& w, const StepContext& ctx) {
  const FixedPointParams& fp = c.fp;
  const size_t batch = c.batch_size, n0 = c.arch.inputs(), classes = c.arch.classes(), layers = c.arch.layers();
  const bool ce = c.loss == LossKind::kSoftmaxCrossEntropy;

  // Shapes first, so that nothing below reads out of bounds.
  shape(w.rows, batch, "rows");
  shape(w.pixels, batch * n0, "pixels");
  shape(w.labels, batch, "labels");
  shape(w.onehot, batch * classes, "onehot");
  shape(w.inputs, batch * n0, "inputs");
  if (w.weights.size() != layers || w.biases.size() != layers || w.forward.size() != layers ||
      w.backward.size() != layers || w.update.size() != layers)
    fail("shape.layers", 0);
  for (size_t l = 0; l < layers; ++l) {
    const size_t ni = c.arch.fan_in(l), no = c.arch.fan_out(l);
    const bool hidden = l + 1 < layers;
    shape(w.weights[l], no * ni, "weights");
    shape(w.biases[l], no, "biases");
    const auto& f = w.forward[l];
    for (const Tensor* t : {&f.pre_activation, &f.quotient, &f.remainder}) shape(*t, batch * no, "forward");
    for (const Tensor* t : {&f.relu_sign, &f.activation}) shape(*t, hidden ? batch * no : 0, "relu");
    const auto& b = w.backward[l];
    shape(b.delta, batch * no, "delta");
    shape(b.weight_grad, no * ni, "weight_grad");
    shape(b.bias_grad, no, "bias_grad");
    for (const Tensor* t : {&b.propagated, &b.propagated_quotient, &b.propagated_remainder})
      shape(*t, l > 0 ? batch * ni : 0, "propagated");
    const auto& u = w.update[l];
    for (const Tensor* t : {&u.weight_update, &u.weight_update_remainder, &u.new_weights}) shape(*t, no * ni, "update");
    for (const Tensor* t : {&u.bias_update, &u.bias_update_remainder, &u.new_biases}) shape(*t, no, "bias_update");
  }
  const auto& sm = w.softmax;
  for (const Tensor* t : {&sm.argmax, &sm.shifted, &sm.clamp, &sm.clamped, &sm.limb_hi, &sm.limb_lo, &sm.exp_hi,
                          &sm.exp_lo, &sm.exp, &sm.prob, &sm.prob_remainder})
    shape(*t, ce ? batch * classes : 0, "softmax");
  shape(sm.row_max, ce ? batch : 0, "softmax_rows");
  shape(sm.exp_sum, ce ? batch : 0, "softmax_rows");

  // Data: the schedule's rows, the committed dataset's pixels and labels, the proven normalisation and one-hot.
  for (size_t b = 0; b < ctx.scheduled_rows.size() && b < batch; ++b)
    require(ctx.scheduled_rows.size() == batch && w.rows[b] == ctx.scheduled_rows[b], "schedule.rows", b);
  if (ctx.dataset) {
    require(ctx.dataset->pixels_per_image() == n0, "dataset.shape", 0);
    for (size_t b = 0; b < batch; ++b) {
      require(w.rows[b] >= 0 && static_cast<uint64_t>(w.rows[b]) < ctx.dataset->count, "dataset.row", b);
      const auto img = ctx.dataset->image(static_cast<size_t>(w.rows[b]));
      for (size_t i = 0; i < n0; ++i) require(w.pixels[b * n0 + i] == img[i], "dataset.row", b * n0 + i);
      require(w.labels[b] == ctx.dataset->labels[static_cast<size_t>(w.rows[b])], "dataset.label", b);
    }
  }
  const auto table = normalisation_table(c.normalisation, fp.act_frac_bits);
  for (size_t i = 0; i < batch * n0; ++i) {
    require(unsigned_bits(w.pixels[i], 8), "input.pixel_range", i);
    require(w.inputs[i] == table[static_cast<size_t>(w.pixels[i])], "input.normalisation", i);
  }
  for (size_t b = 0; b < batch; ++b) {
    i128 sum = 0, which = 0;
    for (size_t j = 0; j < classes; ++j) {
      const int64_t y = w.onehot[b * classes + j];
      require(binary(y), "input.onehot", b * classes + j);
      sum += y;
      which += y * static_cast<i128>(j);
    }
    require(sum == 1 && which == w.labels[b], "input.onehot", b);
  }

  // Weights: carried from the previous step, within their width.
  for (size_t l = 0; l < layers; ++l) {
    if (ctx.carried) {
      require(ctx.carried->weights.size() == layers && ctx.carried->weights[l] == w.weights[l], "weights.carried", l);
      require(ctx.carried->biases.size() == layers && ctx.carried->biases[l] == w.biases[l], "weights.carried", l);
    }
    for (size_t i = 0; i < w.weights[l].size(); ++i) require(signed_bits(w.weights[l][i], fp.weight_bits), "weights.range", i);
    for (size_t i = 0; i < w.biases[l].size(); ++i) require(signed_bits(w.biases[l][i], fp.weight_bits), "weights.range", i);
  }

  // Forward pass (§10.2, §10.3).
  for (size_t l = 0; l < layers; ++l) {
    const std::string p = "forward." + std::to_string(l);
    const size_t ni = c.arch.fan_in(l), no = c.arch.fan_out(l);
    const auto& f = w.forward[l];
    const int64_t* a_in = l == 0 ? w.inputs.data() : w.forward[l - 1].activation.data();
    // z[b][o] = sum_i a[b][i] W[o][i] + 2^Fa bias[o]
    check_product(p + ".matmul", f.pre_activation, a_in, ni, 1, w.weights[l].data(), 1, ni, batch, ni, no,
                  w.biases[l].data(), i128{1} << fp.act_frac_bits);
    check_rescale(p, f.pre_activation, f.quotient, f.remainder, fp.weight_frac_bits, fp.quotient_bits);
    if (l + 1 < layers) {
      const std::string r = "relu." + std::to_string(l);
      for (size_t i = 0; i < f.quotient.size(); ++i) {
        const i128 s = f.relu_sign[i], q = f.quotient[i], a = f.activation[i];
        require(binary(s), r + ".sign_binary", i);
        require(a == s * q, r + ".product", i);
        require(unsigned_bits(2 * a - s - q, fp.quotient_bits), r + ".sign_range", i);
      }
    }
  }

  // Loss gradient (§10.4, §10.5).
  const Tensor& logits = w.forward.back().quotient;
  const i128 one = i128{1} << fp.act_frac_bits;
  if (ce) {
    const ExpTables tables = exp_tables(fp.act_frac_bits, fp.exp_frac_bits);
    const i128 cap = kExpClampThreshold;
    for (size_t b = 0; b < batch; ++b) {
      const size_t base = b * classes;
      i128 argmax_sum = 0, attained = 0, exp_sum = 0;
      for (size_t i = 0; i < classes; ++i) {
        const size_t k = base + i;
        const i128 x = sm.shifted[k], e = sm.argmax[k], cl = sm.clamp[k];
        require(x == i128{sm.row_max[b]} - logits[k], "softmax.shift", k);
        require(binary(e), "softmax.argmax_binary", k);
        argmax_sum += e;
        attained += e * x;
        require(binary(cl), "softmax.clamp_binary", k);
        require(i128{sm.clamped[k]} == x + cl * (cap - x), "softmax.clamped", k);
        require(unsigned_bits(cl * (x - cap), fp.quotient_bits), "softmax.clamp_range", k);
        require(unsigned_bits(sm.limb_hi[k], kLimbBits) && unsigned_bits(sm.limb_lo[k], kLimbBits) &&
                    i128{sm.clamped[k]} == (i128{sm.limb_hi[k]} << kLimbBits) + sm.limb_lo[k],
                "softmax.limbs", k);
        require(sm.exp_hi[k] == tables.hi[static_cast<size_t>(sm.limb_hi[k])] &&
                    sm.exp_lo[k] == tables.lo[static_cast<size_t>(sm.limb_lo[k])],
                "softmax.exp_lookup", k);
        require(i128{sm.exp[k]} == i128{sm.exp_hi[k]} * sm.exp_lo[k], "softmax.exp_product", k);
        exp_sum += sm.exp[k];
      }
      require(argmax_sum == 1, "softmax.argmax_sum", b);
      require(attained == 0, "softmax.argmax_attained", b);
      require(exp_sum == sm.exp_sum[b], "softmax.sum", b);
      const i128 s = sm.exp_sum[b];
      for (size_t i = 0; i < classes; ++i) {
        const size_t k = base + i;
        require(i128{sm.prob[k]} * s + sm.prob_remainder[k] == one * sm.exp[k], "softmax.division", k);
        require(unsigned_bits(sm.prob[k], fp.act_frac_bits + 1), "softmax.prob_range", k);
        require(sm.prob_remainder[k] >= 0 && s - 1 - sm.prob_remainder[k] >= 0, "softmax.remainder_range", k);
      }
    }
  }
  const Tensor& top = w.backward.back().delta;
  for (size_t k = 0; k < batch * classes; ++k) {
    const i128 out = ce ? i128{sm.prob[k]} : i128{logits[k]};
    require(i128{top[k]} == out - one * w.onehot[k], "loss.gradient", k);
  }

  // Backward pass (§10.5).
  for (size_t l = layers; l-- > 0;) {
    const std::string p = "backward." + std::to_string(l);
    const size_t ni = c.arch.fan_in(l), no = c.arch.fan_out(l);
    const auto& bw = w.backward[l];
    const int64_t* a_in = l == 0 ? w.inputs.data() : w.forward[l - 1].activation.data();
    // G[o][i] = sum_b delta[b][o] a[b][i]
    check_product(p + ".weight_grad", bw.weight_grad, bw.delta.data(), 1, no, a_in, ni, 1, no, batch, ni);
    for (size_t o = 0; o < no; ++o) {
      i128 s = 0;
      for (size_t b = 0; b < batch; ++b) s += bw.delta[b * no + o];
      require(s == bw.bias_grad[o], p + ".bias_grad", o);
    }
    if (l > 0) {
      // d[b][i] = sum_o delta[b][o] W[o][i]
      check_product(p + ".propagate", bw.propagated, bw.delta.data(), no, 1, w.weights[l].data(), ni, 1, batch, no, ni);
      check_rescale(p, bw.propagated, bw.propagated_quotient, bw.propagated_remainder, fp.weight_frac_bits,
                    fp.quotient_bits);
      const auto& sign = w.forward[l - 1].relu_sign;
      const auto& below = w.backward[l - 1].delta;
      for (size_t i = 0; i < below.size(); ++i)
        require(i128{below[i]} == i128{sign[i]} * bw.propagated_quotient[i], p + ".relu_derivative", i);
    }
  }

  // Update (§10.6).
  for (size_t l = 0; l < layers; ++l) {
    const std::string p = "update." + std::to_string(l);
    const auto& u = w.update[l];
    check_update(p + ".weights", w.backward[l].weight_grad, w.weights[l], u.weight_update, u.weight_update_remainder,
                 u.new_weights, c.lr_num, c.weight_update_shift(), fp);
    check_update(p + ".biases", w.backward[l].bias_grad, w.biases[l], u.bias_update, u.bias_update_remainder,
                 u.new_biases, c.lr_num, c.bias_update_shift(), fp);
  }
}

}  // namespace

std::optional<RelationFailure> check_step_relations(const TrainConfig& config, const StepWitness& witness,
                                                    const StepContext& context) {
  try {
    check_all(config, witness, context);
  } catch (const Failed& f) {
    return f.failure;
  }
  return std::nullopt;
}

QuantisedModel model_after(const TrainConfig& config, const StepWitness& witness) {
  QuantisedModel m;
  m.arch = config.arch;
  for (const auto& u : witness.update) {
    m.weights.push_back(u.new_weights);
    m.biases.push_back(u.new_biases);
  }
  return m;
}

}  // namespace zkpot::train
