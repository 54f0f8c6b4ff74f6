// Bounded, validating pull parser for zkpot's deterministic CBOR profile
// (docs/FORMAT.md §1-§3), built on libcbor's streaming decoder.
//
// Each call to next() decodes exactly one item header (with a string's
// payload) from a caller buffer and checks it before handing it out: the raw
// header bytes for shortest form and for the supported subset, then libcbor's
// cbor_stream_decode for the item itself, then the caps, map-key order and
// nesting. The reader never allocates: libcbor's streaming decoder hands
// pointers into the input to callbacks that only record them in a small
// struct on the stack, and nesting is tracked in a fixed array inside the
// reader. libcbor's whole-document loader is never used (it allocates what the input declares).
// Errors latch: after the first failure every call returns the same status.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "formats/format_error.h"

namespace zkpot {

// The caps a reader enforces, each checked before the item is handed out.
struct CborLimits {
  uint64_t max_input_bytes;      // the whole input (or, nested, the item)
  uint32_t max_depth;            // arrays/maps open at once; <= kCborMaxSupportedDepth
  uint64_t max_container_items;  // entries of one array, or pairs of one map
  uint64_t max_string_bytes;     // payload bytes of one byte or text string
  uint64_t max_total_items;      // items of every kind, keys and values counted apart
};

inline constexpr uint32_t kCborMaxSupportedDepth = 32;

enum class CborType : uint8_t { kUnsigned, kNegative, kBytes, kText, kArray, kMap, kBool };

struct CborToken {
  CborType type = CborType::kUnsigned;
  // kUnsigned: the value. kNegative: n, where the value is -1 - n.
  // kBytes/kText: payload length. kArray: item count. kMap: pair count.
  // kBool: 0 or 1.
  uint64_t value = 0;
  std::span<const uint8_t> payload;  // kBytes/kText: the payload, inside the input
  size_t offset = 0;                 // offset of the item's header in the input
};

class CborReader {
 public:
  // Reads exactly one top-level item from input; finish() then requires the
  // input to end there.
  CborReader(std::span<const uint8_t> input, const CborLimits& limits);

  // Decodes and validates the next item in document order (depth first).
  [[nodiscard]] FormatStatus next(CborToken* token);

  // Typed reads: next(), then a type check (kTypeMismatch otherwise).
  [[nodiscard]] FormatStatus read_uint(uint64_t* value);
  [[nodiscard]] FormatStatus read_int(int64_t* value);  // unsigned or negative, fits int64
  [[nodiscard]] FormatStatus read_bool(bool* value);
  [[nodiscard]] FormatStatus read_bytes(std::span<const uint8_t>* bytes);
  [[nodiscard]] FormatStatus read_text(std::string_view* text);
  [[nodiscard]] FormatStatus read_array(uint64_t* count);
  [[nodiscard]] FormatStatus read_map(uint64_t* pairs);
  // Reads one whole item (a container with everything inside it).
  [[nodiscard]] FormatStatus skip_item();
  // Reads one whole item under its own caps (not this reader's), and returns
  // its exact encoded bytes: how the envelope extracts the statement. The
  // item counts as one item here; its inside counts against `nested` only.
  [[nodiscard]] FormatStatus read_encoded_item(const CborLimits& nested, std::span<const uint8_t>* item);

  // Requires the top-level item to be complete and the input to end there.
  [[nodiscard]] FormatStatus finish();

  bool top_level_complete() const { return top_done_; }
  size_t position() const { return pos_; }  // bytes consumed so far
  std::span<const uint8_t> input() const { return input_; }
  FormatStatus status() const { return status_; }

 private:
  struct Frame {
    uint64_t remaining;  // items still to read (2 per pair in a map)
    uint64_t last_key;
    bool is_map;
    bool has_key;
  };

  // Prefix mode: the reader stops after one item and the byte cap applies to
  // that item, for read_encoded_item.
  CborReader(std::span<const uint8_t> input, const CborLimits& limits, bool prefix);
  FormatStatus fail(FormatError code, size_t offset);
  FormatStatus next_of_type(CborType type, CborToken* token);
  // Consumes one item ending at `end`; a container with child_slots > 0
  // (2 per map pair) opens a frame.
  void advance(size_t end, uint64_t child_slots, bool child_is_map);
  bool at_map_key() const;

  std::span<const uint8_t> input_;
  CborLimits limits_;
  bool prefix_;
  size_t pos_ = 0;
  uint64_t items_ = 0;
  uint32_t depth_ = 0;
  bool top_done_ = false;
  FormatStatus status_;
  Frame frames_[kCborMaxSupportedDepth];
};

// Validates that input is exactly one canonical item within limits.
[[nodiscard]] FormatStatus cbor_validate(std::span<const uint8_t> input, const CborLimits& limits);

}  // namespace zkpot
