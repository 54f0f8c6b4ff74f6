// The C boundary of libzkpot_verify (verifier/include/zkpot/verify.h): null
// and order checks, a catch-all around every call so nothing is thrown
// across it, and the statement accessors. The work is in verify_session.cc.
#include <algorithm>
#include <cstring>
#include <new>

#include "verifier/include/zkpot/verify.h"
#include "verifier/verify_session.h"

using zkpot::verify_detail::Session;

struct zkpot_context {
  static constexpr uint64_t kMagic = 0x7a6b706f742d7631ULL;  // "zkpot-v1"
  uint64_t magic = kMagic;
  Session session;
};

namespace {

const zkpot_context* checked(const zkpot_context* ctx) {
  return ctx != nullptr && ctx->magic == zkpot_context::kMagic ? ctx : nullptr;
}
zkpot_context* checked(zkpot_context* ctx) {
  return ctx != nullptr && ctx->magic == zkpot_context::kMagic ? ctx : nullptr;
}

std::span<const uint8_t> bytes(const unsigned char* p, size_t n) {
  return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(p), p == nullptr ? 0 : n);
}

// Runs f, turning any exception into ZKPOT_INTERNAL_ERROR (none is expected:
// the session is noexcept, this is the boundary's guarantee).
template <class Fn>
zkpot_status guarded(zkpot_context* ctx, Fn&& f) noexcept {
  try {
    return f();
  } catch (...) {
    if (ctx != nullptr) return ctx->session.internal_error("exception inside the verifier");
    return ZKPOT_INTERNAL_ERROR;
  }
}

}  // namespace

