// One verification of a proof file, segment by segment (docs/FORMAT.md §4,
// §7, §8): the state behind a zkpot_context. Parse, then verify: the head
// (version, suite, statement, segment count) is checked before any segment,
// every length against its cap before use, and only the chain state is
// carried between segments. No heap allocation; nothing throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "formats/format_error.h"
#include "formats/statement.h"
#include "verifier/include/zkpot/verify.h"
#include "verifier/segment_backend.h"

namespace zkpot::verify_detail {

struct Result {
  zkpot_status status = ZKPOT_MISUSE;
  const char* check = "";  // ZKPOT_INVALID
  const char* field = "";  // ZKPOT_MALFORMED, ZKPOT_OVER_LIMIT, ZKPOT_UNSUPPORTED
  uint64_t offset = 0;
  uint64_t segment = UINT64_MAX;
  char reason[ZKPOT_REASON_BYTES] = {};
};

class Session {
 public:
  Session() noexcept;

  zkpot_status begin(std::span<const uint8_t> input, size_t* head_len) noexcept;
  zkpot_status scratch_size(size_t* out) const noexcept;
  uint64_t segment_count() const noexcept { return has_statement_ ? declared_ : 0; }
  zkpot_status next_segment_size(std::span<const uint8_t> input, size_t* item_len) const noexcept;
  zkpot_status segment(void* scratch, size_t scratch_len, std::span<const uint8_t> item) noexcept;
  zkpot_status end() noexcept;
  zkpot_status verify_buffer(void* scratch, size_t scratch_len, std::span<const uint8_t> file) noexcept;

  const Result& result() const noexcept { return result_; }
  bool has_statement() const noexcept { return has_statement_; }
  const TrainingStatement& statement() const noexcept { return statement_; }
  const StatementDigest& statement_digest() const noexcept { return digest_; }

  // For the C boundary: records a caller error or an internal failure.
  zkpot_status misuse(const char* what) noexcept;
  zkpot_status internal_error(const char* what) noexcept;

 private:
  enum class Phase : uint8_t { kIdle, kSegments, kDone, kFailed };

  zkpot_status fail(zkpot_status status, const char* check, const char* field, uint64_t offset,
                    const char* detail) noexcept;
  zkpot_status fail_format(const FormatStatus& f, const char* field, uint64_t base) noexcept;
  zkpot_status fail_statement(const StatementStatus& s, uint64_t base) noexcept;
  zkpot_status pass(zkpot_status status) noexcept;

  Phase phase_ = Phase::kIdle;
  bool has_statement_ = false;
  TrainingStatement statement_;
  StatementDigest digest_{};
  StatementDigest run_digest_{};  // what segment transcripts start from (docs/PROTOCOL.md §12.1)
  uint64_t declared_ = 0;
  uint64_t seen_ = 0;
  uint64_t file_pos_ = 0;  // where the next segment starts in the file
  size_t scratch_needed_ = 0;
  ChainState chain_;
  Result result_;
};

// How a formats-layer code classifies: caps are ZKPOT_OVER_LIMIT, unknown
// versions and suites ZKPOT_UNSUPPORTED, everything else ZKPOT_MALFORMED.
zkpot_status status_of_format_error(FormatError code) noexcept;

}  // namespace zkpot::verify_detail
