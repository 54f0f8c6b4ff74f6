#include "formats/cbor_writer.h"

#include <cstring>

#include "formats/cbor_head.h"
#include "formats/utf8.h"

namespace zkpot {

CborWriter::CborWriter(std::vector<uint8_t>* out) : vec_(out), frames_{} {}

CborWriter::CborWriter(uint8_t* buffer, size_t capacity) : buf_(buffer), cap_(capacity), frames_{} {}

void CborWriter::fail(FormatError code) {
  if (status_.is_ok()) status_ = FormatStatus::error(code, written_);
}

bool CborWriter::at_map_key() const {
  return depth_ > 0 && frames_[depth_ - 1].is_map && frames_[depth_ - 1].remaining % 2 == 0;
}

void CborWriter::put(const uint8_t* data, size_t len) {
  if (!status_.is_ok()) return;
  if (vec_ != nullptr) {
    vec_->insert(vec_->end(), data, data + len);
  } else {
    if (cap_ - written_ < len) {
      fail(FormatError::kBufferTooSmall);
      return;
    }
    if (len > 0) std::memcpy(buf_ + written_, data, len);
  }
  written_ += len;
}

void CborWriter::put_head(uint8_t major, uint64_t arg) {
  uint8_t head[kCborMaxHeadBytes];
  put(head, cbor_encode_head(major, arg, head));
}

bool CborWriter::begin_item(bool is_unsigned, uint64_t value) {
  if (!status_.is_ok()) return false;
  // A byte string's payload still owed, or a second top-level item.
  if (pending_payload_ > 0 || (depth_ == 0 && top_started_)) {
    fail(FormatError::kWriterMisuse);
    return false;
  }
  if (at_map_key()) {
    Frame& f = frames_[depth_ - 1];
    if (!is_unsigned) {
      fail(FormatError::kMapKeyNotUnsigned);
      return false;
    }
    if (f.has_key && value == f.last_key) {
      fail(FormatError::kDuplicateMapKey);
      return false;
    }
    if (f.has_key && value < f.last_key) {
      fail(FormatError::kUnsortedMapKeys);
      return false;
    }
    f.last_key = value;
    f.has_key = true;
  }
  top_started_ = true;
  return true;
}

void CborWriter::end_item(uint64_t child_slots, bool child_is_map) {
  if (depth_ > 0) --frames_[depth_ - 1].remaining;
  if (child_slots > 0) {
    frames_[depth_] = Frame{child_slots, 0, child_is_map, false};
    ++depth_;
    return;
  }
  while (depth_ > 0 && frames_[depth_ - 1].remaining == 0) --depth_;
}

CborWriter& CborWriter::write_uint(uint64_t value) {
  if (!begin_item(true, value)) return *this;
  put_head(kCborMajorUnsigned, value);
  end_item(0, false);
  return *this;
}

CborWriter& CborWriter::write_key(uint64_t key) {
  if (status_.is_ok() && !at_map_key()) {
    fail(FormatError::kWriterMisuse);
    return *this;
  }
  return write_uint(key);
}

CborWriter& CborWriter::write_negative(uint64_t n) {
  if (!begin_item(false, 0)) return *this;
  put_head(kCborMajorNegative, n);
  end_item(0, false);
  return *this;
}

CborWriter& CborWriter::write_int(int64_t value) {
  if (value >= 0) return write_uint(static_cast<uint64_t>(value));
  // -1 - n = value  =>  n = -1 - value, which fits for every negative int64.
  return write_negative(static_cast<uint64_t>(-1 - value));
}

CborWriter& CborWriter::write_bool(bool value) {
  if (!begin_item(false, 0)) return *this;
  const uint8_t b = value ? kCborTrue : kCborFalse;
  put(&b, 1);
  end_item(0, false);
  return *this;
}

CborWriter& CborWriter::write_bytes(std::span<const uint8_t> bytes) {
  if (!begin_item(false, 0)) return *this;
  put_head(kCborMajorBytes, bytes.size());
  put(bytes.data(), bytes.size());
  end_item(0, false);
  return *this;
}

CborWriter& CborWriter::write_text(std::string_view text) {
  size_t bad = 0;
  const auto* data = reinterpret_cast<const uint8_t*>(text.data());
  if (!utf8_is_well_formed(data, text.size(), &bad)) {
    fail(FormatError::kInvalidUtf8);
    return *this;
  }
  if (!begin_item(false, 0)) return *this;
  put_head(kCborMajorText, text.size());
  put(data, text.size());
  end_item(0, false);
  return *this;
}

CborWriter& CborWriter::begin_array(uint64_t count) {
  if (!begin_item(false, 0)) return *this;
  if (count > 0 && depth_ >= kCborMaxSupportedDepth) {
    fail(FormatError::kDepthExceeded);
    return *this;
  }
  put_head(kCborMajorArray, count);
  end_item(count, false);
  return *this;
}

CborWriter& CborWriter::begin_map(uint64_t pairs) {
  if (!begin_item(false, 0)) return *this;
  if (pairs > UINT64_MAX / 2) {
    fail(FormatError::kContainerTooLarge);
    return *this;
  }
  if (pairs > 0 && depth_ >= kCborMaxSupportedDepth) {
    fail(FormatError::kDepthExceeded);
    return *this;
  }
  put_head(kCborMajorMap, pairs);
  end_item(2 * pairs, true);
  return *this;
}

CborWriter& CborWriter::begin_bytes(uint64_t length) {
  if (!begin_item(false, 0)) return *this;
  put_head(kCborMajorBytes, length);
  end_item(0, false);
  pending_payload_ = length;
  return *this;
}

CborWriter& CborWriter::append_payload(const uint8_t* data, size_t len) {
  if (!status_.is_ok()) return *this;
  if (len > pending_payload_) {
    fail(FormatError::kWriterMisuse);
    return *this;
  }
  put(data, len);
  pending_payload_ -= len;
  return *this;
}

CborWriter& CborWriter::write_encoded(std::span<const uint8_t> item, const CborLimits& limits) {
  if (!status_.is_ok()) return *this;
  if (const FormatStatus s = cbor_validate(item, limits); !s.is_ok()) {
    status_ = FormatStatus::error(s.code, written_ + s.offset);
    return *this;
  }
  if (!begin_item(false, 0)) return *this;  // never a map key: keys are plain uints
  put(item.data(), item.size());
  end_item(0, false);
  return *this;
}

FormatStatus CborWriter::finish() {
  if (status_.is_ok() && (!top_started_ || depth_ != 0 || pending_payload_ != 0)) {
    fail(FormatError::kWriterMisuse);
  }
  return status_;
}

}  // namespace zkpot
