// Dataset commitments as files (docs/FORMAT.md "Dataset commitment file",
// docs/PROTOCOL.md §12.1): `zkpot-prove commit-dataset` writes one, `train
// --dataset-commitment` reads it back and recomputes it from the data.
//
// The commitment's randomness comes from a 32-byte seed. Public data: the
// seed is a hash of the data itself, so anyone holding Fashion-MNIST
// recomputes the same bytes. Private (hiding) data: the seed is fresh OS
// randomness kept in FILE.private, never published.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>

#include "common/training_setup.h"
#include "formats/labelled_images.h"
#include "prover/rng.h"
#include "prover/train_prover_impl.h"

namespace zkpot {

using RandomnessSeed = std::array<uint8_t, 32>;

// The public part of a dataset commitment file.
struct DatasetCommitmentInfo {
  TrainingParameterSet parameter_set = TrainingParameterSet::kProduction;
  bool hiding = true;
  uint64_t rows = 0, columns = 0, classes = 0;  // classes: largest label + 1
  TrainingDigest commitment{};                   // the statement's dataset commitment
  TrainingDigest content{};  // dataset_content_digest: in the public file only for public data
};

// BLAKE2b-256 ("zkpot/ds-content") of rows, columns and every pixel and label,
// in order: what a public commitment's randomness is derived from.
TrainingDigest dataset_content_digest(const formats::LabelledImages& data);
// Largest label + 1.
uint64_t dataset_classes(const formats::LabelledImages& data);
// The randomness seed of a public (deterministic) commitment.
RandomnessSeed public_dataset_seed(const TrainingDigest& content);

// The commitment with randomness expanded from seed (always the same bytes
// for the same data, parameter set and seed).
TrainingCommitment commit_dataset_from_seed(TrainingParameterSet ps, const formats::LabelledImages& data,
                                            const RandomnessSeed& seed);

// Commits data under ps and describes it: a public commitment (randomness
// from the content digest) when hiding_seed is null, else a hiding one with
// *hiding_seed. Every field of the result is set; *seed receives the seed used.
DatasetCommitmentInfo commit_dataset(TrainingParameterSet ps, const formats::LabelledImages& data,
                                     const RandomnessSeed* hiding_seed, RandomnessSeed* seed);

// Writes FILE (and, when info.hiding, FILE.private holding seed and content
// digest, mode 0600) atomically.
void write_dataset_commitment_file(const std::filesystem::path& file, const DatasetCommitmentInfo& info,
                                   const RandomnessSeed& seed);
// Reads FILE (and FILE.private for a hiding one) into *info and *seed; throws
// std::runtime_error naming the file and the problem.
void read_dataset_commitment_file(const std::filesystem::path& file, DatasetCommitmentInfo* info, RandomnessSeed* seed);

// Checks that data (committed with seed under ps) is what info commits to;
// returns the commitment, or throws std::runtime_error saying what differs.
TrainingCommitment recommit_dataset(const DatasetCommitmentInfo& info, const RandomnessSeed& seed,
                                    TrainingParameterSet ps, const formats::LabelledImages& data);

// A dataset to train on or commit: a directory of IDX files (Fashion-MNIST's
// training split file names, gzipped or not) or a .csv file (formats/
// csv_dataset.h); its first `rows` examples (0: all).
formats::LabelledImages load_training_dataset(const std::string& path, size_t rows);
// The held-out examples: the first `rows` of the test split of an IDX
// directory; empty when path is a CSV file or the test split is missing.
formats::LabelledImages load_held_out_dataset(const std::string& path, size_t rows);

}  // namespace zkpot
