// The fixed instance of fuzz/pcs_proof_fuzzer.cc, shared with the test that
// writes its seed corpus (tests/pcs_proof_cbor_test.cc): test parameters at
// 12 bits, one slot of 2^5 values, one claim (docs/PROTOCOL.md §9).
#pragma once

#include <cstdint>

#include "common/pcs_params.h"

namespace zkpot {

inline constexpr uint32_t kPcsFuzzVars = 5;

inline PcsLayout pcs_fuzz_layout() { return pcs_layout(pcs_params_test(12, true), kPcsFuzzVars); }

}  // namespace zkpot
