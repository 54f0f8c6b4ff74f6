// Checks one recorded training step against every relation of
// docs/PROTOCOL.md §10 with exact integers, and names the first that fails.
// The proof of a step enforces these same relations over the field; this is
// the oracle the prover's tests compare against, and the reference for what
// each cheating-prover test must be caught by.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "formats/labelled_images.h"
#include "prover/train/config.h"
#include "prover/train/quantised_model.h"
#include "prover/train/step_witness.h"

namespace zkpot::train {

struct RelationFailure {
  std::string relation;  // e.g. "forward.0.rescale", "softmax.argmax_attained", "schedule.rows"
  size_t index = 0;      // flat index into the tensor the relation is about
  std::string detail;
};

// What the step is checked against besides its own tensors; each part is
// checked only when given.
struct StepContext {
  const formats::LabelledImages* dataset = nullptr;  // the committed dataset: rows must be its rows
  std::span<const uint32_t> scheduled_rows;          // the schedule's rows for this step
  const QuantisedModel* carried = nullptr;           // the previous step's new weights
};

// nullopt when every relation holds. Never reads out of bounds: shapes are
// checked first ("shape.<tensor>").
std::optional<RelationFailure> check_step_relations(const TrainConfig& config, const StepWitness& witness,
                                                    const StepContext& context = {});

// The model a recorded step ends with (its new weights and biases).
QuantisedModel model_after(const TrainConfig& config, const StepWitness& witness);

}  // namespace zkpot::train
