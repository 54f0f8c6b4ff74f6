// The prover's randomness: masks, salts and blinding values (docs/PROTOCOL.md §4).
//
// By default it reads the operating system's CSPRNG. A deterministic mode
// expands a 32-byte seed with libsodium's ChaCha20-based generator, so tests
// can check golden proofs byte for byte; it must never be used for proofs
// that are meant to hide anything.
#pragma once

#include <sodium.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "common/extension.h"

namespace zkpot {

class ProverRng {
 public:
  // Operating-system randomness.
  ProverRng() : deterministic_(false) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  }
  // Deterministic stream from a seed (tests and golden vectors only).
  static ProverRng from_seed(const std::array<uint8_t, 32>& seed) {
    ProverRng r;
    r.deterministic_ = true;
    r.seed_ = seed;
    return r;
  }
  static ProverRng from_seed_u64(uint64_t s) {
    std::array<uint8_t, 32> seed{};
    for (int i = 0; i < 8; ++i) seed[i] = static_cast<uint8_t>(s >> (8 * i));
    return from_seed(seed);
  }

  bool deterministic() const { return deterministic_; }

  void fill(uint8_t* out, size_t len) {
    if (!deterministic_) {
      randombytes_buf(out, len);
      return;
    }
    // Each call draws a fresh block keyed by (seed, counter).
    std::array<uint8_t, 32> key = seed_;
    for (int i = 0; i < 8; ++i) key[24 + i] ^= static_cast<uint8_t>(counter_ >> (8 * i));
    ++counter_;
    randombytes_buf_deterministic(out, len, key.data());
  }

  uint64_t next_u64() {
    uint8_t b[8];
    fill(b, 8);
    uint64_t x = 0;
    for (int i = 0; i < 8; ++i) x |= static_cast<uint64_t>(b[i]) << (8 * i);
    return x;
  }

  // A uniform element of F (base field or extension), by rejection.
  template <class F>
  F field() {
    if constexpr (requires { typename F::Base; }) {
      using B = typename F::Base;
      B c[F::kDegree];
      for (unsigned i = 0; i < F::kDegree; ++i) c[i] = field<B>();
      return F::from_coeffs(c);
    } else {
      F out;
      while (!F::from_uniform_u64(next_u64(), &out)) {
      }
      return out;
    }
  }

 private:
  bool deterministic_;
  std::array<uint8_t, 32> seed_{};
  uint64_t counter_ = 0;
};

}  // namespace zkpot
