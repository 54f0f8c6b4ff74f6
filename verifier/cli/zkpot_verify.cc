// zkpot-verify: checks proof files with libzkpot_verify, streaming each file
// segment by segment (memory stays at one segment plus the scratch).
//
//   zkpot-verify [--json] [--expect-...] FILE...
//   zkpot-verify [--json] [--expect-...] --batch DIR [--jobs N]
//
// Exit status: 2 if any file could not be read or the command line is wrong;
// otherwise 1 if any proof is not valid (a malformed file is an invalid
// proof; so is a statement that differs from a pinned field); otherwise 0.
#include <zkpot/verify.hpp>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Pins {
  std::string dataset;        // hex digest
  std::string final_weights;  // hex digest
  std::string initial_weights;
  std::string architecture;   // "784-128-10"
};

struct Outcome {
  std::string file;
  bool io_error = false;
  bool valid = false;
  std::string status;  // zkpot_status_name, "io_error" or "pin_mismatch"
  std::string reason;
  std::optional<std::string> statement_digest;
  std::string statement_text;  // human summary of the statement
  double verify_ms = 0;
};

// Reads a file through a window large enough for the head or one segment.
// The window's memory belongs to the caller, who reuses it from file to file.
class FileWindow {
 public:
  FileWindow(std::FILE* f, std::vector<unsigned char>& buf) : f_(f), buf_(buf) {
    buf_.resize(ZKPOT_MAX_SEGMENT_ITEM_BYTES + ZKPOT_MAX_HEAD_BYTES);
  }
  // Makes at least n bytes available from the current position if the file
  // has them; false on a read error.
  bool fill(size_t n) {
    if (end_ - start_ >= n || eof_) return true;
    if (start_ > 0) {
      std::memmove(buf_.data(), buf_.data() + start_, end_ - start_);
      end_ -= start_;
      start_ = 0;
    }
    while (end_ < n && !eof_) {
      const size_t got = std::fread(buf_.data() + end_, 1, buf_.size() - end_, f_);
      end_ += got;
      if (got == 0) {
        if (std::ferror(f_)) return false;
        eof_ = true;
      }
    }
    return true;
  }
  std::span<const unsigned char> view(size_t n) const {
    return std::span<const unsigned char>(buf_.data() + start_, std::min(n, end_ - start_));
  }
  void consume(size_t n) { start_ += std::min(n, end_ - start_); }
  size_t available() const { return end_ - start_; }
  bool at_eof() { return fill(1) && available() == 0; }

 private:
  std::FILE* f_;
  std::vector<unsigned char>& buf_;
  size_t start_ = 0, end_ = 0;
  bool eof_ = false;
};

const char* activation_name(uint32_t a) { return a == 1 ? "relu" : "identity"; }

std::string describe_statement(const zkpot::Verifier& v) {
  char line[512];
  std::string out;
  const uint64_t ps = v.get(ZKPOT_ST_PARAMETER_SET);
  std::snprintf(line, sizeof line, "  parameter set      %llu%s\n", static_cast<unsigned long long>(ps),
                ps == 2 ? " (TEST ONLY, insecure)" : "");
  out += line;
  std::string acts;
  for (uint32_t i = 0; i < v.get(ZKPOT_ST_LAYER_COUNT); ++i) acts += std::string(i ? "," : "") + activation_name(v.activation(i));
  std::snprintf(line, sizeof line, "  architecture       %s (%s), %s\n", v.architecture().c_str(), acts.c_str(),
                v.get(ZKPOT_ST_LOSS) == 0 ? "softmax cross-entropy" : "mean squared error");
  out += line;
  std::snprintf(line, sizeof line,
                "  hyperparameters    batch %llu, lr %llu/2^%llu, Fa %llu, Fw %llu, Bq %llu, Bw %llu, Bu %llu, Fe %llu, "
                "%llu steps/epoch\n",
                (unsigned long long)v.get(ZKPOT_ST_BATCH_SIZE), (unsigned long long)v.get(ZKPOT_ST_LR_NUM),
                (unsigned long long)v.get(ZKPOT_ST_LR_FRAC_BITS), (unsigned long long)v.get(ZKPOT_ST_ACT_FRAC_BITS),
                (unsigned long long)v.get(ZKPOT_ST_WEIGHT_FRAC_BITS), (unsigned long long)v.get(ZKPOT_ST_QUOTIENT_BITS),
                (unsigned long long)v.get(ZKPOT_ST_WEIGHT_BITS), (unsigned long long)v.get(ZKPOT_ST_UPDATE_BITS),
                (unsigned long long)v.get(ZKPOT_ST_EXP_FRAC_BITS), (unsigned long long)v.get(ZKPOT_ST_STEPS_PER_EPOCH));
  out += line;
  const auto ds = v.digest(ZKPOT_DIGEST_DATASET);
  std::snprintf(line, sizeof line, "  dataset            %s (%llu rows x %llu, %llu classes, %s)\n",
                zkpot::to_hex(ds).c_str(), (unsigned long long)v.get(ZKPOT_ST_DATASET_ROWS),
                (unsigned long long)v.get(ZKPOT_ST_DATASET_COLUMNS), (unsigned long long)v.get(ZKPOT_ST_DATASET_CLASSES),
                v.get(ZKPOT_ST_DATASET_HIDING) ? "hiding" : "public");
  out += line;
  out += "  initial weights    " + zkpot::to_hex(v.digest(ZKPOT_DIGEST_INITIAL_WEIGHTS)) + "\n";
  out += "  final weights      " + zkpot::to_hex(v.digest(ZKPOT_DIGEST_FINAL_WEIGHTS)) + "\n";
  std::snprintf(line, sizeof line, "  steps              [%llu, %llu) in %llu segment(s)\n",
                (unsigned long long)v.get(ZKPOT_ST_T0), (unsigned long long)v.get(ZKPOT_ST_T1),
                (unsigned long long)v.segment_count());
  out += line;
  if (v.get(ZKPOT_ST_HAS_BEACON)) out += "  beacon             " + zkpot::to_hex(v.digest(ZKPOT_DIGEST_BEACON)) + "\n";
  return out;
}

