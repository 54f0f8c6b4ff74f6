// The training statement (docs/FORMAT.md §7): the public claim a proof file
// makes, the envelope's key-3 map. It names the parameter set, the network,
// the fixed-point hyperparameters, the committed dataset, the initial and
// final weight commitments and the step range [t0, t1), with caps that bound
// the verifier's work. Its digest (formats/envelope.h statement_digest) starts
// every transcript.
//
// TrainingStatement is a fixed-size value (no heap), so the verifier decodes
// it into caller memory. decode_training_statement checks canonical CBOR
// under kStatementLimits, then every field: type, range, cap (before the
// value sizes anything) and cross-field consistency, each failure naming its
// field. encode_training_statement validates the same rules before writing.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/hash.h"
#include "formats/envelope.h"
#include "formats/format_error.h"

namespace zkpot {

using StatementDigest = Blake2b256::Digest;

// Caps that bound the verifier's work (docs/FORMAT.md §7.3).
inline constexpr uint32_t kStatementMaxLayers = 16;
inline constexpr uint64_t kStatementMaxWidth = 4096;       // any layer's output width
inline constexpr uint64_t kStatementMaxInputWidth = 4096;  // the input width (dataset columns)
inline constexpr uint64_t kStatementMaxBatch = 256;
inline constexpr uint64_t kStatementMaxSteps = uint64_t{1} << 20;        // t1 - t0
inline constexpr uint64_t kStatementMaxDatasetRows = uint64_t{1} << 24;  // as common/training_setup.h
inline constexpr uint64_t kStatementMaxStepIndex = uint64_t{1} << 40;    // t1
// Ranges of the fixed-point parameters (docs/PROTOCOL.md §10 narrows them).
inline constexpr uint64_t kStatementMaxFracBits = 40;   // act, weight, exp, lr fraction bits
inline constexpr uint64_t kStatementMaxWidthBits = 48;  // quotient, weight, update bit widths
inline constexpr uint64_t kStatementLearningRateLimit = uint64_t{1} << 16;  // 0 < lr_num < 2^16
inline constexpr uint64_t kStatementMicro = 1000000;  // normalisation mean/std unit
inline constexpr uint64_t kStatementMaxNormStdMicro = 100 * kStatementMicro;

// Registered parameter sets (docs/FORMAT.md §7.2).
enum class ParameterSet : uint64_t {
  kJohnson100Zk = 1,  // "zkpot-pcs-whir-jb100-zk": provable 100 bits, zero knowledge
  kTestInsecure = 2,  // "zkpot-test-insecure": low-security test set, never for real proofs
};
// The set's name, or nullptr when the identifier is not registered.
const char* parameter_set_name(uint64_t id);

enum class Activation : uint8_t { kIdentity = 0, kRelu = 1 };
enum class StatementLoss : uint8_t { kSoftmaxCrossEntropy = 0, kMeanSquaredError = 1 };
enum class NormalisationKind : uint8_t { kUnitRange = 0, kMeanStd = 1 };

struct StatementArchitecture {
  uint32_t input_width = 0;
  uint32_t layer_count = 0;
  std::array<uint32_t, kStatementMaxLayers> layer_widths{};  // output width of each layer
  std::array<Activation, kStatementMaxLayers> activations{};
  StatementLoss loss = StatementLoss::kSoftmaxCrossEntropy;
  bool operator==(const StatementArchitecture&) const = default;
};

struct StatementHyperparameters {
  uint32_t batch_size = 0;
  uint64_t lr_num = 0;            // learning rate = lr_num / 2^lr_frac_bits per summed example
  uint32_t lr_frac_bits = 0;
  uint32_t act_frac_bits = 0;     // Fa
  uint32_t weight_frac_bits = 0;  // Fw
  uint32_t quotient_bits = 0;     // Bq
  uint32_t weight_bits = 0;       // Bw
  uint32_t update_bits = 0;       // Bu
  uint32_t exp_frac_bits = 0;     // Fe
  uint64_t steps_per_epoch = 0;   // dataset rows / batch size
  NormalisationKind normalisation = NormalisationKind::kUnitRange;
  uint32_t norm_mean_micro = 0;   // kMeanStd: mean * 10^6 (kUnitRange: 0)
  uint32_t norm_std_micro = 0;    // kMeanStd: std * 10^6 (kUnitRange: 10^6)
  bool operator==(const StatementHyperparameters&) const = default;
};

struct StatementDataset {
  StatementDigest commitment{};
  uint64_t rows = 0;
  uint32_t columns = 0;  // equals the input width
  uint32_t classes = 0;  // equals the last layer's width
  bool hiding = false;   // hiding (private data) or deterministic (public data)
  bool operator==(const StatementDataset&) const = default;
};

struct TrainingStatement {
  uint64_t parameter_set = 0;
  StatementArchitecture architecture;
  StatementHyperparameters hyper;
  StatementDataset dataset;
  StatementDigest initial_weights{};
  StatementDigest final_weights{};
  uint64_t t0 = 0;  // first step proven
  uint64_t t1 = 0;  // one past the last step proven
  bool has_beacon = false;
  StatementDigest beacon{};  // zero unless has_beacon
  bool operator==(const TrainingStatement&) const = default;
};

// Every field, for error reports: the failure names the field it is about.
enum class StatementField : uint8_t {
  kNone = 0,
  kStatement,  // the top-level map itself
  kParameterSet,
  kArchitecture,
  kInputWidth,
  kLayerWidths,
  kActivations,
  kLoss,
  kHyperparameters,
  kBatchSize,
  kLearningRate,
  kLearningRateFracBits,
  kActFracBits,
  kWeightFracBits,
  kQuotientBits,
  kWeightBits,
  kUpdateBits,
  kExpFracBits,
  kStepsPerEpoch,
  kNormalisation,
  kNormMean,
  kNormStd,
  kDataset,
  kDatasetCommitment,
  kDatasetRows,
  kDatasetColumns,
  kDatasetClasses,
  kDatasetHiding,
  kInitialWeights,
  kFinalWeights,
  kStepStart,
  kStepEnd,
  kBeacon,
};
// Dotted name, e.g. "architecture.layer_widths" (never null).
const char* statement_field_name(StatementField field);

enum class StatementError : uint8_t {
  kOk = 0,
  kFormat,         // CBOR-level: see format.code (canonical form, caps, types)
  kMissingField,   // a required key is absent
  kUnknownField,   // a key the schema does not define
  kWrongType,      // a value of another CBOR type than the schema's
  kWrongLength,    // a digest that is not 32 bytes
  kOutOfRange,     // a value outside its documented range
  kOverCap,        // a value above a cap that bounds the verifier's work
  kInconsistent,   // fields that contradict each other
  kUnknownParameterSet,
};
const char* statement_error_message(StatementError code);

struct [[nodiscard]] StatementStatus {
  StatementError code = StatementError::kOk;
  StatementField field = StatementField::kNone;
  FormatStatus format;  // kFormat: the CBOR-level code; offset is set for every code
  size_t offset = 0;    // byte offset into the statement bytes

