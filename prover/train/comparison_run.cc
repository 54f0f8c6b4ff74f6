#include "prover/train/comparison_run.h"

#include <chrono>

#include "prover/train/batch_schedule.h"
#include "prover/train/fixed_point_trainer.h"
#include "prover/train/float_reference.h"

namespace zkpot::train {

ComparisonRun train_and_compare(const TrainConfig& config, const formats::LabelledImages& train,
                                const formats::LabelledImages& eval, const ComparisonOptions& options) {
  const QuantisedModel initial = initial_model(config, options.weight_seed);
  FixedPointTrainer fixed(config, initial);
  FloatReferenceTrainer flt(config, dequantise(initial, config.fp.weight_frac_bits));
  BatchSchedule schedule(options.schedule_seed, train.count, config.batch_size);
  const uint64_t steps = options.steps ? options.steps : schedule.steps_per_epoch();
  const size_t eval_rows = options.eval_rows ? std::min(options.eval_rows, eval.count) : eval.count;
  ComparisonRun run;
  auto measure = [&](uint64_t done) {
    run.curve.push_back({done, fixed_point_accuracy(config, fixed.model(), eval, 0, eval_rows),
                         float_accuracy(config, flt.model(), eval, 0, eval_rows), fixed.last_loss(), flt.last_loss()});
  };
  using Clock = std::chrono::steady_clock;
  Clock::duration fixed_time{}, float_time{};
  for (uint64_t t = 0; t < steps; ++t) {
    const auto rows = schedule.rows_of_step(t);
    const auto t0 = Clock::now();
    fixed.step(train, rows, t, nullptr);
    const auto t1 = Clock::now();
    flt.step(train, rows);
    float_time += Clock::now() - t1;
    fixed_time += t1 - t0;
    if (options.eval_every && (t + 1) % options.eval_every == 0 && t + 1 != steps) measure(t + 1);
  }
  measure(steps);
  run.fixed_model = fixed.model();
  run.float_model = flt.model();
  run.fixed_step_seconds = std::chrono::duration<double>(fixed_time).count() / static_cast<double>(steps);
  run.float_step_seconds = std::chrono::duration<double>(float_time).count() / static_cast<double>(steps);
  return run;
}

}  // namespace zkpot::train
