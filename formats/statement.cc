#include "formats/statement.h"

#include <cstdio>
#include <cstring>

#include "formats/cbor_reader.h"
#include "formats/cbor_writer.h"

namespace zkpot {

namespace {

using F = StatementField;
using E = StatementError;

// Keys (docs/FORMAT.md §7.1).
enum TopKey : uint64_t {
  kKeyParameterSet = 1,
  kKeyArchitecture = 2,
  kKeyHyper = 3,
  kKeyDataset = 4,
  kKeyInitialWeights = 5,
  kKeyFinalWeights = 6,
  kKeyStepStart = 7,
  kKeyStepEnd = 8,
  kKeyBeacon = 9,
};
constexpr F kTopFields[] = {F::kNone,         F::kParameterSet,   F::kArchitecture, F::kHyperparameters,
                            F::kDataset,      F::kInitialWeights, F::kFinalWeights, F::kStepStart,
                            F::kStepEnd,      F::kBeacon};
constexpr F kArchFields[] = {F::kNone, F::kInputWidth, F::kLayerWidths, F::kActivations, F::kLoss};
constexpr F kHyperFields[] = {F::kNone,         F::kBatchSize,     F::kLearningRate,  F::kLearningRateFracBits,
                              F::kActFracBits,  F::kWeightFracBits, F::kQuotientBits, F::kWeightBits,
                              F::kUpdateBits,   F::kExpFracBits,   F::kStepsPerEpoch, F::kNormalisation,
                              F::kNormMean,     F::kNormStd};
constexpr F kDatasetFields[] = {F::kNone,           F::kDatasetCommitment, F::kDatasetRows,
                                F::kDatasetColumns, F::kDatasetClasses,    F::kDatasetHiding};

constexpr size_t kFieldCount = static_cast<size_t>(F::kBeacon) + 1;

// Where each field's value starts in the input, so that rules checked after
// parsing still report an offset.
struct FieldOffsets {
  size_t at[kFieldCount] = {};
};

StatementStatus fail(E code, F field, size_t offset) {
  StatementStatus s;
  s.code = code;
  s.field = field;
  s.offset = offset;
  return s;
}

StatementStatus from_format(const FormatStatus& f, F field) {
  StatementStatus s = fail(f.code == FormatError::kTypeMismatch ? E::kWrongType : E::kFormat, field, f.offset);
  s.format = f;
  return s;
}

// ---------------------------------------------------------------------------
// Rules (docs/FORMAT.md §7.3), in key order so the first failure is
// deterministic; cross-field rules last.

struct Checker {
  const FieldOffsets* offsets;
  StatementStatus status;

