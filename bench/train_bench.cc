// The training engine's plain step times (the denominators of the prover's
// overhead ratios) and its accuracy curves against the double reference
// (bench/README.md, "## Training engine"). Run:
//   build/<dir>/bench/train_bench --benchmark_filter=Step --benchmark_repetitions=5 --benchmark_report_aggregates_only
//   build/<dir>/bench/train_bench --benchmark_filter=Curves
//   build/<dir>/bench/train_bench --benchmark_filter=Prove --benchmark_repetitions=3
#include <benchmark/benchmark.h>

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>

#include "common/training_verifier.h"
#include "formats/idx.h"
#include "prover/train/batch_schedule.h"
#include "prover/train/comparison_run.h"
#include "prover/train/fixed_point_trainer.h"
#include "prover/train/float_reference.h"
#include "formats/training_statement_setup.h"
#include "prover/rng.h"
#include "prover/train_prover.h"

namespace zkpot::train {
namespace {

// Fashion-MNIST's training split when installed (its zero background matters
// to the kernels' sparsity), else uniform synthetic images of the same shape.
formats::LabelledImages synthetic_images(size_t count, size_t pixels, uint8_t seed) {
  formats::LabelledImages d;
  d.count = count;
  d.height = 1;
  d.width = pixels;
  Seed s{};
  s[0] = seed;
  SeedStream stream("zkpot/bench", s, 0);
  d.pixels.resize(count * pixels);
  for (auto& p : d.pixels) p = static_cast<uint8_t>(stream.next_u64());
  for (size_t i = 0; i < count; ++i) d.labels.push_back(static_cast<uint8_t>(stream.uniform_below(10)));
  return d;
}

const formats::LabelledImages& dataset_for(size_t inputs) {
  static std::unique_ptr<formats::LabelledImages> mnist, wide;
  if (inputs == 784) {
    if (!mnist) {
      mnist = std::make_unique<formats::LabelledImages>(
          formats::fashion_mnist_available(formats::FashionMnistSplit::kTrain)
              ? formats::load_fashion_mnist(formats::FashionMnistSplit::kTrain)
              : synthetic_images(4096, 784, 1));
    }
    return *mnist;
  }
  if (!wide) wide = std::make_unique<formats::LabelledImages>(synthetic_images(4096, inputs, 2));
  return *wide;
}

TrainConfig bench_config(const char* arch) {
  return TrainConfig::standard(Architecture::parse(arch), 64, 0.03, Normalisation::fashion_mnist());
}

void BM_FixedPointStep(benchmark::State& state, const char* arch, bool record) {
  const TrainConfig config = bench_config(arch);
  const auto& data = dataset_for(config.arch.inputs());
  FixedPointTrainer trainer(config, initial_model(config, Seed{}));
  BatchSchedule schedule(Seed{}, data.count, config.batch_size);
  StepWitness witness;
  uint64_t t = 0;
  for (auto _ : state) {
    trainer.step(data, schedule.rows_of_step(t), t, record ? &witness : nullptr);
    ++t;
  }
  state.counters["loss"] = trainer.last_loss();
}

void BM_FloatStep(benchmark::State& state, const char* arch) {
  const TrainConfig config = bench_config(arch);
  const auto& data = dataset_for(config.arch.inputs());
  FloatReferenceTrainer trainer(config, dequantise(initial_model(config, Seed{}), config.fp.weight_frac_bits));
  BatchSchedule schedule(Seed{}, data.count, config.batch_size);
  uint64_t t = 0;
  for (auto _ : state) trainer.step(data, schedule.rows_of_step(t++));
  state.counters["loss"] = trainer.last_loss();
}

constexpr const char* kMnistNet = "784-128-10";
// zkDL's shape: 8 dense layers of width 1024 on a 3072-wide (CIFAR-sized) input.
constexpr const char* kWideNet = "3072-1024-1024-1024-1024-1024-1024-1024-1024";

BENCHMARK_CAPTURE(BM_FixedPointStep, mnist_train_only, kMnistNet, false)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_FixedPointStep, mnist_recorded, kMnistNet, true)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_FloatStep, mnist, kMnistNet)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_FixedPointStep, wide8x1024_train_only, kWideNet, false)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_FixedPointStep, wide8x1024_recorded, kWideNet, true)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_FloatStep, wide8x1024, kWideNet)->Unit(benchmark::kMillisecond)->UseRealTime();