extern "C" {

const char* zkpot_status_name(zkpot_status status) {
  switch (status) {
    case ZKPOT_VALID: return "valid";
    case ZKPOT_INVALID: return "invalid";
    case ZKPOT_MALFORMED: return "malformed";
    case ZKPOT_UNSUPPORTED: return "unsupported";
    case ZKPOT_OVER_LIMIT: return "over_limit";
    case ZKPOT_CONTINUE: return "continue";
    case ZKPOT_SCRATCH_TOO_SMALL: return "scratch_too_small";
    case ZKPOT_MISUSE: return "misuse";
    case ZKPOT_INTERNAL_ERROR: return "internal_error";
  }
  return "unknown_status";
}

size_t zkpot_context_size(void) { return sizeof(zkpot_context) + alignof(zkpot_context) - 1; }

zkpot_context* zkpot_context_create(void* memory, size_t memory_len) {
  if (memory == nullptr || memory_len < zkpot_context_size()) return nullptr;
  const uintptr_t p = reinterpret_cast<uintptr_t>(memory);
  const uintptr_t aligned = (p + alignof(zkpot_context) - 1) & ~(uintptr_t{alignof(zkpot_context)} - 1);
  try {
    return new (reinterpret_cast<void*>(aligned)) zkpot_context();
  } catch (...) {
    return nullptr;
  }
}

zkpot_status zkpot_statement_scratch_size(size_t* scratch_len, const unsigned char* statement, size_t statement_len) {
  if (scratch_len == nullptr || (statement == nullptr && statement_len > 0)) return ZKPOT_MISUSE;
  return guarded(nullptr, [&]() -> zkpot_status {
    if (statement_len > ZKPOT_MAX_STATEMENT_BYTES) return ZKPOT_OVER_LIMIT;
    zkpot::TrainingStatement s;
    const zkpot::StatementStatus st = zkpot::decode_training_statement(bytes(statement, statement_len), &s);
    if (!st.is_ok()) {
      if (st.code == zkpot::StatementError::kOverCap) return ZKPOT_OVER_LIMIT;
      if (st.code == zkpot::StatementError::kUnknownParameterSet) return ZKPOT_UNSUPPORTED;
      if (st.code == zkpot::StatementError::kFormat) {
        return zkpot::verify_detail::status_of_format_error(st.format.code);
      }
      return ZKPOT_MALFORMED;
    }
    *scratch_len = zkpot::verify_detail::segment_scratch_bytes(s);
    return ZKPOT_VALID;
  });
}

size_t zkpot_max_scratch_size(void) {
  // Scratch grows with every cap, so a statement at all caps bounds it (under
  // each parameter set); the fixed-point widths do not change it.
  zkpot::TrainingStatement s;
  s.architecture.input_width = ZKPOT_MAX_INPUT_WIDTH;
  s.architecture.layer_count = ZKPOT_MAX_LAYERS;
  for (uint32_t i = 0; i < ZKPOT_MAX_LAYERS; ++i) {
    s.architecture.layer_widths[i] = ZKPOT_MAX_WIDTH;
    s.architecture.activations[i] = i + 1 < ZKPOT_MAX_LAYERS ? zkpot::Activation::kRelu : zkpot::Activation::kIdentity;
  }
  s.hyper.batch_size = ZKPOT_MAX_BATCH;
  s.hyper.lr_num = 1;
  s.hyper.lr_frac_bits = 20;
  s.hyper.act_frac_bits = 12;
  s.hyper.weight_frac_bits = 20;
  s.hyper.quotient_bits = 20;
  s.hyper.weight_bits = 24;
  s.hyper.update_bits = 24;
  s.hyper.exp_frac_bits = 16;
  s.hyper.normalisation = zkpot::NormalisationKind::kUnitRange;
  s.hyper.norm_std_micro = zkpot::kStatementMicro;
  s.dataset.rows = ZKPOT_MAX_DATASET_ROWS;
  s.dataset.columns = ZKPOT_MAX_INPUT_WIDTH;
  s.dataset.classes = ZKPOT_MAX_WIDTH;
  s.t1 = ZKPOT_MAX_STEPS;
  size_t most = 0;
  for (zkpot::ParameterSet p : {zkpot::ParameterSet::kJohnson100Zk, zkpot::ParameterSet::kTestInsecure}) {
    s.parameter_set = static_cast<uint64_t>(p);
    most = std::max(most, zkpot::verify_detail::segment_scratch_bytes(s));
  }
  return most;
}

zkpot_status zkpot_verify_begin(zkpot_context* ctx, size_t* head_len, const unsigned char* input, size_t input_len) {
  ctx = checked(ctx);
  if (ctx == nullptr) return ZKPOT_MISUSE;
  if (head_len == nullptr || (input == nullptr && input_len > 0)) return ctx->session.misuse("null argument");
  return guarded(ctx, [&] { return ctx->session.begin(bytes(input, input_len), head_len); });
}

zkpot_status zkpot_scratch_size(const zkpot_context* ctx, size_t* scratch_len) {
  ctx = checked(ctx);
  if (ctx == nullptr || scratch_len == nullptr) return ZKPOT_MISUSE;
  return ctx->session.scratch_size(scratch_len);
}

uint64_t zkpot_segment_count(const zkpot_context* ctx) {
  ctx = checked(ctx);
  return ctx == nullptr ? 0 : ctx->session.segment_count();
}

zkpot_status zkpot_next_segment_size(const zkpot_context* ctx, size_t* item_len, const unsigned char* input,
                                     size_t input_len) {
  ctx = checked(ctx);
  if (ctx == nullptr || item_len == nullptr || (input == nullptr && input_len > 0)) return ZKPOT_MISUSE;
  return ctx->session.next_segment_size(bytes(input, input_len), item_len);
}

zkpot_status zkpot_verify_segment(zkpot_context* ctx, void* scratch, size_t scratch_len, const unsigned char* item,
                                  size_t item_len) {
  ctx = checked(ctx);
  if (ctx == nullptr) return ZKPOT_MISUSE;
  if (item == nullptr && item_len > 0) return ctx->session.misuse("null segment");
  return guarded(ctx, [&] { return ctx->session.segment(scratch, scratch_len, bytes(item, item_len)); });
}

zkpot_status zkpot_verify_end(zkpot_context* ctx) {
  ctx = checked(ctx);
  if (ctx == nullptr) return ZKPOT_MISUSE;
  return guarded(ctx, [&] { return ctx->session.end(); });
}

zkpot_status zkpot_verify_buffer(zkpot_context* ctx, void* scratch, size_t scratch_len, const unsigned char* file,
                                 size_t file_len) {
  ctx = checked(ctx);
  if (ctx == nullptr) return ZKPOT_MISUSE;
  if (file == nullptr && file_len > 0) return ctx->session.misuse("null file");
  return guarded(ctx, [&] { return ctx->session.verify_buffer(scratch, scratch_len, bytes(file, file_len)); });
}

zkpot_status zkpot_result_status(const zkpot_context* ctx) {
  ctx = checked(ctx);
  return ctx == nullptr ? ZKPOT_MISUSE : ctx->session.result().status;
}
const char* zkpot_result_reason(const zkpot_context* ctx) {
  ctx = checked(ctx);
  return ctx == nullptr ? "misuse: not a context" : ctx->session.result().reason;
}
const char* zkpot_result_check(const zkpot_context* ctx) {
  ctx = checked(ctx);
  return ctx == nullptr ? "" : ctx->session.result().check;
}
const char* zkpot_result_field(const zkpot_context* ctx) {
  ctx = checked(ctx);
  return ctx == nullptr ? "" : ctx->session.result().field;
}
uint64_t zkpot_result_offset(const zkpot_context* ctx) {
  ctx = checked(ctx);
  return ctx == nullptr ? 0 : ctx->session.result().offset;
}
uint64_t zkpot_result_segment(const zkpot_context* ctx) {
  ctx = checked(ctx);
  return ctx == nullptr ? UINT64_MAX : ctx->session.result().segment;
}

zkpot_status zkpot_statement_u64(const zkpot_context* ctx, uint64_t* value, zkpot_statement_field field) {
  ctx = checked(ctx);
  if (ctx == nullptr || value == nullptr || !ctx->session.has_statement()) return ZKPOT_MISUSE;
  const zkpot::TrainingStatement& s = ctx->session.statement();
  uint64_t v = 0;
  switch (field) {
    case ZKPOT_ST_PARAMETER_SET: v = s.parameter_set; break;
    case ZKPOT_ST_INPUT_WIDTH: v = s.architecture.input_width; break;
    case ZKPOT_ST_LAYER_COUNT: v = s.architecture.layer_count; break;
    case ZKPOT_ST_LOSS: v = static_cast<uint64_t>(s.architecture.loss); break;
    case ZKPOT_ST_BATCH_SIZE: v = s.hyper.batch_size; break;
    case ZKPOT_ST_LR_NUM: v = s.hyper.lr_num; break;
    case ZKPOT_ST_LR_FRAC_BITS: v = s.hyper.lr_frac_bits; break;
    case ZKPOT_ST_ACT_FRAC_BITS: v = s.hyper.act_frac_bits; break;
    case ZKPOT_ST_WEIGHT_FRAC_BITS: v = s.hyper.weight_frac_bits; break;
    case ZKPOT_ST_QUOTIENT_BITS: v = s.hyper.quotient_bits; break;
    case ZKPOT_ST_WEIGHT_BITS: v = s.hyper.weight_bits; break;
    case ZKPOT_ST_UPDATE_BITS: v = s.hyper.update_bits; break;
    case ZKPOT_ST_EXP_FRAC_BITS: v = s.hyper.exp_frac_bits; break;
    case ZKPOT_ST_STEPS_PER_EPOCH: v = s.hyper.steps_per_epoch; break;
    case ZKPOT_ST_NORMALISATION: v = static_cast<uint64_t>(s.hyper.normalisation); break;
    case ZKPOT_ST_NORM_MEAN_MICRO: v = s.hyper.norm_mean_micro; break;
    case ZKPOT_ST_NORM_STD_MICRO: v = s.hyper.norm_std_micro; break;
    case ZKPOT_ST_DATASET_ROWS: v = s.dataset.rows; break;
    case ZKPOT_ST_DATASET_COLUMNS: v = s.dataset.columns; break;
    case ZKPOT_ST_DATASET_CLASSES: v = s.dataset.classes; break;
    case ZKPOT_ST_DATASET_HIDING: v = s.dataset.hiding ? 1 : 0; break;
    case ZKPOT_ST_T0: v = s.t0; break;
    case ZKPOT_ST_T1: v = s.t1; break;
    case ZKPOT_ST_HAS_BEACON: v = s.has_beacon ? 1 : 0; break;
    default: return ZKPOT_MISUSE;
  }
  *value = v;
  return ZKPOT_VALID;
}

zkpot_status zkpot_statement_digest(const zkpot_context* ctx, unsigned char digest[ZKPOT_DIGEST_BYTES],
                                    zkpot_digest_field field) {
  ctx = checked(ctx);
  if (ctx == nullptr || digest == nullptr || !ctx->session.has_statement()) return ZKPOT_MISUSE;
  const zkpot::TrainingStatement& s = ctx->session.statement();
  const zkpot::StatementDigest* d = nullptr;
  switch (field) {
    case ZKPOT_DIGEST_STATEMENT: d = &ctx->session.statement_digest(); break;
    case ZKPOT_DIGEST_DATASET: d = &s.dataset.commitment; break;
    case ZKPOT_DIGEST_INITIAL_WEIGHTS: d = &s.initial_weights; break;
    case ZKPOT_DIGEST_FINAL_WEIGHTS: d = &s.final_weights; break;
    case ZKPOT_DIGEST_BEACON: d = s.has_beacon ? &s.beacon : nullptr; break;
  }
  if (d == nullptr) return ZKPOT_MISUSE;
  std::memcpy(digest, d->data(), d->size());
  return ZKPOT_VALID;
}

zkpot_status zkpot_statement_layer(const zkpot_context* ctx, uint32_t* width, uint32_t* activation, uint32_t layer) {
  ctx = checked(ctx);
  if (ctx == nullptr || width == nullptr || activation == nullptr || !ctx->session.has_statement()) {
    return ZKPOT_MISUSE;
  }
  const zkpot::StatementArchitecture& a = ctx->session.statement().architecture;
  if (layer >= a.layer_count) return ZKPOT_MISUSE;
  *width = a.layer_widths[layer];
  *activation = static_cast<uint32_t>(a.activations[layer]);
  return ZKPOT_VALID;
}

}  // extern "C"
