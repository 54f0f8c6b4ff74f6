/* libzkpot_verify: the embeddable verifier of zkpot proof files.
 *
 * A proof file (docs/FORMAT.md §4, §7) is an envelope holding a version, a
 * suite, the training statement and a list of segments; each segment proves
 * some training steps and carries the chain state (the weight commitment) to
 * the next. This library checks a file against the statement it carries and
 * hands that statement back, so the caller can compare it with what it
 * expects (its dataset commitment, the model it was promised).
 *
 * Conventions (after libsecp256k1):
 *  - The context lives in memory the caller provides (zkpot_context_size);
 *    verification works in scratch memory the caller provides (a size query
 *    says how much) and makes no heap allocation of its own.
 *  - Arguments: context first, then outputs, then inputs; each length right
 *    after its pointer. Results must be used.
 *  - Bad data gives a status code; a null pointer where none is allowed, or
 *    calls out of order, give ZKPOT_MISUSE. Nothing is thrown across this
 *    boundary. A context is used by one thread at a time; separate contexts
 *    may be used concurrently.
 *  - Every hard limit below is checked against what a header declares,
 *    before anything is allocated from the scratch or hashed.
 *  - The first hash calls libsodium's sodium_init() once (thread-safe), which
 *    selects its fastest BLAKE2b code. sodium_init() also seeds libsodium's
 *    random generator, so the process needs getrandom(2) or /dev/urandom even
 *    though verification draws no randomness; a sandbox that denies both
 *    should call sodium_init() before entering it.
 *
 * Two ways to verify:
 *  - zkpot_verify_buffer over a whole file in memory;
 *  - streaming: zkpot_verify_begin on the file's first bytes (at most
 *    ZKPOT_MAX_HEAD_BYTES are needed), then for each segment
 *    zkpot_next_segment_size and zkpot_verify_segment, then zkpot_verify_end.
 *    Only the chain state is carried between segments, so scratch does not
 *    grow with the number of steps.
 */
#ifndef ZKPOT_VERIFY_H
#define ZKPOT_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(ZKPOT_VERIFY_BUILD)
#define ZKPOT_API __attribute__((visibility("default")))
#else
#define ZKPOT_API
#endif
/* Inside the library null arguments are checked, so the compiler must not
 * assume them away; a caller that tests that check (passing nulls on
 * purpose) defines ZKPOT_NO_NONNULL_ATTRIBUTES. */
#if defined(ZKPOT_VERIFY_BUILD) || defined(ZKPOT_NO_NONNULL_ATTRIBUTES)
#define ZKPOT_ARG_NONNULL(...)
#else
#define ZKPOT_ARG_NONNULL(...) __attribute__((nonnull(__VA_ARGS__)))
#endif
#define ZKPOT_WARN_UNUSED_RESULT __attribute__((warn_unused_result))

/* ---- Hard limits (docs/FORMAT.md §3, §7.3) ---------------------------- */

/* Envelope format version and suite this library verifies. */
#define ZKPOT_ENVELOPE_VERSION 1
#define ZKPOT_SUITE_GOLDILOCKS_CUBIC7_BLAKE2B256_WHIR 1
/* The statement map: bytes, nesting depth. */
#define ZKPOT_MAX_STATEMENT_BYTES 65536
#define ZKPOT_MAX_STATEMENT_DEPTH 8
/* One segment: payload bytes, nesting depth, entries of one array or map
 * (the largest vector), items in total. */
#define ZKPOT_MAX_SEGMENT_BYTES 2097152
#define ZKPOT_MAX_SEGMENT_DEPTH 16
#define ZKPOT_MAX_SEGMENT_CONTAINER_ITEMS 1048576
#define ZKPOT_MAX_SEGMENT_ITEMS 2097152
/* Segments in one file. */
#define ZKPOT_MAX_SEGMENTS 4096
/* A segment as it appears in the file: byte-string header (at most 9 bytes)
 * and payload. */
#define ZKPOT_MAX_SEGMENT_ITEM_BYTES (ZKPOT_MAX_SEGMENT_BYTES + 9)
/* The envelope up to the first segment: map header, version, suite,
 * statement and segments-array header. zkpot_verify_begin needs at most this
 * many bytes (or the whole file if shorter). */
