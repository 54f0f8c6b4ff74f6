// The full tampering sweep over a real proof file (issues 4 and 5): one bit
// flipped at several hundred deterministic positions spread over the whole
// file (every byte of the envelope head with its statement, the first bytes
// of each segment, 150 positions across each segment's body, its last
// bytes) never verifies. Slow: each flip is a whole verification.
#include "verify_tamper_sweep.h"

namespace zkpot {
namespace {

TEST(VerifyTamperSlow, FlippedBytesNeverVerify) { testing::flip_sweep(1, 150, 300); }

}  // namespace
}  // namespace zkpot
