#include "verifier/segment_backend.h"

#include "common/training_verifier.h"

namespace zkpot::verify_detail {

namespace {

// Fashion-MNIST's mean and std in millionths: the one mean/std normalisation
// the training proof has a table for (common/training_setup.h).
constexpr uint32_t kFashionMeanMicro = 286000, kFashionStdMicro = 353000;

// The statement as the segment verifier's setup; false (with the field that
// the proof cannot express) when the statement is well formed but outside
// what the training proof supports.
bool setup_of(const TrainingStatement& s, TrainingSetup* out, const char** unsupported) {
  TrainingSetup t;
  switch (static_cast<ParameterSet>(s.parameter_set)) {
    case ParameterSet::kJohnson100Zk: t.parameter_set = TrainingParameterSet::kProduction; break;
    case ParameterSet::kTestInsecure: t.parameter_set = TrainingParameterSet::kTestOnly; break;
    default: *unsupported = "parameter_set"; return false;
  }
  const StatementArchitecture& a = s.architecture;
  if (a.loss != StatementLoss::kSoftmaxCrossEntropy) {
    *unsupported = "architecture.loss";
    return false;
  }
  // The proof puts ReLU on every hidden layer and none on the output.
  for (uint32_t i = 0; i + 1 < a.layer_count; ++i) {
    if (a.activations[i] != Activation::kRelu) {
      *unsupported = "architecture.activations";
      return false;
    }
  }
  t.num_widths = a.layer_count + 1;
  t.widths[0] = a.input_width;
  for (uint32_t i = 0; i < a.layer_count; ++i) t.widths[i + 1] = a.layer_widths[i];
  const StatementHyperparameters& h = s.hyper;
  t.batch = h.batch_size;
  if (h.normalisation == NormalisationKind::kUnitRange) {
    t.normalisation = TrainingNormalisation::kUnitRange;
  } else if (h.norm_mean_micro == kFashionMeanMicro && h.norm_std_micro == kFashionStdMicro) {
    t.normalisation = TrainingNormalisation::kFashionMnistMeanStd;
  } else {
    *unsupported = "hyperparameters.normalisation";
    return false;
  }
  t.act_frac_bits = h.act_frac_bits;
  t.weight_frac_bits = h.weight_frac_bits;
  t.quotient_bits = h.quotient_bits;
  t.weight_bits = h.weight_bits;
  t.update_bits = h.update_bits;
  t.exp_frac_bits = h.exp_frac_bits;
  t.lr_frac_bits = h.lr_frac_bits;
  t.lr_num = static_cast<int64_t>(h.lr_num);
  t.dataset_commitment = s.dataset.commitment;
  t.dataset_rows = s.dataset.rows;
  t.initial_weight_commitment = s.initial_weights;
  t.has_beacon = s.has_beacon;
  t.beacon = s.beacon;
  if (!training_setup_valid(t)) {
    *unsupported = "statement";
    return false;
  }
  *out = t;
  return true;
}

}  // namespace

ChainState initial_chain_state(const TrainingStatement& statement) {
  ChainState s;
  s.weight_commitment = statement.initial_weights;
  s.next_step = statement.t0;
  return s;
}

size_t segment_scratch_bytes(const TrainingStatement& statement) {
  TrainingSetup setup;
  const char* unsupported = "";
  if (!setup_of(statement, &setup, &unsupported)) return 0;
  return training_segment_scratch_bytes(setup);
}

bool segment_verifier_available() { return true; }

const char* unsupported_statement_field(const TrainingStatement& statement) {
  TrainingSetup setup;
  const char* unsupported = "";
  return setup_of(statement, &setup, &unsupported) ? nullptr : unsupported;
}

SegmentVerdict verify_segment(const TrainingStatement& statement, const StatementDigest& statement_digest,
                              const ChainState& in, std::span<const uint8_t> segment_map, Arena& scratch,
                              ChainState* out) {
  SegmentVerdict v;
  TrainingSetup setup;
  const char* unsupported = "";
  if (!setup_of(statement, &setup, &unsupported)) {
    v.kind = SegmentVerdict::kUnsupported;
    v.check = unsupported;
    return v;
  }
  TrainingChainState chain_in;
  chain_in.weight_commitment = in.weight_commitment;
  chain_in.next_step = in.next_step;
  TrainingChainState chain_out;
  TrainingFailure failure;
  const TrainingStatus s =
      verify_training_segment(setup, statement_digest, chain_in, segment_map, scratch, &chain_out, &failure);
  const char* name = failure.check != nullptr && failure.check[0] != '\0' ? failure.check : training_status_name(s);
  switch (s) {
    case TrainingStatus::kOk:
      out->weight_commitment = chain_out.weight_commitment;
      out->next_step = chain_out.next_step;
      v.kind = SegmentVerdict::kValid;
      v.check = "";
      return v;
    case TrainingStatus::kBadSetup:
      v.kind = SegmentVerdict::kUnsupported;
      v.check = "statement";
      return v;
    case TrainingStatus::kScratchTooSmall:
      v.kind = SegmentVerdict::kScratchTooSmall;
      v.check = "scratch";
      return v;
    case TrainingStatus::kMalformedSegment:
    case TrainingStatus::kProofTooShort:
    case TrainingStatus::kTrailingProofData:
      v.kind = SegmentVerdict::kMalformed;
      v.check = name;
      return v;
    default:
      v.kind = SegmentVerdict::kInvalid;
      v.check = name;
      return v;
  }
}

}  // namespace zkpot::verify_detail