// Proving (docs/PROTOCOL.md §12): each iteration times the plain train-only
// step and then the proven step (recording + the segment prover's add_step)
// of the same step index from the same weights, so prove/plain is a ratio
// measured within one run. The segment (one per repetition, of
// Iterations() steps) is then closed: the dataset check and every opening.
// Production parameter set. rows: the dataset size (Fashion-MNIST's first
// rows; 60000 is the whole split, which the commitment pads to 2^16 rows).
// Process CPU time (all threads), in seconds: steadier than wall time on a shared machine.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

void BM_ProveStep(benchmark::State& state, const char* arch, size_t batch, size_t rows) {
  using Clock = std::chrono::steady_clock;
  const TrainConfig config =
      TrainConfig::standard(Architecture::parse(arch), batch, 0.03, Normalisation::fashion_mnist());
  const formats::LabelledImages data = dataset_for(config.arch.inputs()).head(rows);
  ProverRng rng = ProverRng::from_seed_u64(1);
  const TrainingCommitment dataset = commit_training_dataset(TrainingParameterSet::kProduction, data, rng);
  const QuantisedModel model = initial_model(config, Seed{});
  const TrainingSetup probe = training_setup_from_config(config, TrainingParameterSet::kProduction, dataset.digest,
                                                         data.count, TrainingDigest{});
  TrainingCommitment weights = commit_training_weights(probe, model.weights, model.biases, rng);
  const TrainingSetup setup = training_setup_from_config(config, TrainingParameterSet::kProduction, dataset.digest,
                                                         data.count, weights.digest);
  const StatementDigest run_digest = training_run_digest(static_cast<uint64_t>(Suite::kGoldilocksCubic7Blake2b256Whir),
                                                         training_statement_of(setup, {}, 0, 0));
  const uint64_t steps = static_cast<uint64_t>(state.max_iterations);
  TrainingSegmentProver prover(setup, run_digest, dataset, data, 0, steps, std::move(weights), rng);
  FixedPointTrainer trainer(config, model);
  BatchSchedule schedule(training_schedule_seed(setup), data.count, setup.batch);
  double plain_s = 0, prove_s = 0, plain_cpu = 0, prove_cpu = 0;
  uint64_t t = 0;
  for (auto _ : state) {
    FixedPointTrainer plain = trainer;
    const auto rows_t = schedule.rows_of_step(t);
    const std::vector<uint32_t> batch_rows(rows_t.begin(), rows_t.end());
    double c0 = cpu_seconds();
    auto start = Clock::now();
    plain.step(data, batch_rows, t, nullptr);
    const double p = std::chrono::duration<double>(Clock::now() - start).count();
    plain_cpu += cpu_seconds() - c0;
    c0 = cpu_seconds();
    start = Clock::now();
    StepWitness w;
    trainer.step(data, batch_rows, t, &w);
    prover.add_step(w);
    const double q = std::chrono::duration<double>(Clock::now() - start).count();
    prove_cpu += cpu_seconds() - c0;
    state.SetIterationTime(q);
    plain_s += p;
    prove_s += q;
    ++t;
  }
  const double c0 = cpu_seconds();
  const auto start = Clock::now();
  const std::vector<uint8_t> segment = prover.close();
  const double close_s = std::chrono::duration<double>(Clock::now() - start).count();
  const double close_cpu = cpu_seconds() - c0;
  // The segment verified as the verifier library does (median of 3), in the
  // scratch it declares for this setup.
  std::vector<uint8_t> scratch(training_segment_scratch_bytes(setup));
  std::vector<double> verify_ms;
  TrainingStatus verdict = TrainingStatus::kOk;
  for (int k = 0; k < 3; ++k) {
    Arena arena(scratch.data(), scratch.size());
    TrainingChainState in{setup.initial_weight_commitment, 0}, out;
    const auto v0 = Clock::now();
    verdict = verify_training_segment(setup, run_digest, in, segment, arena, &out, nullptr);
    verify_ms.push_back(1e3 * std::chrono::duration<double>(Clock::now() - v0).count());
  }
  std::sort(verify_ms.begin(), verify_ms.end());
  state.counters["plain_ms"] = 1e3 * plain_s / static_cast<double>(steps);
  state.counters["prove_ms"] = 1e3 * prove_s / static_cast<double>(steps);
  state.counters["prove_over_plain"] = prove_s / plain_s;
  state.counters["close_ms"] = 1e3 * close_s;
  state.counters["plain_cpu_ms"] = 1e3 * plain_cpu / static_cast<double>(steps);
  state.counters["prove_cpu_ms"] = 1e3 * prove_cpu / static_cast<double>(steps);
  state.counters["cpu_ratio"] = prove_cpu / plain_cpu;
  state.counters["close_cpu_ms"] = 1e3 * close_cpu;
  state.counters["bytes_per_step"] = static_cast<double>(segment.size()) / static_cast<double>(steps);
  state.counters["verify_ms_per_step"] = verify_ms[1] / static_cast<double>(steps);
  state.counters["verify_scratch_MB"] = static_cast<double>(scratch.size()) / (1024.0 * 1024.0);
  if (verdict != TrainingStatus::kOk) state.SkipWithError("the segment does not verify");
  // The process's peak so far: run one capture per process for a per-network figure.
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  state.counters["peak_rss_MB"] = static_cast<double>(ru.ru_maxrss) / 1024.0;
}
BENCHMARK_CAPTURE(BM_ProveStep, mnist32_b16, "784-32-10", 16, 4096)
    ->Iterations(2)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ProveStep, mnist128_b64, "784-128-10", 64, 4096)
    ->Iterations(2)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