#define ZKPOT_MAX_HEAD_BYTES (ZKPOT_MAX_STATEMENT_BYTES + 64)
/* The whole file. */
#define ZKPOT_MAX_FILE_BYTES \
  ((uint64_t)ZKPOT_MAX_HEAD_BYTES + (uint64_t)ZKPOT_MAX_SEGMENTS * ZKPOT_MAX_SEGMENT_ITEM_BYTES)
/* Statement caps that bound the verifier's work. */
#define ZKPOT_MAX_LAYERS 16
#define ZKPOT_MAX_WIDTH 4096
#define ZKPOT_MAX_INPUT_WIDTH 4096
#define ZKPOT_MAX_BATCH 256
#define ZKPOT_MAX_STEPS 1048576 /* t1 - t0 */
#define ZKPOT_MAX_DATASET_ROWS 16777216
#define ZKPOT_DIGEST_BYTES 32
/* Length of the reason string, terminating NUL included. */
#define ZKPOT_REASON_BYTES 256
/* Thread stack that every verification call runs within, in an optimised
 * build (PTHREAD_STACK_MIN where that is larger): tests/verify_stack_test.cc
 * verifies the known-answer vectors and real production-parameter and
 * multi-step proofs on a thread of this stack size. Unoptimised and
 * sanitizer builds need several times more. */
#define ZKPOT_VERIFY_STACK_BYTES 65536

/* ---- Status ------------------------------------------------------------ */

typedef enum zkpot_status {
  /* Verdicts on a proof. */
  ZKPOT_VALID = 0,       /* every check passed (from end or verify_buffer) */
  ZKPOT_INVALID = 1,     /* well formed, but a check failed: zkpot_result_check */
  ZKPOT_MALFORMED = 2,   /* not a well-formed proof file: zkpot_result_field */
  ZKPOT_UNSUPPORTED = 3, /* unknown version, suite or parameter set */
  ZKPOT_OVER_LIMIT = 4,  /* a hard limit above is exceeded: zkpot_result_field */
  /* Progress and caller errors (not verdicts). */
  ZKPOT_CONTINUE = 5,           /* begin/segment passed; call the next function */
  ZKPOT_SCRATCH_TOO_SMALL = 6,  /* give at least zkpot_scratch_size bytes */
  ZKPOT_MISUSE = 7,             /* null argument, wrong call order, bad context */
  ZKPOT_INTERNAL_ERROR = 8      /* a bug in this library (reported, never thrown) */
} zkpot_status;

/* A static name ("valid", "invalid", "malformed", ...); never null. */
ZKPOT_API const char* zkpot_status_name(zkpot_status status);

/* ---- Context ----------------------------------------------------------- */

typedef struct zkpot_context zkpot_context;

/* Bytes a context needs (alignment slack included). */
ZKPOT_API size_t zkpot_context_size(void);

/* Builds a context in [memory, memory + memory_len); null when memory is
 * null or smaller than zkpot_context_size(). The caller owns the memory and
 * frees it when done (no destroy call is needed). */
ZKPOT_API ZKPOT_WARN_UNUSED_RESULT zkpot_context* zkpot_context_create(void* memory, size_t memory_len);

/* ---- Verification ------------------------------------------------------ */

/* Scratch that the segments of a file with this statement need, from the
 * statement map's bytes alone (the envelope's key 3). */
ZKPOT_API ZKPOT_WARN_UNUSED_RESULT zkpot_status zkpot_statement_scratch_size(size_t* scratch_len,
                                                                             const unsigned char* statement,
                                                                             size_t statement_len)
    ZKPOT_ARG_NONNULL(1);

/* Scratch enough for any statement within the caps. */
ZKPOT_API size_t zkpot_max_scratch_size(void);

/* Starts verifying a file: reads the envelope's head from input (the file's
 * first min(file size, ZKPOT_MAX_HEAD_BYTES) bytes, or more), checks version,
 * suite and statement, and sets *head_len to the bytes the head took: the
 * first segment starts there. ZKPOT_CONTINUE on success. Resets ctx. */
