#include "prover/proof_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <system_error>

#include "formats/envelope.h"
#include "formats/idx.h"

namespace zkpot {

namespace {

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// Closes a descriptor on scope exit unless released.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

void write_all(int fd, std::span<const uint8_t> bytes, const std::string& name) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("write " + name);
    }
    done += static_cast<size_t>(n);
  }
}

}  // namespace

std::vector<uint8_t> assemble_proof(const TrainingStatement& statement, std::span<const std::vector<uint8_t>> segments,
                                    uint64_t suite) {
  std::vector<uint8_t> statement_bytes;
  if (StatementStatus st = encode_training_statement(statement, &statement_bytes); !st.is_ok()) {
    char reason[256];
    format_statement_reason(st, reason, sizeof reason);
    throw std::invalid_argument(std::string("proof statement: ") + reason);
  }
  std::vector<std::span<const uint8_t>> views(segments.begin(), segments.end());
  std::vector<uint8_t> out;
  if (FormatStatus f = encode_envelope(suite, statement_bytes, views, &out); !f.is_ok()) {
    throw std::invalid_argument(std::string("proof envelope: ") + f.message() + " at byte " + std::to_string(f.offset));
  }
  return out;
}

void write_file_atomically(const std::filesystem::path& path, std::span<const uint8_t> bytes, unsigned mode) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  try {
    {
      Fd f;
      f.fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, static_cast<mode_t>(mode));
      // O_CREAT's mode is masked by umask and ignored for an existing file; set it outright.
      if (::fchmod(f.fd, static_cast<mode_t>(mode)) != 0) throw_errno("chmod " + tmp.string());
      if (f.fd < 0) throw_errno("create " + tmp.string());
      write_all(f.fd, bytes, tmp.string());
      if (::fsync(f.fd) != 0) throw_errno("fsync " + tmp.string());
      const int fd = f.fd;
      f.fd = -1;
      if (::close(fd) != 0) throw_errno("close " + tmp.string());
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) throw_errno("rename " + tmp.string() + " to " + path.string());
  } catch (...) {
    ::unlink(tmp.c_str());
    throw;
  }
  // The rename is durable once the directory entry is on disk.
  Fd d;
  d.fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (d.fd < 0) throw_errno("open directory " + dir.string());
  if (::fsync(d.fd) != 0) throw_errno("fsync directory " + dir.string());
}

void write_proof_file(const std::filesystem::path& run_dir, const TrainingStatement& statement,
                      std::span<const std::vector<uint8_t>> segments) {
  const std::vector<uint8_t> bytes = assemble_proof(statement, segments);
  write_file_atomically(proof_path(run_dir), bytes);
}

ProofFileContents read_proof_file(const std::filesystem::path& run_dir) {
  const std::filesystem::path path = proof_path(run_dir);
  const std::vector<uint8_t> bytes = formats::read_file_bounded(path.string(), kMaxEnvelopeBytes);
  EnvelopeView env;
  if (FormatStatus f = decode_envelope(bytes, &env); !f.is_ok())
    throw std::runtime_error(path.string() + ": " + f.message() + " at byte " + std::to_string(f.offset));
  ProofFileContents c;
  c.statement_bytes.assign(env.statement.begin(), env.statement.end());
  if (StatementStatus st = decode_training_statement(env.statement, &c.statement); !st.is_ok()) {
    char reason[256];
    format_statement_reason(st, reason, sizeof reason);
    throw std::runtime_error(path.string() + ": statement: " + reason);
  }
  SegmentCursor cursor(env);
  for (uint64_t i = 0; i < env.segment_count; ++i) {
    std::span<const uint8_t> seg;
    if (FormatStatus f = cursor.next(&seg); !f.is_ok())
      throw std::runtime_error(path.string() + ": segment " + std::to_string(i) + ": " + f.message());
    c.segments.emplace_back(seg.begin(), seg.end());
  }
  return c;
}

}  // namespace zkpot
