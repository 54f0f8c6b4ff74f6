/* verify_proof FILE: checks one zkpot proof file with libzkpot_verify, as a
 * third-party C program would, with all memory provided by the caller.
 * Prints "<status> <statement digest or -> <reason>" and exits 0 when the
 * proof is valid, 1 when it is not, 2 when the file cannot be read. */
#include <stdio.h>
#include <stdlib.h>
#include <zkpot/verify.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: verify_proof FILE\n");
    return 2;
  }
  FILE* f = fopen(argv[1], "rb");
  if (f == NULL) {
    perror(argv[1]);
    return 2;
  }
  if (fseek(f, 0, SEEK_END) != 0) return 2;
  long size = ftell(f);
  if (size < 0 || (unsigned long long)size > ZKPOT_MAX_FILE_BYTES) {
    fprintf(stderr, "%s: unreadable or over ZKPOT_MAX_FILE_BYTES\n", argv[1]);
    fclose(f);
    return 2;
  }
  rewind(f);
  unsigned char* file = malloc(size > 0 ? (size_t)size : 1);
  if (file == NULL || fread(file, 1, (size_t)size, f) != (size_t)size) {
    fprintf(stderr, "%s: read error\n", argv[1]);
    fclose(f);
    return 2;
  }
  fclose(f);

  void* ctx_memory = malloc(zkpot_context_size());
  zkpot_context* ctx = zkpot_context_create(ctx_memory, zkpot_context_size());
  if (ctx == NULL) return 2;
  /* Ask the head for the scratch its statement needs, then verify. */
  size_t head_len = 0, scratch_len = 0;
  void* scratch = NULL;
  if (zkpot_verify_begin(ctx, &head_len, file, (size_t)size) == ZKPOT_CONTINUE &&
      zkpot_scratch_size(ctx, &scratch_len) == ZKPOT_VALID) {
    scratch = malloc(scratch_len > 0 ? scratch_len : 1);
  }
  zkpot_status status = zkpot_verify_buffer(ctx, scratch, scratch_len, file, (size_t)size);

  unsigned char digest[ZKPOT_DIGEST_BYTES];
  printf("%s ", zkpot_status_name(status));
  if (zkpot_statement_digest(ctx, digest, ZKPOT_DIGEST_STATEMENT) == ZKPOT_VALID) {
    for (int i = 0; i < ZKPOT_DIGEST_BYTES; ++i) printf("%02x", digest[i]);
  } else {
    printf("-");
  }
  printf(" %s\n", zkpot_result_reason(ctx));
  free(scratch);
  free(ctx_memory);
  free(file);
  return status == ZKPOT_VALID ? 0 : 1;
}
