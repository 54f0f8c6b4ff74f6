// The hash interface that the transcript and the Merkle tree are generic over,
// and its BLAKE2b-256 instance from libsodium (docs/PROTOCOL.md §2).
//
// A Hash provides: kDigestBytes, a Digest type, a State with
// init(personalization) / update(bytes) / finalize(), and a one-shot digest().
// BLAKE2b-256 here is BLAKE2b with the digest length set to 32 in the
// parameter block (not a truncated BLAKE2b-512), personalised per use.
#pragma once

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace zkpot {

// Personalisation strings: one per use, so that no hash input of one kind can
// be read as another (16 bytes each, zero padded).
namespace personal {
inline constexpr std::string_view kTranscript = "zkpot/fs/absorb";
inline constexpr std::string_view kSqueeze = "zkpot/fs/squeeze";
inline constexpr std::string_view kMerkleLeaf = "zkpot/merkle/lf";
inline constexpr std::string_view kMerkleNode = "zkpot/merkle/nd";
inline constexpr std::string_view kStatement = "zkpot/statement";
inline constexpr std::string_view kRun = "zkpot/run";
inline constexpr std::string_view kProofOfWork = "zkpot/pow";
inline constexpr std::string_view kDataset = "zkpot/dataset";
inline constexpr std::string_view kLookupColumn = "zkpot/lut-col";
}  // namespace personal

namespace hash_detail {

// libsodium's BLAKE2b picks its compression function (AVX2 where the CPU has
// it, else the portable one) in sodium_init(), which the library documents as
// required before any other call; the verifier never called it and so ran the
// portable code, about 1.6 times slower. Thread-safe and idempotent.
inline bool sodium_ready() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

// The state after init with a personalisation: the personalisation padded to
// 16 bytes, digest length 32, no key, no salt.
inline void blake2b256_init(crypto_generichash_blake2b_state* st, std::string_view personalization) {
  uint8_t pers[crypto_generichash_blake2b_PERSONALBYTES] = {0};
  std::memcpy(pers, personalization.data(),
              personalization.size() < sizeof pers ? personalization.size() : sizeof pers);
  // Cannot fail for these fixed, valid lengths.
  (void)crypto_generichash_blake2b_init_salt_personal(st, nullptr, 0, 32, nullptr, pers);
}

// Initial states of the fixed personalisations, built once: a state is copied
// from here instead of re-deriving it (a copy of 384 bytes against a
// parameter-block init; hashes of one or two blocks pay it on every node and
// transcript squeeze). Unknown personalisations return nullptr.
inline const crypto_generichash_blake2b_state* blake2b256_initial_state(std::string_view personalization) {
  static constexpr std::string_view kCached[] = {
      personal::kMerkleNode, personal::kMerkleLeaf, personal::kTranscript, personal::kSqueeze,
      personal::kProofOfWork, personal::kLookupColumn, personal::kStatement, personal::kRun,
      personal::kDataset};
  constexpr size_t kCount = sizeof kCached / sizeof kCached[0];
  struct Table {
    crypto_generichash_blake2b_state st[kCount];
  };
  static const Table table = [] {
    (void)sodium_ready();
    Table t;
    for (size_t i = 0; i < kCount; ++i) blake2b256_init(&t.st[i], kCached[i]);
    return t;
  }();
  for (size_t i = 0; i < kCount; ++i)
    if (kCached[i] == personalization) return &table.st[i];
  return nullptr;
}

}  // namespace hash_detail

class Blake2b256 {
 public:
  static constexpr size_t kDigestBytes = 32;
  static constexpr uint8_t kHashId = 1;  // bound into every domain separator
  using Digest = std::array<uint8_t, kDigestBytes>;

  class State {
   public:
    explicit State(std::string_view personalization) {
      if (const crypto_generichash_blake2b_state* init = hash_detail::blake2b256_initial_state(personalization)) {
        st_ = *init;
      } else {
        (void)hash_detail::sodium_ready();
        hash_detail::blake2b256_init(&st_, personalization);
      }
    }
    // Small inputs are gathered in stage_ and handed to libsodium a block or
    // more at a time: the transcript frames every message with a tag, a label
    // and a length, and absorbs field elements one by one, so most updates are
    // 1 to 24 bytes (a verification of the 4-step demo proof made 233 601
    // libsodium calls, 28 956 with the stage; about 1% of its time). The
    // digest is the same (BLAKE2b is defined on the concatenated input,
    // however it is split).
    void update(const void* data, size_t len) {
      if (len > kStageBytes - staged_) {
        flush();
        if (len >= kStageBytes) {
          sodium_update(data, len);
          return;
        }
      }
      // Here len <= kStageBytes - staged_; the min spells it out for the
      // compiler's bounds analysis. An empty input copies nothing: its data()
      // may be null, which memcpy must not be given.
      const size_t n = std::min(len, kStageBytes - staged_);
      if (n != 0) std::memcpy(stage_ + staged_, data, n);
      staged_ += n;
    }
    void update_u64(uint64_t x) {
      uint8_t b[8];
      for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(x >> (8 * i));
      update(b, 8);
    }
    void update_u8(uint8_t x) { update(&x, 1); }
    Digest finalize() {
      flush();
      Digest d;
      (void)crypto_generichash_blake2b_final(&st_, d.data(), kDigestBytes);
      return d;
    }

   private:
    static constexpr size_t kStageBytes = 256;  // two BLAKE2b blocks
    void sodium_update(const void* data, size_t len) {
      (void)crypto_generichash_blake2b_update(&st_, static_cast<const unsigned char*>(data), len);
    }
    void flush() {
      if (staged_ == 0) return;
      sodium_update(stage_, staged_);
      staged_ = 0;
    }

    crypto_generichash_blake2b_state st_;
    size_t staged_ = 0;
    uint8_t stage_[kStageBytes];
  };

  static Digest digest(std::string_view personalization, const void* data, size_t len) {
    State s(personalization);
    s.update(data, len);
    return s.finalize();
  }
  // Hash of two digests (Merkle nodes and chaining), with its own personalisation.
  static Digest compress(std::string_view personalization, const Digest& a, const Digest& b) {
    State s(personalization);
    s.update(a.data(), a.size());
    s.update(b.data(), b.size());
    return s.finalize();
  }
};

}  // namespace zkpot