  size_t where(F f) const { return offsets ? offsets->at[static_cast<size_t>(f)] : 0; }
  bool failed() const { return !status.is_ok(); }
  void set(E code, F f) {
    if (!failed()) status = fail(code, f, where(f));
  }
  // lo <= v <= hi; above a cap is kOverCap, any other miss kOutOfRange.
  void range(F f, uint64_t v, uint64_t lo, uint64_t hi, bool hi_is_cap) {
    if (v < lo) set(E::kOutOfRange, f);
    else if (v > hi) set(hi_is_cap ? E::kOverCap : E::kOutOfRange, f);
  }
};

StatementStatus validate(const TrainingStatement& s, const FieldOffsets* offsets) {
  Checker c{offsets, StatementStatus::ok()};
  const StatementArchitecture& a = s.architecture;
  const StatementHyperparameters& h = s.hyper;
  const StatementDataset& d = s.dataset;

  if (parameter_set_name(s.parameter_set) == nullptr) c.set(E::kUnknownParameterSet, F::kParameterSet);
  c.range(F::kInputWidth, a.input_width, 1, kStatementMaxInputWidth, true);
  c.range(F::kLayerWidths, a.layer_count, 1, kStatementMaxLayers, true);
  const uint32_t layers = a.layer_count <= kStatementMaxLayers ? a.layer_count : 0;
  for (uint32_t i = 0; i < layers; ++i) c.range(F::kLayerWidths, a.layer_widths[i], 1, kStatementMaxWidth, true);
  for (uint32_t i = 0; i < layers; ++i) {
    c.range(F::kActivations, static_cast<uint64_t>(a.activations[i]), 0, 1, false);
  }
  // The loss reads the last layer's raw outputs (logits).
  if (layers > 0 && a.activations[layers - 1] != Activation::kIdentity) c.set(E::kInconsistent, F::kActivations);
  c.range(F::kLoss, static_cast<uint64_t>(a.loss), 0, 1, false);

  c.range(F::kBatchSize, h.batch_size, 1, kStatementMaxBatch, true);
  c.range(F::kLearningRate, h.lr_num, 1, kStatementLearningRateLimit - 1, false);
  c.range(F::kLearningRateFracBits, h.lr_frac_bits, 1, kStatementMaxFracBits, false);
  c.range(F::kActFracBits, h.act_frac_bits, 1, kStatementMaxFracBits, false);
  c.range(F::kWeightFracBits, h.weight_frac_bits, 1, kStatementMaxFracBits, false);
  c.range(F::kQuotientBits, h.quotient_bits, 1, kStatementMaxWidthBits, false);
  c.range(F::kWeightBits, h.weight_bits, 1, kStatementMaxWidthBits, false);
  c.range(F::kUpdateBits, h.update_bits, 1, kStatementMaxWidthBits, false);
  c.range(F::kExpFracBits, h.exp_frac_bits, 1, kStatementMaxFracBits, false);
  c.range(F::kStepsPerEpoch, h.steps_per_epoch, 1, kStatementMaxDatasetRows, false);
  c.range(F::kNormalisation, static_cast<uint64_t>(h.normalisation), 0, 1, false);
  if (h.normalisation == NormalisationKind::kUnitRange) {
    // One encoding per meaning: unit range carries mean 0 and std 1.
    if (h.norm_mean_micro != 0) c.set(E::kInconsistent, F::kNormMean);
    if (h.norm_std_micro != kStatementMicro) c.set(E::kInconsistent, F::kNormStd);
  } else {
    c.range(F::kNormMean, h.norm_mean_micro, 0, kStatementMicro, false);
    c.range(F::kNormStd, h.norm_std_micro, 1, kStatementMaxNormStdMicro, false);
  }

  c.range(F::kDatasetRows, d.rows, 1, kStatementMaxDatasetRows, true);
  c.range(F::kDatasetColumns, d.columns, 1, kStatementMaxInputWidth, true);
  c.range(F::kDatasetClasses, d.classes, 2, kStatementMaxWidth, true);
  c.range(F::kStepStart, s.t0, 0, kStatementMaxStepIndex - 1, false);
  c.range(F::kStepEnd, s.t1, 1, kStatementMaxStepIndex, false);
  if (!s.has_beacon && s.beacon != StatementDigest{}) c.set(E::kInconsistent, F::kBeacon);

  // Cross-field rules.
  if (c.failed()) return c.status;
  if (d.columns != a.input_width) c.set(E::kInconsistent, F::kDatasetColumns);
  if (d.classes != a.layer_widths[layers - 1]) c.set(E::kInconsistent, F::kDatasetClasses);
  if (d.rows < h.batch_size) c.set(E::kInconsistent, F::kDatasetRows);
  if (h.steps_per_epoch != d.rows / h.batch_size) c.set(E::kInconsistent, F::kStepsPerEpoch);
  if (s.t1 <= s.t0) c.set(E::kInconsistent, F::kStepEnd);
  else if (s.t1 - s.t0 > kStatementMaxSteps) c.set(E::kOverCap, F::kStepEnd);
  return c.status;
}

// ---------------------------------------------------------------------------
// Parsing.

class Parser {
 public:
  explicit Parser(std::span<const uint8_t> bytes) : r_(bytes, kStatementLimits) {}

  StatementStatus run(TrainingStatement* s) {
    StatementStatus st = map(F::kStatement, kTopFields, kKeyBeacon, 0x1fe /* keys 1..8 */,
                             [&](uint64_t key) { return top_field(key, s); });
    if (!st.is_ok()) return st;
    if (FormatStatus f = r_.finish(); !f.is_ok()) return from_format(f, F::kStatement);
    return StatementStatus::ok();
  }
  const FieldOffsets& offsets() const { return offsets_; }