// "" when the statement matches every pinned field, else why not.
std::string check_pins(const zkpot::Verifier& v, const Pins& pins) {
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  auto digest_pin = [&](const std::string& pin, zkpot_digest_field f, const char* name) -> std::string {
    if (pin.empty()) return "";
    const std::string have = zkpot::to_hex(v.digest(f));
    if (lower(pin) == have) return "";
    return std::string(name) + " is " + have + ", expected " + pin;
  };
  if (std::string r = digest_pin(pins.dataset, ZKPOT_DIGEST_DATASET, "dataset commitment"); !r.empty()) return r;
  if (std::string r = digest_pin(pins.initial_weights, ZKPOT_DIGEST_INITIAL_WEIGHTS, "initial weight commitment");
      !r.empty()) {
    return r;
  }
  if (std::string r = digest_pin(pins.final_weights, ZKPOT_DIGEST_FINAL_WEIGHTS, "final weight commitment");
      !r.empty()) {
    return r;
  }
  if (!pins.architecture.empty() && v.architecture() != pins.architecture) {
    return "architecture is " + v.architecture() + ", expected " + pins.architecture;
  }
  return "";
}

// What a worker keeps between files: the verifier (its context and scratch)
// and the read window. Allocating and zero-filling them for every file, about
// 9 MiB, cost page faults that two workers took in turn, since they share
// one address space; a worker now pays it once.
struct WorkerMemory {
  zkpot::Verifier verifier;
  std::vector<unsigned char> window;
};

Outcome verify_file(const std::string& path, const Pins& pins, WorkerMemory& mem) {
  Outcome o;
  o.file = path;
  const auto t_start = std::chrono::steady_clock::now();
  auto finish = [&](Outcome& out) -> Outcome& {
    out.verify_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_start).count();
    return out;
  };
  auto io_fail = [&](const std::string& why) -> Outcome& {
    o.io_error = true;
    o.status = "io_error";
    o.reason = why;
    return finish(o);
  };
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return io_fail("is a directory");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return io_fail(std::strerror(errno));
  struct Closer {
    std::FILE* f;
    ~Closer() { std::fclose(f); }
  } closer{f};

  zkpot::Verifier& v = mem.verifier;
  FileWindow w(f, mem.window);
  auto verdict = [&](zkpot_status s) -> Outcome& {
    o.valid = s == ZKPOT_VALID;
    o.status = zkpot_status_name(s);
    o.reason = v.reason();
    return finish(o);
  };
  if (!w.fill(ZKPOT_MAX_HEAD_BYTES)) return io_fail(std::strerror(errno));
  size_t head_len = 0;
  zkpot_status s = v.begin(w.view(ZKPOT_MAX_HEAD_BYTES), &head_len);
  if (s != ZKPOT_CONTINUE) return verdict(s);
  o.statement_digest = zkpot::to_hex(v.digest(ZKPOT_DIGEST_STATEMENT));
  o.statement_text = describe_statement(v);
  if (std::string pin = check_pins(v, pins); !pin.empty()) {
    o.status = "pin_mismatch";
    o.reason = pin;
    return finish(o);
  }
  w.consume(head_len);
  const uint64_t count = v.segment_count();
  for (uint64_t i = 0; i < count; ++i) {
    if (!w.fill(9)) return io_fail(std::strerror(errno));
    size_t item_len = 0;
    const zkpot_status size_status = v.next_segment_size(w.view(9), &item_len);
    if (size_status == ZKPOT_CONTINUE) {
      if (!w.fill(item_len)) return io_fail(std::strerror(errno));
    } else {
      item_len = w.available();  // the library reports what is wrong with it
    }
    s = v.segment(w.view(item_len));
    if (s != ZKPOT_CONTINUE) return verdict(s);
    w.consume(item_len);
  }
  s = v.end();
  if (s != ZKPOT_VALID) return verdict(s);
  if (!w.at_eof()) {
    o.status = zkpot_status_name(ZKPOT_MALFORMED);
    o.reason = "malformed: envelope: bytes after the last segment";
    return finish(o);
  }
  return verdict(s);
}

