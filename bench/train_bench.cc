// The training engine's plain step times (the denominators of the prover's
// overhead ratios) and its accuracy curves against the double reference
// (bench/README.md, "## Training engine"). Run:
//   build/<dir>/bench/train_bench --benchmark_filter=Step --benchmark_repetitions=5 --benchmark_report_aggregates_only
//   build/<dir>/bench/train_bench --benchmark_filter=Curves
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>

#include "formats/idx.h"
#include "prover/train/batch_schedule.h"
#include "prover/train/comparison_run.h"
#include "prover/train/fixed_point_trainer.h"
#include "prover/train/float_reference.h"

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
