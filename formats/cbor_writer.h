// Canonical CBOR writer for zkpot's deterministic profile (docs/FORMAT.md §1):
// shortest headers, definite lengths only, map keys unsigned and strictly
// ascending, text checked to be UTF-8, exactly one top-level item. What it
// writes is exactly what CborReader accepts, byte for byte.
//
// Each container is declared with its entry count up front and the writer
// checks that exactly that many items follow. Errors latch: the first misuse
// is kept (with the output offset) and later calls do nothing; finish()
// reports it. Output goes to a std::vector (appended) or a caller buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "formats/cbor_reader.h"
#include "formats/format_error.h"

namespace zkpot {

class CborWriter {
 public:
  explicit CborWriter(std::vector<uint8_t>* out);
  CborWriter(uint8_t* buffer, size_t capacity);

  CborWriter& write_uint(uint64_t value);  // also a map key, in key position
  CborWriter& write_int(int64_t value);
  CborWriter& write_negative(uint64_t n);  // the value -1 - n (all of CBOR's range)
  CborWriter& write_bool(bool value);
  CborWriter& write_bytes(std::span<const uint8_t> bytes);
  CborWriter& write_text(std::string_view text);
  CborWriter& begin_array(uint64_t count);
  CborWriter& begin_map(uint64_t pairs);
  // A map key: the same as write_uint, but misuse if not in key position.
  CborWriter& write_key(uint64_t key);
  // A byte string whose payload is then appended in pieces (field vectors
  // are written this way, without an intermediate buffer). Exactly `length`
  // bytes must follow through append_payload before the next item.
  CborWriter& begin_bytes(uint64_t length);
  CborWriter& append_payload(const uint8_t* data, size_t len);
  // Splices an already encoded item after checking that it is exactly one
  // canonical item within `limits` (e.g. a statement built elsewhere).
  CborWriter& write_encoded(std::span<const uint8_t> item, const CborLimits& limits);

  // Ok when exactly one complete top-level item was written and no error
  // occurred; otherwise the first error.
  [[nodiscard]] FormatStatus finish();
  FormatStatus status() const { return status_; }
  size_t size() const { return written_; }  // bytes this writer produced

 private:
  struct Frame {
    uint64_t remaining;
    uint64_t last_key;
    bool is_map;
    bool has_key;
  };
  // Checks that an item may start here (and, in key position, that it is an
  // ascending unsigned key), then counts it.
  bool begin_item(bool is_unsigned, uint64_t value);
  void end_item(uint64_t child_slots, bool child_is_map);
  void put(const uint8_t* data, size_t len);
  void put_head(uint8_t major, uint64_t arg);
  void fail(FormatError code);
  bool at_map_key() const;

  std::vector<uint8_t>* vec_ = nullptr;
  uint8_t* buf_ = nullptr;
  size_t cap_ = 0;
  size_t written_ = 0;
  uint64_t pending_payload_ = 0;
  uint32_t depth_ = 0;
  bool top_started_ = false;
  FormatStatus status_;
  Frame frames_[kCborMaxSupportedDepth];
};

}  // namespace zkpot
