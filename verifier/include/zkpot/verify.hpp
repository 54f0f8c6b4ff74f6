// A thin C++ layer over <zkpot/verify.h>: owns the context and scratch
// memory (allocated here, on the caller's side of the boundary, never inside
// verification) and turns the statement accessors into values.
//
//   zkpot::Verifier v;
//   zkpot_status s = v.verify_buffer(bytes);   // ZKPOT_VALID or a failure
//   if (s != ZKPOT_VALID) std::cerr << v.reason() << "\n";
//   auto dataset = v.digest(ZKPOT_DIGEST_DATASET);
#ifndef ZKPOT_VERIFY_HPP
#define ZKPOT_VERIFY_HPP

#include <zkpot/verify.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace zkpot {

using Digest32 = std::array<unsigned char, ZKPOT_DIGEST_BYTES>;

inline std::string to_hex(std::span<const unsigned char> bytes) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    s += digits[b >> 4];
    s += digits[b & 15];
  }
  return s;
}

class Verifier {
 public:
  Verifier() : context_memory_(zkpot_context_size()) {
    ctx_ = zkpot_context_create(context_memory_.data(), context_memory_.size());
    if (ctx_ == nullptr) throw std::runtime_error("zkpot_context_create failed");
  }
  Verifier(const Verifier&) = delete;
  Verifier& operator=(const Verifier&) = delete;

  // The whole file: reads the head for the scratch size, then verifies.
  zkpot_status verify_buffer(std::span<const unsigned char> file) {
    size_t head_len = 0;
    const zkpot_status s = zkpot_verify_begin(ctx_, &head_len, file.data(), file.size());
    if (s == ZKPOT_CONTINUE) reserve_scratch();
    return zkpot_verify_buffer(ctx_, scratch_.data(), scratch_.size(), file.data(), file.size());
  }

  // Streaming (see verify.h): begin on the head, then size and verify each
  // segment, then end.
  zkpot_status begin(std::span<const unsigned char> head, size_t* head_len) {
    const zkpot_status s = zkpot_verify_begin(ctx_, head_len, head.data(), head.size());
    if (s == ZKPOT_CONTINUE) reserve_scratch();
    return s;
  }
  uint64_t segment_count() const { return zkpot_segment_count(ctx_); }
  zkpot_status next_segment_size(std::span<const unsigned char> bytes, size_t* item_len) const {
    return zkpot_next_segment_size(ctx_, item_len, bytes.data(), bytes.size());
  }
  zkpot_status segment(std::span<const unsigned char> item) {
    return zkpot_verify_segment(ctx_, scratch_.data(), scratch_.size(), item.data(), item.size());
  }
  zkpot_status end() { return zkpot_verify_end(ctx_); }

  zkpot_status status() const { return zkpot_result_status(ctx_); }
  std::string reason() const { return zkpot_result_reason(ctx_); }
  std::string check() const { return zkpot_result_check(ctx_); }
  std::string field() const { return zkpot_result_field(ctx_); }
  uint64_t offset() const { return zkpot_result_offset(ctx_); }

  // The statement, after a successful begin (throws std::logic_error before).
  uint64_t get(zkpot_statement_field f) const {
    uint64_t v = 0;
    if (zkpot_statement_u64(ctx_, &v, f) != ZKPOT_VALID) throw std::logic_error("no statement field");
    return v;
  }
  bool has_statement() const {
    uint64_t v = 0;
    return zkpot_statement_u64(ctx_, &v, ZKPOT_ST_T1) == ZKPOT_VALID;
  }
  Digest32 digest(zkpot_digest_field f) const {
    Digest32 d{};
    if (zkpot_statement_digest(ctx_, d.data(), f) != ZKPOT_VALID) throw std::logic_error("no statement digest");
    return d;
  }
  // "784-128-10": input width, then each layer's width.
  std::string architecture() const {
    std::string s = std::to_string(get(ZKPOT_ST_INPUT_WIDTH));
    const uint64_t n = get(ZKPOT_ST_LAYER_COUNT);
    for (uint32_t i = 0; i < n; ++i) {
      uint32_t width = 0, activation = 0;
      if (zkpot_statement_layer(ctx_, &width, &activation, i) != ZKPOT_VALID) throw std::logic_error("no layer");
      s += '-';
      s += std::to_string(width);
    }
    return s;
  }
  uint32_t activation(uint32_t layer) const {
    uint32_t width = 0, activation = 0;
    if (zkpot_statement_layer(ctx_, &width, &activation, layer) != ZKPOT_VALID) throw std::logic_error("no layer");
    return activation;
  }

  zkpot_context* context() { return ctx_; }
  size_t scratch_bytes() const { return scratch_.size(); }

 private:
  void reserve_scratch() {
    size_t need = 0;
    if (zkpot_scratch_size(ctx_, &need) == ZKPOT_VALID && need > scratch_.size()) scratch_.resize(need);
  }

  std::vector<unsigned char> context_memory_;
  std::vector<unsigned char> scratch_;
  zkpot_context* ctx_ = nullptr;
};

}  // namespace zkpot

#endif  // ZKPOT_VERIFY_HPP
