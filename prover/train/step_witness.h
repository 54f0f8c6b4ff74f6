// Everything one training step computes, as the proof of that step will
// commit to it (docs/PROTOCOL.md §10): one flat int64 vector per tensor,
// row-major, shapes in the comments (B batch, C classes, n_in/n_out the
// layer's fan-in/fan-out). Binary indicators are stored as 0/1.
#pragma once

#include <cstdint>
#include <vector>

namespace zkpot::train {

using Tensor = std::vector<int64_t>;

struct ForwardLayerWitness {
  Tensor pre_activation;  // B x n_out: z = a_in W^T + 2^Fa b, scale 2^(Fa+Fw)
  Tensor quotient;        // B x n_out: z + 2^(Fw-1) = 2^Fw q + r, q in Bq bits (the logits for the last layer)
  Tensor remainder;       // B x n_out: r in [0, 2^Fw)
  Tensor relu_sign;       // B x n_out, hidden layers only: s in {0, 1}
  Tensor activation;      // B x n_out, hidden layers only: a = s q
};

struct SoftmaxWitness {
  Tensor row_max;         // B: m
  Tensor argmax;          // B x C: one-hot of the first index attaining m
  Tensor shifted;         // B x C: x = m - z >= 0
  Tensor clamp;           // B x C: c = [x >= 2^32 - 1]
  Tensor clamped;         // B x C: x' = x + c (2^32 - 1 - x)
  Tensor limb_hi;         // B x C: x' = 2^16 hi + lo
  Tensor limb_lo;         // B x C
  Tensor exp_hi;          // B x C: exp_hi table at hi
  Tensor exp_lo;          // B x C: exp_lo table at lo
  Tensor exp;             // B x C: E = exp_hi * exp_lo, scale 2^(2 Fe)
  Tensor exp_sum;         // B: S = sum_i E_i
  Tensor prob;            // B x C: p S + r = 2^Fa E, p in [0, 2^(Fa+1))
  Tensor prob_remainder;  // B x C: r in [0, S)
};

struct BackwardLayerWitness {
  Tensor delta;                 // B x n_out: dL/dz at scale 2^Fa (last layer: p - 2^Fa y, or q - 2^Fa y for MSE)
  Tensor weight_grad;           // n_out x n_in: G = delta^T a_in, scale 2^(2 Fa)
  Tensor bias_grad;             // n_out: column sums of delta, scale 2^Fa
  Tensor propagated;            // B x n_in (layers l > 0): d = delta W, scale 2^(Fa+Fw)
  Tensor propagated_quotient;   // B x n_in: d + 2^(Fw-1) = 2^Fw q + r, q in Bq bits
  Tensor propagated_remainder;  // B x n_in: r in [0, 2^Fw); delta of layer l-1 = s_{l-1} q
};

struct UpdateLayerWitness {
  Tensor weight_update;            // n_out x n_in: lr G + 2^(kw-1) = 2^kw U + rho, U in Bu bits
  Tensor weight_update_remainder;  // n_out x n_in: rho in [0, 2^kw)
  Tensor new_weights;              // n_out x n_in: W' = W - U, in Bw bits
  Tensor bias_update;              // n_out: lr g + 2^(kb-1) = 2^kb u + rho_b, u in Bu bits
  Tensor bias_update_remainder;    // n_out: rho_b in [0, 2^kb)
  Tensor new_biases;               // n_out: b' = b - u, in Bw bits
};

struct StepWitness {
  uint64_t step = 0;         // global step index
  Tensor rows;               // B: dataset row of each example (the schedule's)
  Tensor pixels;             // B x n_0: raw pixels 0..255
  Tensor labels;             // B
  Tensor onehot;             // B x C: y
  Tensor inputs;             // B x n_0: normalisation table at each pixel, scale 2^Fa
  std::vector<Tensor> weights;  // per layer, as at the start of the step
  std::vector<Tensor> biases;
  std::vector<ForwardLayerWitness> forward;
  SoftmaxWitness softmax;  // empty for the MSE loss
  std::vector<BackwardLayerWitness> backward;
  std::vector<UpdateLayerWitness> update;
};

}  // namespace zkpot::train
