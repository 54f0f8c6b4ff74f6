// Fiat-Shamir transcript (docs/PROTOCOL.md §2).
//
// The transcript starts from a domain tag and the statement digest, so every
// challenge of a proof depends on the whole public statement. Each message is
// framed as  tag(1) | label length(1) | label | payload length(8, LE) | payload,
// so no two different message sequences hash to the same input. A challenge
// finalises the absorb state into a chaining value h; the first four
// challenge words are h's own bytes, further words BLAKE2b(h | counter) under
// a separate personalisation (counter 1, 2, ...), and the next absorb state
// starts from h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <type_traits>

#include "common/extension.h"
#include "common/hash.h"

namespace zkpot {

enum class TranscriptTag : uint8_t {
  kDomain = 0x00,
  kFieldElements = 0x01,
  kBytes = 0x02,
  kDigest = 0x03,
  kInteger = 0x04,
  kChallenge = 0x05,
};

template <class H = Blake2b256>
class Transcript {
 public:
  using Digest = typename H::Digest;

  Transcript(std::string_view domain_tag, const Digest& statement_digest) : absorb_(personal::kTranscript) {
    frame(TranscriptTag::kDomain, "domain", domain_tag.size());
    absorb_.update(domain_tag.data(), domain_tag.size());
    absorb_digest("statement", statement_digest);
  }

  void absorb_bytes(std::string_view label, const uint8_t* data, size_t len) {
    frame(TranscriptTag::kBytes, label, len);
    absorb_.update(data, len);
  }
  void absorb_digest(std::string_view label, const Digest& d) {
    frame(TranscriptTag::kDigest, label, d.size());
    absorb_.update(d.data(), d.size());
  }
  void absorb_u64(std::string_view label, uint64_t x) {
    frame(TranscriptTag::kInteger, label, 8);
    absorb_.update_u64(x);
  }
  // Field elements of any field type; the element width is part of the frame.
  template <class F>
  void absorb_fields(std::string_view label, const F* xs, size_t n) {
    frame(TranscriptTag::kFieldElements, label, n * F::kEncodedBytes);
    absorb_.update_u8(static_cast<uint8_t>(F::kEncodedBytes));
    uint8_t buf[F::kEncodedBytes];
    for (size_t i = 0; i < n; ++i) {
      xs[i].encode(buf);
      absorb_.update(buf, sizeof buf);
    }
  }
  template <class F>
  void absorb_field(std::string_view label, const F& x) {
    absorb_fields(label, &x, 1);
  }

  // A uniformly distributed element of F (base field or extension): each
  // coordinate is drawn by rejection from 64-bit words, never reduced mod p.
  template <class F>
  F challenge(std::string_view label) {
    begin_squeeze(label);
    return sample<F>();
  }
  template <class F>
  void challenges(std::string_view label, F* out, size_t n) {
    begin_squeeze(label);
    for (size_t i = 0; i < n; ++i) out[i] = sample<F>();
  }
  // A uniform index in [0, 2^bits) for query positions (bits <= 64).
  uint64_t challenge_index(std::string_view label, unsigned bits) {
    begin_squeeze(label);
    const uint64_t w = next_word();
    return bits >= 64 ? w : (w & ((uint64_t{1} << bits) - 1));
  }
  void challenge_indices(std::string_view label, unsigned bits, uint64_t* out, size_t n) {
    begin_squeeze(label);
    for (size_t i = 0; i < n; ++i) {
      const uint64_t w = next_word();
      out[i] = bits >= 64 ? w : (w & ((uint64_t{1} << bits) - 1));
    }
  }

  // The chaining value after the last squeeze (for proof-of-work and tests).
  const Digest& chaining_value() const { return chain_; }

 private:
  void frame(TranscriptTag tag, std::string_view label, uint64_t payload_len) {
    if (label.size() > 255) throw std::invalid_argument("transcript label longer than 255 bytes");
    absorb_.update_u8(static_cast<uint8_t>(tag));
    absorb_.update_u8(static_cast<uint8_t>(label.size()));
    absorb_.update(label.data(), label.size());
    absorb_.update_u64(payload_len);
  }

  void begin_squeeze(std::string_view label) {
    frame(TranscriptTag::kChallenge, label, 0);
    chain_ = absorb_.finalize();
    absorb_ = typename H::State(personal::kTranscript);
    absorb_.update(chain_.data(), chain_.size());
    // h itself is the first block of words (docs/PROTOCOL.md §2): one hash
    // per challenge instead of two, since an element of K needs three words.
    block_ = chain_;
    avail_ = block_.size() / 8;
    counter_ = 1;
  }

  uint64_t next_word() {
    if (avail_ == 0) {
      typename H::State s(personal::kSqueeze);
      s.update(chain_.data(), chain_.size());
      s.update_u64(counter_++);
      block_ = s.finalize();
      avail_ = block_.size() / 8;
    }
    const size_t off = block_.size() - 8 * avail_--;
    uint64_t w = 0;
    for (int i = 0; i < 8; ++i) w |= static_cast<uint64_t>(block_[off + i]) << (8 * i);
    return w;
  }

  template <class F>
  F sample_base() {
    F out;
    while (!F::from_uniform_u64(next_word(), &out)) {
    }
    return out;
  }

  template <class F>
  F sample() {
    if constexpr (requires { typename F::Base; }) {
      using B = typename F::Base;
      B c[F::kDegree];
      for (unsigned i = 0; i < F::kDegree; ++i) c[i] = sample_base<B>();
      return F::from_coeffs(c);
    } else {
      return sample_base<F>();
    }
  }

  typename H::State absorb_;
  Digest chain_{};
  Digest block_{};
  uint64_t counter_ = 0;
  size_t avail_ = 0;
};

}  // namespace zkpot
