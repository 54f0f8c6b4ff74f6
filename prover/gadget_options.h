// Options shared by the gadget provers (docs/PROTOCOL.md §11).
#pragma once

namespace zkpot {

// check_witness (on by default) makes a prover refuse, with a message naming
// the first failing entry, a witness that does not satisfy its relation,
// before anything is absorbed. Off only in tests of cheating provers.
struct GadgetProverOptions {
  bool check_witness = true;
};

}  // namespace zkpot