// zkDL's shape at batch 64, one step in its own segment.
BENCHMARK_CAPTURE(BM_ProveStep, wide8x1024_b64, kWideNet, 64, 4096)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
// Dataset size: 2^12 rows against the whole split (2^16 after padding).
BENCHMARK_CAPTURE(BM_ProveStep, mnist32_b16_rows60000, "784-32-10", 16, 60000)
    ->Iterations(2)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// One epoch of 784-128-10 on Fashion-MNIST, both curves printed every 100 steps.
void BM_TrainingCurves(benchmark::State& state) {
  if (!formats::fashion_mnist_available(formats::FashionMnistSplit::kTest)) {
    state.SkipWithError("dataset-fashion-mnist not installed");
    return;
  }
  const auto& train = dataset_for(784);
  const auto test = formats::load_fashion_mnist(formats::FashionMnistSplit::kTest);
  const TrainConfig config = bench_config(kMnistNet);
  ComparisonOptions opt;
  opt.weight_seed[0] = 1;
  opt.schedule_seed[0] = 2;
  opt.eval_every = 100;
  ComparisonRun run;
  for (auto _ : state) run = train_and_compare(config, train, test, opt);
  std::printf("| step | fixed-point test accuracy | double test accuracy |\n|---:|---:|---:|\n");
  for (const auto& p : run.curve)
    std::printf("| %llu | %.2f%% | %.2f%% |\n", static_cast<unsigned long long>(p.step), 100 * p.fixed_accuracy,
                100 * p.float_accuracy);
  state.counters["fixed_acc"] = run.curve.back().fixed_accuracy;
  state.counters["float_acc"] = run.curve.back().float_accuracy;
}
BENCHMARK(BM_TrainingCurves)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace
}  // namespace zkpot::train
