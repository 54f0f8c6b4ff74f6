// Which tensors one training step commits, their padded shapes, where each
// sits in the step's stacked commitment, the public tensors the verifier
// evaluates itself, and the range checks with their 16-bit limbs
// (docs/PROTOCOL.md §12.2). Built from the setup alone, identically by the
// prover and the verifier; fixed-size storage so the verifier can place it in
// its arena.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>

#include "common/claims.h"
#include "common/training_setup.h"

namespace zkpot {

inline constexpr uint32_t kTrainingMaxTensors = 1024;
inline constexpr uint32_t kTrainingMaxRangeChecks = 256;
inline constexpr uint32_t kTrainingMaxLimbs = 4;
// The largest witness stack, 2^29 entries: at 2^30 the commitment's folding
// step falls below 100 provable bits (docs/PROTOCOL.md §9.5, §12.2).
inline constexpr uint32_t kTrainingMaxStackVars = 29;
inline constexpr uint32_t kTrainingNameBytes = 28;

enum class TensorStore : uint8_t {
  kStack = 0,       // a block of this step's stacked commitment
  kWeightsIn = 1,   // a slot of the weight commitment the step starts from
  kWeightsOut = 2,  // a slot of the weight commitment the step ends with
  kPublic = 3,      // known to the verifier: its MLE is computed, never committed
  kRegion = 4,      // a range region: a block of the stack holding limb tensors
};

enum class PublicTensor : uint8_t {
  kNone = 0,
  kOnes = 1,              // 1 on the active region
  kZeros = 2,             // 0 everywhere
  kColumnIndex = 3,       // j at (i, j) of the active region
  kRegionComplement = 4,  // 1 outside the active region, 0 inside
};

struct TensorInfo {
  std::array<char, kTrainingNameBytes> name{};
  uint32_t row_bits = 0, col_bits = 0;  // padded shape 2^row_bits x 2^col_bits, row-major
  uint64_t rows = 0, cols = 0;          // the active region [0, rows) x [0, cols)
  TensorStore store = TensorStore::kStack;
  PublicTensor pub = PublicTensor::kNone;
  uint32_t slot = 0;     // weight commitment slot
  int32_t region = -1;   // limb tensors: the region (limb width) holding them
  uint64_t offset = 0;   // stack offset (absolute, regions' members included)
  uint32_t vars() const { return row_bits + col_bits; }
};

// range(sum_k c_k T_k + constant * 1[active], width), proven by limbs
// L_0..L_{n-1} (16 bits each, the last width - 16(n-1)): the value equals
// sum_j 2^(16 j) L_j, and each limb is looked up in its region's table.
struct RangeCheck {
  std::array<char, kTrainingNameBytes> name{};
  uint32_t num_terms = 0;
  std::array<uint32_t, 3> term{};
  std::array<int64_t, 3> coeff{};
  int64_t constant = 0;
  uint32_t width = 0;
  uint32_t num_limbs = 0;
  std::array<uint32_t, kTrainingMaxLimbs> limb{};
};

struct TrainingLayerTensors {
  uint32_t z, q, r, s, a;           // forward (s, a: hidden layers only)
  uint32_t d, g, gb, pr, pq, prr;   // backward (pr, pq, prr: layers > 0)
  uint32_t u, rho, ub, rhob;        // update
  uint32_t w, b, w_new, b_new;      // weights in / out
};

struct TrainingSoftmaxTensors {
  uint32_t m, e, x, c, xc, v, hi, lo, eh, el, ex, sum, sum_b, p, pr;
};

inline constexpr uint32_t kNoTensor = UINT32_MAX;

// Lookup regions: one per limb width 1..16.
inline constexpr uint32_t kTrainingRegions = kTrainingLimbBits + 1;

struct TrainingLayout {
  bool valid = false;
  bool checks_input_weights = false;  // the first step of a run range-checks the weights it starts from
  uint32_t batch_bits = 0;
  uint32_t num_tensors = 0;
  std::array<TensorInfo, kTrainingMaxTensors> tensors{};
  uint32_t num_ranges = 0;
  std::array<RangeCheck, kTrainingMaxRangeChecks> ranges{};
  uint32_t layers = 0;
  std::array<TrainingLayerTensors, kTrainingMaxLayers> layer{};
  TrainingSoftmaxTensors softmax{};
  uint32_t pixels = 0, inputs = 0, onehot = 0;
  uint32_t norm_mult = 0, exp_hi_mult = 0, exp_lo_mult = 0;
  std::array<uint32_t, kTrainingRegions> region_tensor{};  // kNoTensor when unused
  std::array<uint32_t, kTrainingRegions> region_mult{};
  // Public tensors used by the relations.
  uint32_t ones_rows = 0, zeros_rows = 0, class_index = 0, class_complement = 0;
  uint32_t stack_vars = 0;
  uint32_t num_weight_slots = 0;
  std::array<uint8_t, 2 * kTrainingMaxLayers> weight_slot_vars{};

