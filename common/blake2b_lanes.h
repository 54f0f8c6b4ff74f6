// BLAKE2b-256 of many independent one-block messages at once, for Merkle
// nodes (docs/PROTOCOL.md §7.1): H_node(left || right) is 64 bytes, a single
// final compression from the personalised initial state. Also four messages
// of any common length at once (hash4), for the leaves a verifier opens. Four such
// compressions run side by side in the 64-bit lanes of AVX2 registers when the
// CPU has AVX2, else one by one in portable code. The digests are the same as
// libsodium's crypto_generichash_blake2b with the same personalisation
// (tests/blake2b_lanes_test.cc compares them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__x86_64__) && !defined(__CUDACC__)
#include <immintrin.h>
#define ZKPOT_BLAKE2B_AVX2 1
#endif

namespace zkpot::blake2b_lanes {

inline constexpr uint64_t kIv[8] = {0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL,
                                    0xa54ff53a5f1d36f1ULL, 0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
                                    0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL};

// The message schedule of the twelve rounds (RFC 7693 §2.7; rounds 10 and 11
// repeat rounds 0 and 1).
inline constexpr uint8_t kSigma[12][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4}, {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13}, {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11}, {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5}, {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3}};

inline uint64_t load_le64(const uint8_t* p) {
  uint64_t x = 0;
  for (int i = 0; i < 8; ++i) x |= static_cast<uint64_t>(p[i]) << (8 * i);
  return x;
}
inline void store_le64(uint8_t* p, uint64_t x) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(x >> (8 * i));
}

// The initial chain value of BLAKE2b with a 32-byte digest, no key, no salt,
// and this personalisation (zero padded to 16 bytes): the IV xor the
// parameter block (RFC 7693 §2.5; BLAKE2 paper §2.8).
struct InitialState {
  uint64_t h[8];
  explicit InitialState(std::string_view personalization) {
    uint8_t pers[16] = {0};
    std::memcpy(pers, personalization.data(), personalization.size() < 16 ? personalization.size() : 16);
    for (int i = 0; i < 8; ++i) h[i] = kIv[i];
    h[0] ^= 0x01010000ULL | 32;  // fanout 1, depth 1, key length 0, digest length 32
    h[6] ^= load_le64(pers);
    h[7] ^= load_le64(pers + 8);
  }
};

