// The trainer's names for the one seed stream prover and verifier share:
// common/training_setup.h's TrainingSeedStream (docs/PROTOCOL.md §10.7). There
// is deliberately no second implementation here, so the two cannot drift.
#pragma once

#include <string_view>

#include "common/training_setup.h"

namespace zkpot::train {

using Seed = TrainingDigest;
using SeedStream = TrainingSeedStream;

namespace personal {
inline constexpr std::string_view kSchedule = kTrainingSchedulePersonal;
inline constexpr std::string_view kInitialWeights = "zkpot/init-w";
}  // namespace personal

}  // namespace zkpot::train