  const TensorInfo& t(uint32_t id) const { return tensors[id]; }
  CommitmentHandle h(uint32_t id) const { return CommitmentHandle{id}; }
};

inline uint32_t training_ceil_log2(uint64_t x) {
  uint32_t k = 0;
  while ((uint64_t{1} << k) < x) ++k;
  return k;
}

// The dataset commitment's shape (docs/PROTOCOL.md §12.2, §12.4): 2^rows_bits
// rows of 2^col_bits values, row j = (pixels, label, 0, ...). One definition
// for the prover that commits it, the dataset check of both roles and the
// memory estimate.
inline uint32_t training_dataset_rows_bits(uint64_t rows) { return training_ceil_log2(rows); }
inline uint32_t training_dataset_col_bits(uint64_t inputs) { return training_ceil_log2(inputs + 1); }
inline uint32_t training_dataset_vars(const TrainingSetup& s) {
  return training_dataset_rows_bits(s.dataset_rows) + training_dataset_col_bits(s.widths[0]);
}

namespace training_layout_detail {

class Builder {
 public:
  explicit Builder(TrainingLayout* l) : l_(l) {}
  bool ok() const { return ok_; }

  uint32_t add(const char* name, int a, int b, uint32_t rb, uint32_t cb, uint64_t rows, uint64_t cols,
               TensorStore store, PublicTensor pub = PublicTensor::kNone) {
    if (l_->num_tensors == kTrainingMaxTensors) {
      ok_ = false;
      return 0;
    }
    TensorInfo& t = l_->tensors[l_->num_tensors];
    if (a >= 0 && b >= 0)
      std::snprintf(t.name.data(), t.name.size(), name, a, b);
    else if (a >= 0)
      std::snprintf(t.name.data(), t.name.size(), name, a);
    else
      std::snprintf(t.name.data(), t.name.size(), "%s", name);
    t.row_bits = rb;
    t.col_bits = cb;
    t.rows = rows;
    t.cols = cols;
    t.store = store;
    t.pub = pub;
    return l_->num_tensors++;
  }

  // A range check on sum coeff_k T_k + constant (active region of T_0).
  void range(const char* name, int layer, std::initializer_list<std::pair<uint32_t, int64_t>> terms, int64_t constant,
             uint32_t width) {
    if (l_->num_ranges == kTrainingMaxRangeChecks || width == 0 || width > 16 * kTrainingMaxLimbs) {
      ok_ = false;
      return;
    }
    RangeCheck& rc = l_->ranges[l_->num_ranges++];
    if (layer >= 0)
      std::snprintf(rc.name.data(), rc.name.size(), name, layer);
    else
      std::snprintf(rc.name.data(), rc.name.size(), "%s", name);
    for (const auto& [id, c] : terms) {
      rc.term[rc.num_terms] = id;
      rc.coeff[rc.num_terms++] = c;
    }
    rc.constant = constant;
    rc.width = width;
    rc.num_limbs = (width + 15) / 16;
    const TensorInfo& base = l_->tensors[rc.term[0]];
    for (uint32_t j = 0; j < rc.num_limbs; ++j) {
      const uint32_t bits = j + 1 < rc.num_limbs ? 16 : width - 16 * j;
      char limb_name[kTrainingNameBytes] = {};
      size_t len = 0;
      while (len < 20 && rc.name[len] != 0) {
        limb_name[len] = rc.name[len];
        ++len;
      }
      limb_name[len] = '.';
      limb_name[len + 1] = 'l';
      limb_name[len + 2] = static_cast<char>('0' + j);
      const uint32_t id = add(limb_name, -1, -1, base.row_bits, base.col_bits, base.rows, base.cols, TensorStore::kStack);
      l_->tensors[id].region = static_cast<int32_t>(bits);
      rc.limb[j] = id;
    }
  }