ZKPOT_API ZKPOT_WARN_UNUSED_RESULT zkpot_status zkpot_verify_begin(zkpot_context* ctx, size_t* head_len,
                                                                   const unsigned char* input, size_t input_len)
    ZKPOT_ARG_NONNULL(1, 2);

/* After a successful begin: the scratch each segment needs. */
ZKPOT_API ZKPOT_WARN_UNUSED_RESULT zkpot_status zkpot_scratch_size(const zkpot_context* ctx, size_t* scratch_len)
    ZKPOT_ARG_NONNULL(1, 2);

/* After a successful begin: segments the file declares. */
ZKPOT_API uint64_t zkpot_segment_count(const zkpot_context* ctx) ZKPOT_ARG_NONNULL(1);

/* Given the bytes where the next segment starts (at least 9, or the rest of
 * the file if shorter), sets *item_len to the segment's length in the file
 * (header and payload). ZKPOT_OVER_LIMIT above ZKPOT_MAX_SEGMENT_ITEM_BYTES.
 * Does not change ctx's result. */
ZKPOT_API ZKPOT_WARN_UNUSED_RESULT zkpot_status zkpot_next_segment_size(const zkpot_context* ctx, size_t* item_len,
                                                                        const unsigned char* input,
                                                                        size_t input_len) ZKPOT_ARG_NONNULL(1, 2);

/* Verifies the next segment, given as it appears in the file (exactly
 * *item_len bytes from zkpot_next_segment_size), in scratch of at least
 * zkpot_scratch_size bytes. ZKPOT_CONTINUE when it checks out. */
ZKPOT_API ZKPOT_WARN_UNUSED_RESULT zkpot_status zkpot_verify_segment(zkpot_context* ctx, void* scratch,
                                                                     size_t scratch_len,
                                                                     const unsigned char* item, size_t item_len)
    ZKPOT_ARG_NONNULL(1);

/* After every declared segment: checks that the chain reached the
 * statement's t1 and final weight commitment. The caller must also check
 * that the file ends after the last segment. ZKPOT_VALID or a failure. */
ZKPOT_API ZKPOT_WARN_UNUSED_RESULT zkpot_status zkpot_verify_end(zkpot_context* ctx) ZKPOT_ARG_NONNULL(1);

/* The whole file at once (begin, every segment, end, and no trailing bytes),
 * in scratch of at least zkpot_scratch_size bytes (zkpot_max_scratch_size
 * always suffices; or call zkpot_verify_begin first and ask). */
ZKPOT_API ZKPOT_WARN_UNUSED_RESULT zkpot_status zkpot_verify_buffer(zkpot_context* ctx, void* scratch,
                                                                    size_t scratch_len, const unsigned char* file,
                                                                    size_t file_len) ZKPOT_ARG_NONNULL(1);

/* ---- The last result --------------------------------------------------- */

/* The status of the last call that changed ctx. */
ZKPOT_API zkpot_status zkpot_result_status(const zkpot_context* ctx) ZKPOT_ARG_NONNULL(1);
/* A human-readable reason (at most ZKPOT_REASON_BYTES with its NUL), held in
 * ctx until the next call that changes it; "" when nothing failed. */
ZKPOT_API const char* zkpot_result_reason(const zkpot_context* ctx) ZKPOT_ARG_NONNULL(1);
/* ZKPOT_INVALID: the failing check's stable name (e.g. "chain.final_weights",
 * or a segment verifier check); "" otherwise. */
ZKPOT_API const char* zkpot_result_check(const zkpot_context* ctx) ZKPOT_ARG_NONNULL(1);
/* ZKPOT_MALFORMED, ZKPOT_OVER_LIMIT, ZKPOT_UNSUPPORTED: the offending field's
 * stable name: "file", "envelope", "envelope.version", "envelope.suite",
 * "envelope.segments", "segment" (or a segment field), "statement" or a
 * statement field as docs/FORMAT.md §7 names it (e.g.
 * "architecture.layer_widths", "dataset.commitment"); "" otherwise. */