namespace detail {

inline uint64_t rotr(uint64_t x, unsigned n) { return (x >> n) | (x << (64 - n)); }

// One final compression of a 64-byte message (the rest of the block zero,
// counter 64, last-block flag set); writes the 32-byte digest.
inline void compress64_portable(const InitialState& init, const uint8_t* msg, uint8_t* out) {
  uint64_t m[16] = {0};
  for (int i = 0; i < 8; ++i) m[i] = load_le64(msg + 8 * i);
  uint64_t v[16];
  for (int i = 0; i < 8; ++i) v[i] = init.h[i];
  for (int i = 0; i < 8; ++i) v[8 + i] = kIv[i];
  v[12] ^= 64;   // byte counter, low word
  v[14] = ~v[14];  // last block
  auto g = [&v](int a, int b, int c, int d, uint64_t x, uint64_t y) {
    v[a] = v[a] + v[b] + x;
    v[d] = rotr(v[d] ^ v[a], 32);
    v[c] = v[c] + v[d];
    v[b] = rotr(v[b] ^ v[c], 24);
    v[a] = v[a] + v[b] + y;
    v[d] = rotr(v[d] ^ v[a], 16);
    v[c] = v[c] + v[d];
    v[b] = rotr(v[b] ^ v[c], 63);
  };
  for (int r = 0; r < 12; ++r) {
    const uint8_t* s = kSigma[r];
    g(0, 4, 8, 12, m[s[0]], m[s[1]]);
    g(1, 5, 9, 13, m[s[2]], m[s[3]]);
    g(2, 6, 10, 14, m[s[4]], m[s[5]]);
    g(3, 7, 11, 15, m[s[6]], m[s[7]]);
    g(0, 5, 10, 15, m[s[8]], m[s[9]]);
    g(1, 6, 11, 12, m[s[10]], m[s[11]]);
    g(2, 7, 8, 13, m[s[12]], m[s[13]]);
    g(3, 4, 9, 14, m[s[14]], m[s[15]]);
  }
  for (int i = 0; i < 4; ++i) store_le64(out + 8 * i, init.h[i] ^ v[i] ^ v[8 + i]);
}

#if defined(ZKPOT_BLAKE2B_AVX2)

// One compression in each of four lanes: chain values h, message words m
// (word i of every lane's block), byte counter t and the last-block flag.
__attribute__((target("avx2"))) inline void compress_words_x4(__m256i* h, const __m256i* m, uint64_t t, bool last) {
  const __m256i rot24 = _mm256_setr_epi8(3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10, 3, 4, 5, 6, 7, 0, 1,
                                         2, 11, 12, 13, 14, 15, 8, 9, 10);
  const __m256i rot16 = _mm256_setr_epi8(2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9, 2, 3, 4, 5, 6, 7, 0,
                                         1, 10, 11, 12, 13, 14, 15, 8, 9);
  __m256i v[16];
  for (int i = 0; i < 8; ++i) v[i] = h[i];
  for (int i = 0; i < 8; ++i) v[8 + i] = _mm256_set1_epi64x(static_cast<long long>(kIv[i]));
  v[12] = _mm256_set1_epi64x(static_cast<long long>(kIv[4] ^ t));  // messages below 2^64 bytes
  if (last) v[14] = _mm256_set1_epi64x(static_cast<long long>(~kIv[6]));
  // The G function on lanes (a macro: a lambda would not inherit the target).
#define ZKPOT_B2_G4(a, b, c, d, x, y)                                                        \
  do {                                                                                       \
    v[a] = _mm256_add_epi64(_mm256_add_epi64(v[a], v[b]), x);                                \
    v[d] = _mm256_shuffle_epi32(_mm256_xor_si256(v[d], v[a]), _MM_SHUFFLE(2, 3, 0, 1));      \
    v[c] = _mm256_add_epi64(v[c], v[d]);                                                     \
    v[b] = _mm256_shuffle_epi8(_mm256_xor_si256(v[b], v[c]), rot24);                         \
    v[a] = _mm256_add_epi64(_mm256_add_epi64(v[a], v[b]), y);                                \
    v[d] = _mm256_shuffle_epi8(_mm256_xor_si256(v[d], v[a]), rot16);                         \
    v[c] = _mm256_add_epi64(v[c], v[d]);                                                     \
    const __m256i t_ = _mm256_xor_si256(v[b], v[c]);                                         \
    v[b] = _mm256_or_si256(_mm256_srli_epi64(t_, 63), _mm256_add_epi64(t_, t_));             \
  } while (0)
  for (int r = 0; r < 12; ++r) {
    const uint8_t* s = kSigma[r];
    ZKPOT_B2_G4(0, 4, 8, 12, m[s[0]], m[s[1]]);
    ZKPOT_B2_G4(1, 5, 9, 13, m[s[2]], m[s[3]]);
    ZKPOT_B2_G4(2, 6, 10, 14, m[s[4]], m[s[5]]);
    ZKPOT_B2_G4(3, 7, 11, 15, m[s[6]], m[s[7]]);
    ZKPOT_B2_G4(0, 5, 10, 15, m[s[8]], m[s[9]]);
    ZKPOT_B2_G4(1, 6, 11, 12, m[s[10]], m[s[11]]);
    ZKPOT_B2_G4(2, 7, 8, 13, m[s[12]], m[s[13]]);
    ZKPOT_B2_G4(3, 4, 9, 14, m[s[14]], m[s[15]]);
  }
#undef ZKPOT_B2_G4
  for (int i = 0; i < 8; ++i) h[i] = _mm256_xor_si256(h[i], _mm256_xor_si256(v[i], v[8 + i]));
}

// Word i of four blocks, block l starting at blocks[l], as one vector.
__attribute__((target("avx2"))) inline __m256i load_word_x4(const uint8_t* const* blocks, int i) {
  uint64_t w[4];
  for (int l = 0; l < 4; ++l) std::memcpy(&w[l], blocks[l] + 8 * i, 8);  // little-endian host
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w));
}