 private:
  TrainingLayout* l_;
  bool ok_ = true;
};

// Places blocks of 2^vars[i] entries largest first, each aligned to its size;
// returns the total (a power of two) in *total_bits.
inline void place_blocks(TrainingLayout& l, std::span<const uint32_t> ids, uint64_t base, uint32_t* total_bits) {
  uint64_t next = 0;
  for (int w = 40; w >= 0; --w)
    for (uint32_t id : ids)
      if (l.tensors[id].vars() == static_cast<uint32_t>(w)) {
        l.tensors[id].offset = base + next;
        next += uint64_t{1} << w;
      }
  *total_bits = training_ceil_log2(next == 0 ? 1 : next);
}

}  // namespace training_layout_detail

// The layout of one step. first_step: the run's step 0, which also
// range-checks (and zero-pads) the initial weights.
inline void build_training_layout(const TrainingSetup& s, bool first_step, TrainingLayout* out) {
  using training_layout_detail::Builder;
  TrainingLayout& l = *out;
  l = TrainingLayout{};
  if (!training_setup_valid(s)) return;
  Builder b(&l);
  l.checks_input_weights = first_step;
  l.layers = s.layers();
  const uint32_t bb = training_ceil_log2(s.batch);
  l.batch_bits = bb;
  const uint64_t B = s.batch, C = s.classes();
  const uint32_t cbC = training_ceil_log2(C);
  // The pixel rows carry the label in column n_0, as the dataset rows do.
  const uint32_t cb_in = training_dataset_col_bits(s.inputs());
  auto width_bits = [&](uint32_t layer_index) {  // padded width of widths[i]
    return layer_index == 0 ? cb_in : training_ceil_log2(s.widths[layer_index]);
  };
  const int64_t half_q = int64_t{1} << (s.quotient_bits - 1);

  l.pixels = b.add("pixels", -1, -1, bb, cb_in, B, s.inputs() + 1, TensorStore::kStack);
  l.inputs = b.add("inputs", -1, -1, bb, cb_in, B, s.inputs(), TensorStore::kStack);
  l.onehot = b.add("onehot", -1, -1, bb, cbC, B, C, TensorStore::kStack);

  // Weight slots first (they are slots, not stack blocks).
  for (uint32_t i = 0; i < l.layers; ++i) {
    TrainingLayerTensors& t = l.layer[i];
    const uint32_t ib = width_bits(i), ob = width_bits(i + 1);
    const uint64_t ni = s.widths[i], no = s.widths[i + 1];
    t.w = b.add("w%d.in", static_cast<int>(i), -1, ob, ib, no, ni, TensorStore::kWeightsIn);
    t.b = b.add("b%d.in", static_cast<int>(i), -1, ob, 0, no, 1, TensorStore::kWeightsIn);
    t.w_new = b.add("w%d.out", static_cast<int>(i), -1, ob, ib, no, ni, TensorStore::kWeightsOut);
    t.b_new = b.add("b%d.out", static_cast<int>(i), -1, ob, 0, no, 1, TensorStore::kWeightsOut);
    l.tensors[t.w].slot = l.tensors[t.w_new].slot = 2 * i;
    l.tensors[t.b].slot = l.tensors[t.b_new].slot = 2 * i + 1;
    l.weight_slot_vars[2 * i] = static_cast<uint8_t>(ob + ib);
    l.weight_slot_vars[2 * i + 1] = static_cast<uint8_t>(ob);
  }
  l.num_weight_slots = 2 * l.layers;

  for (uint32_t i = 0; i < l.layers; ++i) {
    TrainingLayerTensors& t = l.layer[i];
    const bool hidden = i + 1 < l.layers;
    const uint32_t ib = width_bits(i), ob = width_bits(i + 1);
    const uint64_t ni = s.widths[i], no = s.widths[i + 1];
    const int li = static_cast<int>(i);
    t.z = b.add("z%d", li, -1, bb, ob, B, no, TensorStore::kStack);
    t.q = b.add("q%d", li, -1, bb, ob, B, no, TensorStore::kStack);
    t.r = b.add("r%d", li, -1, bb, ob, B, no, TensorStore::kStack);
    t.s = hidden ? b.add("s%d", li, -1, bb, ob, B, no, TensorStore::kStack) : kNoTensor;
    t.a = hidden ? b.add("a%d", li, -1, bb, ob, B, no, TensorStore::kStack) : kNoTensor;
    t.d = b.add("delta%d", li, -1, bb, ob, B, no, TensorStore::kStack);
    t.g = b.add("grad_w%d", li, -1, ob, ib, no, ni, TensorStore::kStack);
    t.gb = b.add("grad_b%d", li, -1, ob, 0, no, 1, TensorStore::kStack);
    t.pr = i > 0 ? b.add("prop%d", li, -1, bb, ib, B, ni, TensorStore::kStack) : kNoTensor;
    t.pq = i > 0 ? b.add("prop_q%d", li, -1, bb, ib, B, ni, TensorStore::kStack) : kNoTensor;
    t.prr = i > 0 ? b.add("prop_r%d", li, -1, bb, ib, B, ni, TensorStore::kStack) : kNoTensor;
    t.u = b.add("upd_w%d", li, -1, ob, ib, no, ni, TensorStore::kStack);
    t.rho = b.add("upd_wr%d", li, -1, ob, ib, no, ni, TensorStore::kStack);
    t.ub = b.add("upd_b%d", li, -1, ob, 0, no, 1, TensorStore::kStack);
    t.rhob = b.add("upd_br%d", li, -1, ob, 0, no, 1, TensorStore::kStack);
  }
  TrainingSoftmaxTensors& sm = l.softmax;
  auto bc = [&](const char* n) { return b.add(n, -1, -1, bb, cbC, B, C, TensorStore::kStack); };
  sm.m = b.add("sm.max", -1, -1, bb, 0, B, 1, TensorStore::kStack);
  sm.e = bc("sm.argmax");
  sm.x = bc("sm.shift");
  sm.c = bc("sm.clamp");
  sm.xc = bc("sm.clamped");
  sm.v = bc("sm.clamp_arg");
  sm.hi = bc("sm.hi");
  sm.lo = bc("sm.lo");
  sm.eh = bc("sm.exp_hi");
  sm.el = bc("sm.exp_lo");
  sm.ex = bc("sm.exp");
  sm.sum = b.add("sm.sum", -1, -1, bb, 0, B, 1, TensorStore::kStack);
  sm.sum_b = bc("sm.sum_bcast");
  sm.p = bc("sm.prob");
  sm.pr = bc("sm.prob_rem");
  l.norm_mult = b.add("mult.norm", -1, -1, 0, 8, 1, 256, TensorStore::kStack);
  l.exp_hi_mult = b.add("mult.exp_hi", -1, -1, 0, 16, 1, 65536, TensorStore::kStack);
  l.exp_lo_mult = b.add("mult.exp_lo", -1, -1, 0, 16, 1, 65536, TensorStore::kStack);

  // Public tensors.
  l.ones_rows = b.add("pub.ones", -1, -1, bb, 0, B, 1, TensorStore::kPublic, PublicTensor::kOnes);
  l.zeros_rows = b.add("pub.zeros", -1, -1, bb, 0, B, 1, TensorStore::kPublic, PublicTensor::kZeros);
  l.class_index = b.add("pub.class_index", -1, -1, bb, cbC, B, C, TensorStore::kPublic, PublicTensor::kColumnIndex);
  l.class_complement =
      b.add("pub.class_pad", -1, -1, bb, cbC, B, C, TensorStore::kPublic, PublicTensor::kRegionComplement);

  // Range checks (docs/PROTOCOL.md §10, §12.3).
  for (uint32_t i = 0; i < l.layers; ++i) {
    const TrainingLayerTensors& t = l.layer[i];
    const int li = static_cast<int>(i);
    b.range("fwd%d.rem", li, {{t.r, 1}}, 0, s.weight_frac_bits);
    b.range("fwd%d.quot", li, {{t.q, 1}}, half_q, s.quotient_bits);
    if (t.s != kNoTensor) b.range("relu%d.sign", li, {{t.a, 2}, {t.s, -1}, {t.q, -1}}, 0, s.quotient_bits);
    if (t.pr != kNoTensor) {
      b.range("bwd%d.rem", li, {{t.prr, 1}}, 0, s.weight_frac_bits);
      b.range("bwd%d.quot", li, {{t.pq, 1}}, half_q, s.quotient_bits);
    }
    const int64_t half_u = int64_t{1} << (s.update_bits - 1), half_w = int64_t{1} << (s.weight_bits - 1);
    b.range("upd%d.w_quot", li, {{t.u, 1}}, half_u, s.update_bits);
    b.range("upd%d.w_rem", li, {{t.rho, 1}}, 0, s.weight_update_shift());
    b.range("upd%d.b_quot", li, {{t.ub, 1}}, half_u, s.update_bits);
    b.range("upd%d.b_rem", li, {{t.rhob, 1}}, 0, s.bias_update_shift());
    b.range("upd%d.w_new", li, {{t.w_new, 1}}, half_w, s.weight_bits);
    b.range("upd%d.b_new", li, {{t.b_new, 1}}, half_w, s.weight_bits);
    if (first_step) {
      b.range("init%d.w", li, {{t.w, 1}}, half_w, s.weight_bits);
      b.range("init%d.b", li, {{t.b, 1}}, half_w, s.weight_bits);
    }
  }
  b.range("sm.clamp_range", -1, {{sm.v, 1}}, 0, s.quotient_bits);
  b.range("sm.hi_range", -1, {{sm.hi, 1}}, 0, 16);
  b.range("sm.lo_range", -1, {{sm.lo, 1}}, 0, 16);
  b.range("sm.prob_range", -1, {{sm.p, 1}}, 0, s.act_frac_bits + 1);
  b.range("sm.rem_low", -1, {{sm.pr, 1}}, 0, s.softmax_sum_bits());
  b.range("sm.rem_high", -1, {{sm.sum_b, 1}, {sm.pr, -1}}, -1, s.softmax_sum_bits());

  // Regions: one per limb width in use, with its multiplicities.
  for (uint32_t k = 0; k < kTrainingRegions; ++k) l.region_tensor[k] = l.region_mult[k] = kNoTensor;
  std::array<uint32_t, kTrainingMaxTensors> members{};
  std::array<uint32_t, kTrainingMaxTensors> top{};
  uint32_t num_top = 0;
  for (uint32_t k = 1; k < kTrainingRegions; ++k) {
    uint32_t n = 0;
    for (uint32_t id = 0; id < l.num_tensors; ++id)
      if (l.tensors[id].region == static_cast<int32_t>(k)) members[n++] = id;
    if (n == 0) continue;
    uint32_t bits = 0;
    training_layout_detail::place_blocks(l, std::span<const uint32_t>(members.data(), n), 0, &bits);
    char rn[16] = "region";
    rn[6] = static_cast<char>('0' + k / 10);
    rn[7] = static_cast<char>('0' + k % 10);
    const uint32_t rid = b.add(rn, -1, -1, 0, bits, 1, uint64_t{1} << bits, TensorStore::kRegion);
    l.region_tensor[k] = rid;
    char mn[16] = "mult.r";
    mn[6] = static_cast<char>('0' + k / 10);
    mn[7] = static_cast<char>('0' + k % 10);
    l.region_mult[k] = b.add(mn, -1, -1, 0, k, 1, uint64_t{1} << k, TensorStore::kStack);
  }
  for (uint32_t id = 0; id < l.num_tensors; ++id) {
    const TensorInfo& t = l.tensors[id];
    if ((t.store == TensorStore::kStack && t.region < 0) || t.store == TensorStore::kRegion) top[num_top++] = id;
  }
  training_layout_detail::place_blocks(l, std::span<const uint32_t>(top.data(), num_top), 0, &l.stack_vars);
  // Members' offsets become absolute.
  for (uint32_t id = 0; id < l.num_tensors; ++id) {
    TensorInfo& t = l.tensors[id];
    if (t.region > 0) t.offset += l.tensors[l.region_tensor[static_cast<uint32_t>(t.region)]].offset;
  }
  l.valid = b.ok() && l.stack_vars <= kTrainingMaxStackVars;
}

// The point on the stacked commitment (stack_vars coordinates) of a claim on
// stack tensor id at `point` (its own vars): the point, then the bits of its
// block index.
template <class E>
void training_stack_point(const TrainingLayout& l, uint32_t id, std::span<const E> point, std::span<E> out) {
  const TensorInfo& t = l.tensors[id];
  const uint32_t n = t.vars();
  for (uint32_t i = 0; i < n; ++i) out[i] = point[i];
  const uint64_t block = t.offset >> n;
  for (uint32_t i = n; i < l.stack_vars; ++i) out[i] = ((block >> (i - n)) & 1) ? E::one() : E::zero();
}

}  // namespace zkpot
