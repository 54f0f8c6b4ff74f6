// Train the fixed-point engine (train-only mode) and the double reference
// side by side from the same initial weights and schedule, recording both
// accuracy curves: what bench/README.md "## Training engine" reports and what
// the accuracy test asserts.
#pragma once

#include <cstdint>
#include <vector>

#include "formats/labelled_images.h"
#include "prover/train/config.h"
#include "prover/train/quantised_model.h"
#include "prover/train/seed_stream.h"

namespace zkpot::train {

struct CurvePoint {
  uint64_t step = 0;          // steps done when measured
  double fixed_accuracy = 0;  // on the evaluation set
  double float_accuracy = 0;
  double fixed_loss = 0;  // mean training loss of the last batch before the point
  double float_loss = 0;
};

struct ComparisonRun {
  std::vector<CurvePoint> curve;
  QuantisedModel fixed_model;
  FloatModel float_model;
  double fixed_step_seconds = 0;  // mean wall time of a train-only step
  double float_step_seconds = 0;
};

struct ComparisonOptions {
  Seed weight_seed{};
  Seed schedule_seed{};
  uint64_t steps = 0;       // 0: one epoch
  uint64_t eval_every = 0;  // 0: only at the end
  size_t eval_rows = 0;     // 0: the whole evaluation set
};

ComparisonRun train_and_compare(const TrainConfig& config, const formats::LabelledImages& train,
                                const formats::LabelledImages& eval, const ComparisonOptions& options);

}  // namespace zkpot::train