 private:
  // Reads one map whose keys run 1..max_key (fields[key] names each),
  // calling value(key) for each; required is a bit mask over keys.
  template <class Fn>
  StatementStatus map(F self, const F* fields, uint64_t max_key, uint32_t required, Fn&& value) {
    offsets_.at[static_cast<size_t>(self)] = r_.position();
    uint64_t pairs = 0;
    if (FormatStatus f = r_.read_map(&pairs); !f.is_ok()) return from_format(f, self);
    uint32_t seen = 0;
    for (uint64_t i = 0; i < pairs; ++i) {
      const size_t key_at = r_.position();
      uint64_t key = 0;
      if (FormatStatus f = r_.read_uint(&key); !f.is_ok()) return from_format(f, self);
      if (key == 0 || key > max_key) return fail(E::kUnknownField, self, key_at);
      offsets_.at[static_cast<size_t>(fields[key])] = r_.position();
      if (StatementStatus st = value(key); !st.is_ok()) return st;
      seen |= 1u << key;
    }
    for (uint64_t key = 1; key <= max_key; ++key) {
      if ((required & (1u << key)) && !(seen & (1u << key))) {
        return fail(E::kMissingField, fields[key], r_.position());
      }
    }
    return StatementStatus::ok();
  }

  // An unsigned value, saturated to T: every narrow field's limit lies well
  // below T's maximum, so validate() classifies a saturated value exactly as
  // it would the wide one (out of range, or over a cap).
  template <class T>
  StatementStatus uint_of(F field, T* out) {
    uint64_t v = 0;
    if (FormatStatus f = r_.read_uint(&v); !f.is_ok()) return from_format(f, field);
    constexpr uint64_t kMax = static_cast<uint64_t>(T(~T{0}));
    *out = static_cast<T>(v > kMax ? kMax : v);
    return StatementStatus::ok();
  }

  StatementStatus digest(F field, StatementDigest* out) {
    std::span<const uint8_t> b;
    if (FormatStatus f = r_.read_bytes(&b); !f.is_ok()) return from_format(f, field);
    if (b.size() != out->size()) return fail(E::kWrongLength, field, offsets_.at[static_cast<size_t>(field)]);
    std::memcpy(out->data(), b.data(), out->size());
    return StatementStatus::ok();
  }

  StatementStatus boolean(F field, bool* out) {
    if (FormatStatus f = r_.read_bool(out); !f.is_ok()) return from_format(f, field);
    return StatementStatus::ok();
  }

  // An array of small enums or widths; its count is checked against the cap
  // before any element is read.
  template <class Elem>
  StatementStatus small_array(F field, std::array<Elem, kStatementMaxLayers>* out, uint32_t* count,
                              uint64_t elem_max) {
    uint64_t n = 0;
    if (FormatStatus f = r_.read_array(&n); !f.is_ok()) return from_format(f, field);
    if (n > kStatementMaxLayers) return fail(E::kOverCap, field, offsets_.at[static_cast<size_t>(field)]);
    for (uint64_t i = 0; i < n; ++i) {
      const size_t at = r_.position();
      uint64_t v = 0;
      if (FormatStatus f = r_.read_uint(&v); !f.is_ok()) return from_format(f, field);
      if (v > elem_max) {
        return fail(elem_max == kStatementMaxWidth ? E::kOverCap : E::kOutOfRange, field, at);
      }
      (*out)[i] = static_cast<Elem>(v);
    }
    *count = static_cast<uint32_t>(n);
    return StatementStatus::ok();
  }

  StatementStatus top_field(uint64_t key, TrainingStatement* s) {
    switch (key) {
      case kKeyParameterSet: return uint_of(F::kParameterSet, &s->parameter_set);
      case kKeyArchitecture:
        return map(F::kArchitecture, kArchFields, 4, 0x1e,
                   [&](uint64_t k) { return arch_field(k, &s->architecture); });
      case kKeyHyper:
        return map(F::kHyperparameters, kHyperFields, 13, 0x3ffe,
                   [&](uint64_t k) { return hyper_field(k, &s->hyper); });
      case kKeyDataset:
        return map(F::kDataset, kDatasetFields, 5, 0x3e, [&](uint64_t k) { return dataset_field(k, &s->dataset); });
      case kKeyInitialWeights: return digest(F::kInitialWeights, &s->initial_weights);
      case kKeyFinalWeights: return digest(F::kFinalWeights, &s->final_weights);
      case kKeyStepStart: return uint_of(F::kStepStart, &s->t0);
      case kKeyStepEnd: return uint_of(F::kStepEnd, &s->t1);
      default:  // kKeyBeacon
        s->has_beacon = true;
        return digest(F::kBeacon, &s->beacon);
    }
  }

