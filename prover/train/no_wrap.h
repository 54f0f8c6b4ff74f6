// The no-wrap lemma of docs/PROTOCOL.md §10, computed: for every relation the
// proof enforces, the largest magnitude either side can reach as an integer,
// given the range-checked widths, the shapes and the caps. When each is below
// p/2, equality mod p implies equality over the integers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "prover/train/config.h"

namespace zkpot::train {

struct RelationMagnitude {
  std::string relation;        // e.g. "forward.0.rescale"
  unsigned __int128 bound = 0;  // worst-case |integer| on either side
};

// Half the Goldilocks modulus, rounded down: (p - 1) / 2.
unsigned __int128 half_modulus();

// Worst-case magnitudes of every relation for this configuration (its
// architecture and batch size; the learning rate at its cap 2^16 - 1).
std::vector<RelationMagnitude> worst_case_magnitudes(const TrainConfig& config);

// log2 of a bound, for tables and messages.
double log2_magnitude(unsigned __int128 bound);

}  // namespace zkpot::train