ZKPOT_API const char* zkpot_result_field(const zkpot_context* ctx) ZKPOT_ARG_NONNULL(1);
/* Byte offset into the file where the failure was found (0 if none). */
ZKPOT_API uint64_t zkpot_result_offset(const zkpot_context* ctx) ZKPOT_ARG_NONNULL(1);
/* Index of the segment the failure concerns, or UINT64_MAX for the head. */
ZKPOT_API uint64_t zkpot_result_segment(const zkpot_context* ctx) ZKPOT_ARG_NONNULL(1);

/* ---- The statement (after a successful begin) --------------------------- */

typedef enum zkpot_statement_field {
  ZKPOT_ST_PARAMETER_SET = 1,
  ZKPOT_ST_INPUT_WIDTH = 2,
  ZKPOT_ST_LAYER_COUNT = 3,
  ZKPOT_ST_LOSS = 4, /* 0 softmax cross-entropy, 1 mean squared error */
  ZKPOT_ST_BATCH_SIZE = 5,
  ZKPOT_ST_LR_NUM = 6,
  ZKPOT_ST_LR_FRAC_BITS = 7,
  ZKPOT_ST_ACT_FRAC_BITS = 8,
  ZKPOT_ST_WEIGHT_FRAC_BITS = 9,
  ZKPOT_ST_QUOTIENT_BITS = 10,
  ZKPOT_ST_WEIGHT_BITS = 11,
  ZKPOT_ST_UPDATE_BITS = 12,
  ZKPOT_ST_EXP_FRAC_BITS = 13,
  ZKPOT_ST_STEPS_PER_EPOCH = 14,
  ZKPOT_ST_NORMALISATION = 15, /* 0 unit range, 1 mean/std */
  ZKPOT_ST_NORM_MEAN_MICRO = 16,
  ZKPOT_ST_NORM_STD_MICRO = 17,
  ZKPOT_ST_DATASET_ROWS = 18,
  ZKPOT_ST_DATASET_COLUMNS = 19,
  ZKPOT_ST_DATASET_CLASSES = 20,
  ZKPOT_ST_DATASET_HIDING = 21, /* 0 or 1 */
  ZKPOT_ST_T0 = 22,
  ZKPOT_ST_T1 = 23,
  ZKPOT_ST_HAS_BEACON = 24 /* 0 or 1 */
} zkpot_statement_field;

typedef enum zkpot_digest_field {
  ZKPOT_DIGEST_STATEMENT = 1, /* the statement digest (docs/FORMAT.md §4.2) */
  ZKPOT_DIGEST_DATASET = 2,
  ZKPOT_DIGEST_INITIAL_WEIGHTS = 3,
  ZKPOT_DIGEST_FINAL_WEIGHTS = 4,
  ZKPOT_DIGEST_BEACON = 5 /* ZKPOT_MISUSE when the statement has none */
} zkpot_digest_field;

/* Each returns ZKPOT_MISUSE before a successful begin or for an unknown
 * field, else ZKPOT_VALID. They read ctx only. */
ZKPOT_API ZKPOT_WARN_UNUSED_RESULT zkpot_status zkpot_statement_u64(const zkpot_context* ctx, uint64_t* value,
                                                                    zkpot_statement_field field)
    ZKPOT_ARG_NONNULL(1, 2);
ZKPOT_API ZKPOT_WARN_UNUSED_RESULT zkpot_status zkpot_statement_digest(const zkpot_context* ctx,
                                                                       unsigned char digest[ZKPOT_DIGEST_BYTES],
                                                                       zkpot_digest_field field)
    ZKPOT_ARG_NONNULL(1, 2);
/* Layer `layer` (0-based): its output width and activation (0 identity,
 * 1 ReLU). */
ZKPOT_API ZKPOT_WARN_UNUSED_RESULT zkpot_status zkpot_statement_layer(const zkpot_context* ctx, uint32_t* width,
                                                                      uint32_t* activation, uint32_t layer)
    ZKPOT_ARG_NONNULL(1, 2, 3);

#ifdef __cplusplus
}
#endif

#endif /* ZKPOT_VERIFY_H */