  StatementStatus arch_field(uint64_t key, StatementArchitecture* a) {
    switch (key) {
      case 1: return uint_of(F::kInputWidth, &a->input_width);
      case 2: {
        if (StatementStatus st = small_array(F::kLayerWidths, &a->layer_widths, &a->layer_count, kStatementMaxWidth);
            !st.is_ok()) {
          return st;
        }
        if (a->layer_count == 0) return fail(E::kOutOfRange, F::kLayerWidths, offsets_.at[size_t(F::kLayerWidths)]);
        return StatementStatus::ok();
      }
      case 3: {
        uint32_t n = 0;
        if (StatementStatus st = small_array(F::kActivations, &a->activations, &n, 1); !st.is_ok()) return st;
        if (n != a->layer_count) {
          return fail(E::kInconsistent, F::kActivations, offsets_.at[size_t(F::kActivations)]);
        }
        return StatementStatus::ok();
      }
      default: {
        uint8_t loss = 0;
        if (StatementStatus st = uint_of(F::kLoss, &loss); !st.is_ok()) return st;
        if (loss > 1) return fail(E::kOutOfRange, F::kLoss, offsets_.at[size_t(F::kLoss)]);
        a->loss = static_cast<StatementLoss>(loss);
        return StatementStatus::ok();
      }
    }
  }

  StatementStatus hyper_field(uint64_t key, StatementHyperparameters* h) {
    switch (key) {
      case 1: return uint_of(F::kBatchSize, &h->batch_size);
      case 2: return uint_of(F::kLearningRate, &h->lr_num);
      case 3: return uint_of(F::kLearningRateFracBits, &h->lr_frac_bits);
      case 4: return uint_of(F::kActFracBits, &h->act_frac_bits);
      case 5: return uint_of(F::kWeightFracBits, &h->weight_frac_bits);
      case 6: return uint_of(F::kQuotientBits, &h->quotient_bits);
      case 7: return uint_of(F::kWeightBits, &h->weight_bits);
      case 8: return uint_of(F::kUpdateBits, &h->update_bits);
      case 9: return uint_of(F::kExpFracBits, &h->exp_frac_bits);
      case 10: return uint_of(F::kStepsPerEpoch, &h->steps_per_epoch);
      case 11: {
        uint8_t kind = 0;
        if (StatementStatus st = uint_of(F::kNormalisation, &kind); !st.is_ok()) return st;
        if (kind > 1) return fail(E::kOutOfRange, F::kNormalisation, offsets_.at[size_t(F::kNormalisation)]);
        h->normalisation = static_cast<NormalisationKind>(kind);
        return StatementStatus::ok();
      }
      case 12: return uint_of(F::kNormMean, &h->norm_mean_micro);
      default: return uint_of(F::kNormStd, &h->norm_std_micro);
    }
  }

  StatementStatus dataset_field(uint64_t key, StatementDataset* d) {
    switch (key) {
      case 1: return digest(F::kDatasetCommitment, &d->commitment);
      case 2: return uint_of(F::kDatasetRows, &d->rows);
      case 3: return uint_of(F::kDatasetColumns, &d->columns);
      case 4: return uint_of(F::kDatasetClasses, &d->classes);
      default: return boolean(F::kDatasetHiding, &d->hiding);
    }
  }