// The first 32 bytes of each lane's chain value: its digest.
__attribute__((target("avx2"))) inline void store_digests_x4(const __m256i* h, uint8_t* outs) {
  for (int i = 0; i < 4; ++i) {
    uint64_t w[4];
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(w), h[i]);
    for (int l = 0; l < 4; ++l) std::memcpy(outs + 32 * l + 8 * i, &w[l], 8);
  }
}

// Four 64-byte messages (back to back), one final compression each.
__attribute__((target("avx2"))) inline void compress64_x4_avx2(const InitialState& init, const uint8_t* msgs,
                                                                  uint8_t* outs) {
  const uint8_t* blocks[4] = {msgs, msgs + 64, msgs + 128, msgs + 192};
  __m256i m[16], h[8];
  for (int i = 0; i < 8; ++i) m[i] = load_word_x4(blocks, i);
  for (int i = 8; i < 16; ++i) m[i] = _mm256_setzero_si256();
  for (int i = 0; i < 8; ++i) h[i] = _mm256_set1_epi64x(static_cast<long long>(init.h[i]));
  compress_words_x4(h, m, 64, true);
  store_digests_x4(h, outs);
}

// Four messages of `len` bytes each, any length.
__attribute__((target("avx2"))) inline void hash_x4_avx2(const InitialState& init, const uint8_t* const* msgs,
                                                            size_t len, uint8_t* outs) {
  __m256i h[8], m[16];
  for (int i = 0; i < 8; ++i) h[i] = _mm256_set1_epi64x(static_cast<long long>(init.h[i]));
  // Every block but the last is full; the last holds 1..128 bytes (or none
  // for the empty message), zero padded, and carries the flag.
  const size_t blocks = len == 0 ? 1 : (len + 127) / 128;
  const uint8_t* ptr[4];
  for (size_t b = 0; b + 1 < blocks; ++b) {
    for (int l = 0; l < 4; ++l) ptr[l] = msgs[l] + 128 * b;
    for (int i = 0; i < 16; ++i) m[i] = load_word_x4(ptr, i);
    compress_words_x4(h, m, 128 * (b + 1), false);
  }
  const size_t tail = len - 128 * (blocks - 1);
  alignas(32) uint8_t pad[4][128];
  for (int l = 0; l < 4; ++l) {
    std::memset(pad[l], 0, sizeof pad[l]);
    if (tail != 0) std::memcpy(pad[l], msgs[l] + 128 * (blocks - 1), tail);
    ptr[l] = pad[l];
  }
  for (int i = 0; i < 16; ++i) m[i] = load_word_x4(ptr, i);
  compress_words_x4(h, m, len, true);
  store_digests_x4(h, outs);
}

inline bool have_avx2() {
  static const bool yes = __builtin_cpu_supports("avx2") != 0;
  return yes;
}

#endif

}  // namespace detail

// Digests of four messages of the same length (any length) under `init`'s
// personalisation, side by side in AVX2 lanes. False, writing nothing, where
// the CPU has no AVX2 (callers then hash one by one).
[[nodiscard]] inline bool hash4(const InitialState& init, const uint8_t* const* msgs, size_t len, uint8_t* outs) {
#if defined(ZKPOT_BLAKE2B_AVX2)
  if (!detail::have_avx2()) return false;
  detail::hash_x4_avx2(init, msgs, len, outs);
  return true;
#else
  (void)init, (void)msgs, (void)len, (void)outs;
  return false;
#endif
}

// Digests of n messages of 64 bytes each (msgs, back to back) into outs
// (32 bytes each): out_i = BLAKE2b-256 under `init`'s personalisation.
inline void hash64_many(const InitialState& init, const uint8_t* msgs, size_t n, uint8_t* outs) {
  size_t i = 0;
#if defined(ZKPOT_BLAKE2B_AVX2)
  if (detail::have_avx2())
    for (; i + 4 <= n; i += 4) detail::compress64_x4_avx2(init, msgs + 64 * i, outs + 32 * i);
#endif
  for (; i < n; ++i) detail::compress64_portable(init, msgs + 64 * i, outs + 32 * i);
}

}  // namespace zkpot::blake2b_lanes
