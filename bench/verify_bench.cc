// Verifier benchmarks (bench/README.md "## Verifier"): zkpot-verify over a
// batch of 64 proof files with --jobs 1 and --jobs 2, and one proof verified
// in-process (time per step covered, and the scratch it needs). The proof
// comes from ZKPOT_BENCH_PROOF (e.g. RUN/proof.zkp of a training run); without
// it the benchmarks report an error instead of timing nothing.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zkpot/verify.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::vector<unsigned char> read_proof() {
  const char* path = std::getenv("ZKPOT_BENCH_PROOF");
  if (path == nullptr) return {};
  std::ifstream in(path, std::ios::binary);
  return std::vector<unsigned char>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A directory holding 64 copies of the proof.
fs::path batch_dir(const std::vector<unsigned char>& proof) {
  static fs::path dir;
  if (!dir.empty()) return dir;
  dir = fs::temp_directory_path() / "zkpot_verify_bench";
  fs::create_directories(dir);
  for (int i = 0; i < 64; ++i) {
    std::string name = "p";
    name += std::to_string(i);
    name += ".zkp";
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(proof.data()), static_cast<std::streamsize>(proof.size()));
  }
  return dir;
}

void BM_Batch64(benchmark::State& state) {
  const std::vector<unsigned char> proof = read_proof();
  if (proof.empty()) {
    state.SkipWithError("set ZKPOT_BENCH_PROOF to a proof file");
    return;
  }
  std::string cmd = ZKPOT_VERIFY_CLI;
  cmd += " --json --jobs ";
  cmd += std::to_string(state.range(0));
  cmd += " --batch ";
  cmd += batch_dir(proof).string();
  cmd += " > /dev/null";
  int last = 0;
  for (auto _ : state) last = std::system(cmd.c_str());
  rusage ru{};
  getrusage(RUSAGE_CHILDREN, &ru);
  state.counters["exit"] = WIFEXITED(last) ? WEXITSTATUS(last) : -1;
  state.counters["peak_rss_MiB"] = static_cast<double>(ru.ru_maxrss) / 1024.0;
}
BENCHMARK(BM_Batch64)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_VerifyOnePerStep(benchmark::State& state) {
  const std::vector<unsigned char> proof = read_proof();
  if (proof.empty()) {
    state.SkipWithError("set ZKPOT_BENCH_PROOF to a proof file");
    return;
  }
  zkpot::Verifier v;
  zkpot_status s = ZKPOT_MISUSE;
  for (auto _ : state) s = v.verify_buffer(proof);
  const double steps = v.has_statement() ? static_cast<double>(v.get(ZKPOT_ST_T1) - v.get(ZKPOT_ST_T0)) : 1.0;
  state.counters["valid"] = s == ZKPOT_VALID;
  state.counters["steps"] = steps;
  state.counters["ms_per_step"] = benchmark::Counter(steps * 1e3, benchmark::Counter::kIsIterationInvariantRate |
                                                                       benchmark::Counter::kInvert);
  state.counters["scratch_MiB"] = static_cast<double>(v.scratch_bytes()) / (1 << 20);
  rusage self{};
  getrusage(RUSAGE_SELF, &self);
  state.counters["self_peak_rss_MiB"] = static_cast<double>(self.ru_maxrss) / 1024.0;
}
BENCHMARK(BM_VerifyOnePerStep)->Unit(benchmark::kMillisecond);

// Peak memory of verifying the proof in a fresh zkpot-verify process: its own
// max RSS (wait4), next to the scratch the statement asks for.
void BM_VerifyCliPeakRss(benchmark::State& state) {
  const char* path = std::getenv("ZKPOT_BENCH_PROOF");
  if (path == nullptr) {
    state.SkipWithError("set ZKPOT_BENCH_PROOF to a proof file");
    return;
  }
  double peak_kib = 0;
  int status = -1;
  for (auto _ : state) {
    const pid_t pid = fork();
    if (pid == 0) {
      const int devnull = open("/dev/null", O_WRONLY);
      if (devnull >= 0) dup2(devnull, STDOUT_FILENO);
      execl(ZKPOT_VERIFY_CLI, ZKPOT_VERIFY_CLI, path, static_cast<char*>(nullptr));
      _exit(127);
    }
    rusage ru{};
    if (pid < 0 || wait4(pid, &status, 0, &ru) != pid) {
      state.SkipWithError("could not run zkpot-verify");
      return;
    }
    peak_kib = std::max(peak_kib, static_cast<double>(ru.ru_maxrss));
  }
  state.counters["exit"] = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  state.counters["peak_rss_MiB"] = peak_kib / 1024.0;
}
BENCHMARK(BM_VerifyCliPeakRss)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
