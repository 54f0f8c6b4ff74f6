// Proof files for the verifier's tests: the sample statement in an envelope
// with placeholder segments (canonical maps that no segment verifier
// accepts), and helpers to damage them in precise ways.
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "formats/cbor_writer.h"
#include "formats/envelope.h"
#include "formats/statement.h"
#include "statement_sample.h"

namespace zkpot::testing {

using Bytes = std::vector<uint8_t>;

inline constexpr uint64_t kTestSuite = static_cast<uint64_t>(Suite::kGoldilocksCubic7Blake2b256Whir);

inline Bytes statement_bytes(const TrainingStatement& s = sample_training_statement()) {
  Bytes out;
  if (!encode_training_statement(s, &out).is_ok()) return {};
  return out;
}

// { 1: step, 2: h'00..' (n bytes) }: well formed, proves nothing.
inline Bytes placeholder_segment(uint64_t step, size_t n = 16) {
  Bytes out;
  CborWriter w(&out);
  w.begin_map(2).write_key(1).write_uint(step).write_key(2).write_bytes(Bytes(n, 0));
  (void)w.finish();
  return out;
}

inline Bytes envelope(const Bytes& statement, const std::vector<Bytes>& segments, uint64_t suite = kTestSuite) {
  std::vector<std::span<const uint8_t>> views(segments.begin(), segments.end());
  Bytes out;
  if (!encode_envelope(suite, statement, views, &out).is_ok()) return {};
  return out;
}

inline Bytes sample_file(size_t segments = 2) {
  std::vector<Bytes> segs;
  for (size_t i = 0; i < segments; ++i) segs.push_back(placeholder_segment(i));
  return envelope(statement_bytes(), segs);
}

// b with the first occurrence of `from` replaced by `to` (b unchanged if absent).
inline Bytes replace_bytes(Bytes b, const Bytes& from, const Bytes& to) {
  auto it = std::search(b.begin(), b.end(), from.begin(), from.end());
  if (it == b.end()) return b;
  const auto at = it - b.begin();
  b.erase(b.begin() + at, b.begin() + at + static_cast<long>(from.size()));
  b.insert(b.begin() + at, to.begin(), to.end());
  return b;
}

// The sample envelope's head, then a hand-made segments array.
inline Bytes with_segments_header(const Bytes& header, const Bytes& tail = {}) {
  Bytes b = envelope(statement_bytes(), {});
  b.pop_back();  // 0x80: the empty segments array
  b.insert(b.end(), header.begin(), header.end());
  b.insert(b.end(), tail.begin(), tail.end());
  return b;
}

inline Bytes read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline void write_file(const std::filesystem::path& p, const Bytes& b) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

}  // namespace zkpot::testing
