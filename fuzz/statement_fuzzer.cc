// Fuzzes the training statement decoder (docs/FORMAT.md §7) alone and inside
// an envelope. Oracles: no crash or out-of-bounds read (ASan); a failure
// names a field and an offset inside the input; whatever decodes re-encodes
// to exactly the input bytes (one encoding per statement) and passes
// validation; the envelope path agrees with the bare decoder.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <vector>

#include "formats/envelope.h"
#include "formats/statement.h"

namespace {

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "statement_fuzzer: %s\n", what);
  std::abort();
}

void fuzz_statement(std::span<const uint8_t> in) {
  zkpot::TrainingStatement s;
  const zkpot::StatementStatus st = zkpot::decode_training_statement(in, &s);
  if (!st.is_ok()) {
    if (st.offset > in.size()) die("error offset past the input");
    if (st.field == zkpot::StatementField::kNone) die("failure without a field");
    char reason[256];
    zkpot::format_statement_reason(st, reason, sizeof reason);
    return;
  }
  if (!zkpot::validate_training_statement(s).is_ok()) die("decoded statement fails validation");
  std::vector<uint8_t> out;
  if (!zkpot::encode_training_statement(s, &out).is_ok()) die("decoded statement does not encode");
  if (out.size() != in.size() || !std::equal(out.begin(), out.end(), in.begin())) die("re-encoding differs");
}

void fuzz_envelope(std::span<const uint8_t> in) {
  zkpot::EnvelopeView view;
  if (!zkpot::decode_envelope(in, &view).is_ok()) return;
  zkpot::TrainingStatement s;
  (void)zkpot::decode_training_statement(view.statement, &s);
  (void)zkpot::statement_digest(view);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> in(data, size);
  fuzz_statement(in);
  fuzz_envelope(in);
  return 0;
}
