// Proof files on the prover's side (docs/FORMAT.md §4, §7): the envelope is
// assembled from the statement and the segments, and RUN/proof.zkp is
// replaced atomically, so a reader (or a crash) never sees half a proof.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "formats/statement.h"

namespace zkpot {

// The canonical envelope for this statement and these segment maps (each one
// canonical CBOR map of at most 2 MiB). Throws std::invalid_argument naming
// the first rule broken.
std::vector<uint8_t> assemble_proof(const TrainingStatement& statement,
                                    std::span<const std::vector<uint8_t>> segments,
                                    uint64_t suite = static_cast<uint64_t>(Suite::kGoldilocksCubic7Blake2b256Whir));

// Replaces `path` with `bytes`: writes `path`.tmp in the same directory,
// fsyncs it, renames it over `path` and fsyncs the directory. On failure the
// temporary file is removed, `path` keeps its old content, and
// std::system_error is thrown. mode: the new file's permissions (0600 for
// private files such as RUN/private/checkpoint).
void write_file_atomically(const std::filesystem::path& path, std::span<const uint8_t> bytes, unsigned mode = 0644);

// RUN/proof.zkp, the public proof of a run directory.
inline std::filesystem::path proof_path(const std::filesystem::path& run_dir) { return run_dir / "proof.zkp"; }

// A proof file read back (to resume a run): its statement and segment maps.
struct ProofFileContents {
  TrainingStatement statement;
  std::vector<uint8_t> statement_bytes;       // exactly as the envelope holds them
  std::vector<std::vector<uint8_t>> segments;
};
// Reads and decodes proof_path(run_dir); throws std::runtime_error naming the
// first problem (missing, malformed, not a training statement).
ProofFileContents read_proof_file(const std::filesystem::path& run_dir);

// assemble_proof, then write_file_atomically to proof_path(run_dir).
void write_proof_file(const std::filesystem::path& run_dir, const TrainingStatement& statement,
                      std::span<const std::vector<uint8_t>> segments);

}  // namespace zkpot