std::string json_escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

void print_json(const Outcome& o) {
  std::printf("{\"file\":\"%s\",\"valid\":%s,\"status\":\"%s\",\"reason\":\"%s\",\"statement_digest\":%s,"
              "\"verify_ms\":%.3f}\n",
              json_escape(o.file).c_str(), o.valid ? "true" : "false", o.status.c_str(), json_escape(o.reason).c_str(),
              o.statement_digest ? ("\"" + *o.statement_digest + "\"").c_str() : "null", o.verify_ms);
}

void print_human(const Outcome& o) {
  std::printf("%s\n", o.file.c_str());
  if (o.statement_digest) std::printf("  statement digest   %s\n%s", o.statement_digest->c_str(), o.statement_text.c_str());
  if (o.valid) {
    std::printf("  verdict            VALID (%.1f ms)\n", o.verify_ms);
  } else {
    std::string upper = o.status;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::printf("  verdict            %s: %s\n", upper.c_str(), o.reason.c_str());
  }
}

bool is_hex_digest(const std::string& s) {
  return s.size() == 2 * ZKPOT_DIGEST_BYTES && std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"zkpot-verify: check zkpot proof-of-training files"};
  std::vector<std::string> files;
  std::string batch_dir;
  unsigned jobs = 1;
  bool json = false;
  Pins pins;
  app.add_option("files", files, "proof files");
  app.add_option("--batch", batch_dir, "verify every regular file in this directory");
  app.add_option("--jobs,-j", jobs, "files verified at once")->check(CLI::Range(1u, 256u));
  app.add_flag("--json", json, "one JSON object per proof");
  app.add_option("--expect-dataset", pins.dataset, "required dataset commitment (hex)");
  app.add_option("--expect-initial-weights", pins.initial_weights, "required initial weight commitment (hex)");
  app.add_option("--expect-final-weights,--expect-model", pins.final_weights,
                 "required final weight (model) commitment (hex)");
  app.add_option("--expect-architecture", pins.architecture, "required architecture, e.g. 784-128-10");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  for (const std::string* pin : {&pins.dataset, &pins.initial_weights, &pins.final_weights}) {
    if (!pin->empty() && !is_hex_digest(*pin)) {
      std::fprintf(stderr, "zkpot-verify: a pinned commitment must be %d hex digits: %s\n", 2 * ZKPOT_DIGEST_BYTES,
                   pin->c_str());
      return 2;
    }
  }
  bool usage_error = false;
  if (!batch_dir.empty()) {
    std::error_code ec;
    std::vector<std::string> found;
    for (std::filesystem::directory_iterator it(batch_dir, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code ec2;
      if (it->is_regular_file(ec2) || it->is_symlink(ec2)) found.push_back(it->path().string());
    }
    if (ec) {
      std::fprintf(stderr, "zkpot-verify: cannot read directory %s: %s\n", batch_dir.c_str(), ec.message().c_str());
      usage_error = true;
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  if (files.empty() && !usage_error) {
    std::fprintf(stderr, "zkpot-verify: no proof files given (FILE... or --batch DIR)\n%s", app.help().c_str());
    return 2;
  }

  std::vector<Outcome> outcomes(files.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    std::optional<WorkerMemory> mem;
    for (size_t i = next.fetch_add(1); i < files.size(); i = next.fetch_add(1)) {
      try {
        if (!mem) mem.emplace();
        outcomes[i] = verify_file(files[i], pins, *mem);
      } catch (const std::exception& e) {
        outcomes[i].file = files[i];
        outcomes[i].io_error = true;
        outcomes[i].status = "io_error";
        outcomes[i].reason = e.what();
      }
    }
  };
  std::vector<std::thread> threads;
  const unsigned n_threads = std::min<size_t>(jobs, std::max<size_t>(files.size(), 1));
  for (unsigned t = 1; t < n_threads; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();

  bool any_io = usage_error, any_invalid = false;
  for (const Outcome& o : outcomes) {
    if (json) print_json(o);
    else print_human(o);
    any_io |= o.io_error;
    any_invalid |= !o.io_error && !o.valid;
  }
  if (!json && outcomes.size() > 1) {
    size_t valid = 0;
    for (const Outcome& o : outcomes) valid += o.valid;
    std::printf("%zu of %zu proofs valid\n", valid, outcomes.size());
  }
  return any_io ? 2 : any_invalid ? 1 : 0;
}