  static constexpr StatementStatus ok() { return {}; }
  constexpr bool is_ok() const { return code == StatementError::kOk; }
};

// Writes "field: message" (and the CBOR-level message for kFormat) into buf,
// always NUL-terminated when size > 0. Never allocates.
void format_statement_reason(const StatementStatus& status, char* buf, size_t size);

// Checks every rule of docs/FORMAT.md §7 on a decoded value (what decode
// checks after parsing, and what encode checks before writing). Offsets are 0.
StatementStatus validate_training_statement(const TrainingStatement& statement);

// Decodes exactly one canonical statement map (nothing may follow); no heap
// allocation. *out is written only on success.
StatementStatus decode_training_statement(std::span<const uint8_t> bytes, TrainingStatement* out);

// Validates, then appends the canonical encoding to *out (replaced on
// success, untouched on failure).
StatementStatus encode_training_statement(const TrainingStatement& statement, std::vector<uint8_t>* out);

// The statement digest of these statement bytes under the current envelope
// version and the given suite (docs/FORMAT.md §4.2).
inline StatementDigest training_statement_digest(uint64_t suite, std::span<const uint8_t> statement_bytes) {
  return statement_digest(kEnvelopeVersion, suite, statement_bytes);
}

// The run digest (docs/PROTOCOL.md §12.1, docs/FORMAT.md §7): what every
// segment's transcript starts from. It binds every statement field fixed when
// the run starts (suite, parameter set, architecture, hyperparameters, dataset,
// initial weights, t0, beacon) and leaves out t1 and the final weights, which a
// prover that proves as it trains cannot know yet; the verifier checks those two
// against the end of the weight-commitment chain instead. No heap allocation.
StatementDigest training_run_digest(uint64_t suite, const TrainingStatement& statement);

}  // namespace zkpot