  CborReader r_;
  FieldOffsets offsets_;
};

}  // namespace

const char* parameter_set_name(uint64_t id) {
  switch (static_cast<ParameterSet>(id)) {
    case ParameterSet::kJohnson100Zk: return "zkpot-pcs-whir-jb100-zk";
    case ParameterSet::kTestInsecure: return "zkpot-test-insecure";
  }
  return nullptr;
}

const char* statement_field_name(StatementField field) {
  switch (field) {
    case F::kNone: return "(none)";
    case F::kStatement: return "statement";
    case F::kParameterSet: return "parameter_set";
    case F::kArchitecture: return "architecture";
    case F::kInputWidth: return "architecture.input_width";
    case F::kLayerWidths: return "architecture.layer_widths";
    case F::kActivations: return "architecture.activations";
    case F::kLoss: return "architecture.loss";
    case F::kHyperparameters: return "hyperparameters";
    case F::kBatchSize: return "hyperparameters.batch_size";
    case F::kLearningRate: return "hyperparameters.lr_num";
    case F::kLearningRateFracBits: return "hyperparameters.lr_frac_bits";
    case F::kActFracBits: return "hyperparameters.act_frac_bits";
    case F::kWeightFracBits: return "hyperparameters.weight_frac_bits";
    case F::kQuotientBits: return "hyperparameters.quotient_bits";
    case F::kWeightBits: return "hyperparameters.weight_bits";
    case F::kUpdateBits: return "hyperparameters.update_bits";
    case F::kExpFracBits: return "hyperparameters.exp_frac_bits";
    case F::kStepsPerEpoch: return "hyperparameters.steps_per_epoch";
    case F::kNormalisation: return "hyperparameters.normalisation";
    case F::kNormMean: return "hyperparameters.norm_mean_micro";
    case F::kNormStd: return "hyperparameters.norm_std_micro";
    case F::kDataset: return "dataset";
    case F::kDatasetCommitment: return "dataset.commitment";
    case F::kDatasetRows: return "dataset.rows";
    case F::kDatasetColumns: return "dataset.columns";
    case F::kDatasetClasses: return "dataset.classes";
    case F::kDatasetHiding: return "dataset.hiding";
    case F::kInitialWeights: return "initial_weights";
    case F::kFinalWeights: return "final_weights";
    case F::kStepStart: return "t0";
    case F::kStepEnd: return "t1";
    case F::kBeacon: return "beacon";
  }
  return "(unknown field)";
}

const char* statement_error_message(StatementError code) {
  switch (code) {
    case E::kOk: return "ok";
    case E::kFormat: return "not canonical CBOR within the statement's caps";
    case E::kMissingField: return "required field missing";
    case E::kUnknownField: return "unknown field";
    case E::kWrongType: return "value of the wrong type";
    case E::kWrongLength: return "digest is not 32 bytes";
    case E::kOutOfRange: return "value out of range";
    case E::kOverCap: return "value above the verifier's cap";
    case E::kInconsistent: return "value contradicts another field";
    case E::kUnknownParameterSet: return "parameter set not registered";
  }
  return "unknown error";
}

void format_statement_reason(const StatementStatus& status, char* buf, size_t size) {
  if (size == 0) return;
  if (status.code == E::kFormat) {
    std::snprintf(buf, size, "%s: %s (%s) at statement byte %zu", statement_field_name(status.field),
                  statement_error_message(status.code), status.format.message(), status.offset);
  } else {
    std::snprintf(buf, size, "%s: %s at statement byte %zu", statement_field_name(status.field),
                  statement_error_message(status.code), status.offset);
  }
}

StatementStatus validate_training_statement(const TrainingStatement& statement) {
  return validate(statement, nullptr);
}

StatementStatus decode_training_statement(std::span<const uint8_t> bytes, TrainingStatement* out) {
  TrainingStatement s;
  Parser parser(bytes);
  if (StatementStatus st = parser.run(&s); !st.is_ok()) return st;
  if (StatementStatus st = validate(s, &parser.offsets()); !st.is_ok()) return st;
  *out = s;
  return StatementStatus::ok();
}

StatementStatus encode_training_statement(const TrainingStatement& s, std::vector<uint8_t>* out) {
  if (StatementStatus st = validate(s, nullptr); !st.is_ok()) return st;
  const StatementArchitecture& a = s.architecture;
  const StatementHyperparameters& h = s.hyper;
  const StatementDataset& d = s.dataset;
  std::vector<uint8_t> bytes;
  CborWriter w(&bytes);
  w.begin_map(s.has_beacon ? 9 : 8);
  w.write_key(kKeyParameterSet).write_uint(s.parameter_set);
  w.write_key(kKeyArchitecture).begin_map(4);
  w.write_key(1).write_uint(a.input_width);
  w.write_key(2).begin_array(a.layer_count);
  for (uint32_t i = 0; i < a.layer_count; ++i) w.write_uint(a.layer_widths[i]);
  w.write_key(3).begin_array(a.layer_count);
  for (uint32_t i = 0; i < a.layer_count; ++i) w.write_uint(static_cast<uint64_t>(a.activations[i]));
  w.write_key(4).write_uint(static_cast<uint64_t>(a.loss));
  w.write_key(kKeyHyper).begin_map(13);
  w.write_key(1).write_uint(h.batch_size);
  w.write_key(2).write_uint(h.lr_num);
  w.write_key(3).write_uint(h.lr_frac_bits);
  w.write_key(4).write_uint(h.act_frac_bits);
  w.write_key(5).write_uint(h.weight_frac_bits);
  w.write_key(6).write_uint(h.quotient_bits);
  w.write_key(7).write_uint(h.weight_bits);
  w.write_key(8).write_uint(h.update_bits);
  w.write_key(9).write_uint(h.exp_frac_bits);
  w.write_key(10).write_uint(h.steps_per_epoch);
  w.write_key(11).write_uint(static_cast<uint64_t>(h.normalisation));
  w.write_key(12).write_uint(h.norm_mean_micro);
  w.write_key(13).write_uint(h.norm_std_micro);
  w.write_key(kKeyDataset).begin_map(5);
  w.write_key(1).write_bytes(d.commitment);
  w.write_key(2).write_uint(d.rows);
  w.write_key(3).write_uint(d.columns);
  w.write_key(4).write_uint(d.classes);
  w.write_key(5).write_bool(d.hiding);
  w.write_key(kKeyInitialWeights).write_bytes(s.initial_weights);
  w.write_key(kKeyFinalWeights).write_bytes(s.final_weights);
  w.write_key(kKeyStepStart).write_uint(s.t0);
  w.write_key(kKeyStepEnd).write_uint(s.t1);
  if (s.has_beacon) w.write_key(kKeyBeacon).write_bytes(s.beacon);
  if (FormatStatus f = w.finish(); !f.is_ok()) return from_format(f, F::kStatement);
  *out = std::move(bytes);
  return StatementStatus::ok();
}

StatementDigest training_run_digest(uint64_t suite, const TrainingStatement& s) {
  Blake2b256::State h(personal::kRun);
  // Fixed layout: every field as a little-endian u64, arrays at full capacity
  // with their counts first, so two different run statements never collide.
  h.update_u64(kEnvelopeVersion);
  h.update_u64(suite);
  h.update_u64(s.parameter_set);
  const StatementArchitecture& a = s.architecture;
  h.update_u64(a.input_width);
  h.update_u64(a.layer_count);
  for (uint32_t i = 0; i < kStatementMaxLayers; ++i) {
    h.update_u64(a.layer_widths[i]);
    h.update_u64(static_cast<uint64_t>(a.activations[i]));
  }
  h.update_u64(static_cast<uint64_t>(a.loss));
  const StatementHyperparameters& p = s.hyper;
  for (uint64_t v : {uint64_t{p.batch_size}, p.lr_num, uint64_t{p.lr_frac_bits}, uint64_t{p.act_frac_bits},
                     uint64_t{p.weight_frac_bits}, uint64_t{p.quotient_bits}, uint64_t{p.weight_bits},
                     uint64_t{p.update_bits}, uint64_t{p.exp_frac_bits}, p.steps_per_epoch,
                     static_cast<uint64_t>(p.normalisation), uint64_t{p.norm_mean_micro}, uint64_t{p.norm_std_micro}})
    h.update_u64(v);
  h.update(s.dataset.commitment.data(), s.dataset.commitment.size());
  h.update_u64(s.dataset.rows);
  h.update_u64(s.dataset.columns);
  h.update_u64(s.dataset.classes);
  h.update_u64(s.dataset.hiding ? 1 : 0);
  h.update(s.initial_weights.data(), s.initial_weights.size());
  h.update_u64(s.t0);
  h.update_u64(s.has_beacon ? 1 : 0);
  h.update(s.beacon.data(), s.beacon.size());
  return h.finalize();
}

}  // namespace zkpot
