#include "prover/train_prover_run.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include "common/training_segment.h"
#include "formats/envelope.h"
#include "formats/statement.h"
#include "formats/training_statement_setup.h"
#include "prover/proof_file.h"
#include "prover/train/batch_schedule.h"
#include "prover/train/fixed_point_trainer.h"
#include "prover/train_prover.h"
#include "prover/train_prover_checkpoint.h"
#include "prover/train_prover_dataset.h"
#include "prover/train_prover_memory.h"

namespace zkpot {

namespace {

constexpr uint64_t kSuite = static_cast<uint64_t>(Suite::kGoldilocksCubic7Blake2b256Whir);

std::string canonical_or_empty(const std::string& p) {
  return p.empty() ? std::string() : std::filesystem::weakly_canonical(p).string();
}

TrainParameters parameters_of(const train::QuantisedModel& m) { return {m.weights, m.biases}; }

train::QuantisedModel model_of(const train::Architecture& arch, const TrainParameters& p) {
  train::QuantisedModel m;
  m.arch = arch;
  m.weights = p.weights;
  m.biases = p.biases;
  return m;
}

// The steps a closed segment covers (docs/FORMAT.md "Training segment").
uint64_t segment_length(std::span<const uint8_t> segment) {
  CborReader r(segment, kSegmentLimits);
  uint64_t pairs = 0, t_begin = 0, t_end = 0;
  if (!r.read_map(&pairs).is_ok() || !read_training_segment_range(r, &t_begin, &t_end))
    throw std::runtime_error("--resume: proof.zkp holds a segment without its step range");
  return t_end - t_begin;
}

std::string gib(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f GiB", static_cast<double>(bytes) / static_cast<double>(uint64_t{1} << 30));
  return buf;
}

// A model and batch whose step needs a witness stack beyond what one
// commitment holds at 100 provable bits (docs/PROTOCOL.md §12.2) are refused
// here, before any work, with the size they would need.
void check_layout(const TrainingSetup& shape) {
  auto l = std::make_unique<TrainingLayout>();
  for (const bool first : {true, false}) {
    build_training_layout(shape, first, l.get());
    if (l->valid) continue;
    if (l->stack_vars > kTrainingMaxStackVars)
      throw std::invalid_argument("this model and batch need a witness stack of 2^" + std::to_string(l->stack_vars) +
                                  " entries per step, over the 2^" + std::to_string(kTrainingMaxStackVars) +
                                  " one commitment holds at 100 provable bits: use a smaller model or batch");
    throw std::invalid_argument("no commitment layout for this model and batch");
  }
}

// The memory check of docs/PROTOCOL.md §12.9: the estimate is logged, and a
// run that would not fit is refused before anything is committed or written.
void check_memory(const TrainRunOptions& o, const TrainingSetup& shape, const std::function<void(const std::string&)>& log) {
  const TrainMemoryEstimate e = estimate_training_memory(shape);
  if (e.stack_vars == 0) return;  // no layout: the run reports its own error
  const uint64_t need = e.peak(o.segment_steps);
  const std::optional<uint64_t> avail = o.available_memory_override ? o.available_memory_override : available_memory_bytes();
  const std::string what = "about " + gib(need) + " at the peak (estimate: a 2^" + std::to_string(e.stack_vars) +
                           "-entry witness stack, segments of " + std::to_string(o.segment_steps) + " step" +
                           (o.segment_steps == 1 ? "" : "s") + ")";
  log("memory: " + what + (avail ? ", " + gib(*avail) + " available" : ""));
  if (!o.check_memory || !avail || need <= *avail) return;
  std::string advice = "use a smaller model or batch";
  if (o.segment_steps > 1 && e.peak(1) <= *avail) {
    uint64_t k = 1;
    while (k + 1 < o.segment_steps && e.peak(k + 1) <= *avail) ++k;
    advice = "use --segment-steps " + std::to_string(k) + (k > 1 ? " or less" : "");
  }
  throw std::runtime_error("this run needs " + what + " and " + gib(*avail) + " is available: " + advice +
                           ", or pass --skip-memory-check");
}

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TrainRunResult run_training(const TrainRunOptions& o, const std::function<void(const std::string&)>& log,
                            const std::function<void(const TrainStepReport&)>& progress) {
  if (o.out.empty()) throw std::invalid_argument("--out is required");
  if (o.steps == 0) throw std::invalid_argument("--steps must be at least 1");
  if (o.segment_steps == 0 || o.segment_steps > kTrainingMaxSegmentSteps)
    throw std::invalid_argument("--segment-steps must be between 1 and 64");
  // What a proof file can hold (docs/FORMAT.md §8.1), checked before any work.
  if (o.steps > kStatementMaxSteps)
    throw std::invalid_argument("--steps must be at most " + std::to_string(kStatementMaxSteps) +
                                " (the statement's cap)");
  const uint64_t planned_segments = (o.steps + o.segment_steps - 1) / o.segment_steps;
  if (planned_segments > kMaxSegments)
    throw std::invalid_argument("--steps " + std::to_string(o.steps) + " in segments of " +
                                std::to_string(o.segment_steps) + " steps makes " + std::to_string(planned_segments) +
                                " segments, over the " + std::to_string(kMaxSegments) +
                                " a proof file holds: raise --segment-steps");
  if (o.max_segment_bytes == 0 || o.max_segment_bytes > kMaxSegmentBytes)
    throw std::invalid_argument("the segment cap must be between 1 and " + std::to_string(kMaxSegmentBytes) + " bytes");
  const std::filesystem::path run = o.out;
  const auto arch = train::Architecture::parse(o.model);
  const auto config = train::TrainConfig::standard(arch, o.batch, o.lr, train::Normalisation::fashion_mnist());
  const TrainingParameterSet ps = o.test_params ? TrainingParameterSet::kTestOnly : TrainingParameterSet::kProduction;

  TrainRunFlags flags;
  flags.data = canonical_or_empty(o.data);
  flags.dataset_commitment = canonical_or_empty(o.dataset_commitment);
  flags.model = arch.name();
  flags.rows = o.rows;
  flags.batch = o.batch;
  flags.steps = o.steps;
  flags.segment_steps = o.segment_steps;
  flags.weight_seed = o.weight_seed;
  flags.lr = o.lr;
  flags.test_params = o.test_params;

  // The checkpoint first: a resume with other flags is refused before any work.
  TrainCheckpoint ck;
  if (o.resume) {
    ck = read_checkpoint(run);
    if (const std::string d = first_flag_difference(ck.flags, flags); !d.empty())
      throw std::invalid_argument("--resume: " + d);
    if (ck.steps_done == o.steps && ck.boundary == o.steps) throw std::invalid_argument("--resume: the run is complete");
  } else {
    if (std::filesystem::exists(checkpoint_path(run)))
      throw std::invalid_argument(run.string() + " already holds a run: pass --resume to continue it, or another --out");
    if (std::filesystem::exists(proof_path(run)))
      throw std::invalid_argument(proof_path(run).string() + " exists: choose another --out (it is not overwritten)");
    ck.flags = flags;
    if (o.insecure_secret) {
      ck.secret = *o.insecure_secret;
    } else {
      ProverRng os;
      os.fill(ck.secret.data(), ck.secret.size());
    }
  }
  const std::array<uint8_t, 32> secret = ck.secret;

  const formats::LabelledImages data = load_training_dataset(o.data, o.rows);
  if (data.count < o.batch) throw std::invalid_argument("--rows must be at least the batch size");
  if (data.pixels_per_image() != arch.inputs())
    throw std::invalid_argument("the model's input width differs from the dataset's pixels per image");
  const TrainingSetup shape = training_setup_from_config(config, ps, TrainingDigest{}, data.count, TrainingDigest{});
  check_layout(shape);
  check_memory(o, shape, log);
  const formats::LabelledImages held_out = load_held_out_dataset(o.data, o.eval_every == 0 ? 0 : o.eval_rows);

  // The dataset commitment: the file's (checked against the data) or a fresh hiding one.
  log("committing the dataset (" + std::to_string(data.count) + " rows)...");
  bool hiding = true;
  TrainingCommitment dataset;
  if (!o.dataset_commitment.empty()) {
    DatasetCommitmentInfo info;
    RandomnessSeed seed{};
    read_dataset_commitment_file(o.dataset_commitment, &info, &seed);
    dataset = recommit_dataset(info, seed, ps, data);
    hiding = info.hiding;
  } else {
    ProverRng r = derived_prover_rng(secret, "dataset", 0);
    dataset = commit_training_dataset(ps, data, r);
  }

  // The dataset commitment is opened once per segment; its masks cover a
  // fixed number of openings (docs/PROTOCOL.md §9.4, §12.8), which only
  // matters while it hides private data.
  if (const uint32_t budget = training_pcs_params(ps).max_openings; hiding && planned_segments > budget)
    log("warning: " + std::to_string(planned_segments) + " segments open the hiding dataset commitment more than the " +
        std::to_string(budget) + " times its masks are sized for (docs/PROTOCOL.md §12.8)");
  train::Seed wseed{};
  for (int i = 0; i < 8; ++i) wseed[i] = static_cast<uint8_t>(o.weight_seed >> (8 * i));
  const train::QuantisedModel initial = train::initial_model(config, wseed);
  const TrainingSetup probe = training_setup_from_config(config, ps, dataset.digest, data.count, TrainingDigest{});
  auto weight_rng = [secret](uint64_t t) { return derived_prover_rng(secret, "weights", t); };
  auto commit_weights = [&](const TrainParameters& p, uint64_t t) {
    ProverRng r = weight_rng(t);
    return commit_training_weights(probe, p.weights, p.biases, r);
  };
  TrainingCommitment weights = commit_weights(parameters_of(initial), 0);
  const TrainingSetup setup = training_setup_from_config(config, ps, dataset.digest, data.count, weights.digest);
  // Every segment's transcript starts from the run digest (docs/PROTOCOL.md §12.1).
  const StatementDigest run_digest = training_run_digest(kSuite, training_statement_of(setup, {}, 0, 0, hiding));
  auto statement_at = [&](const TrainingDigest& final_weights, uint64_t t1) {
    return training_statement_of(setup, final_weights, 0, t1, hiding);
  };

  std::vector<std::vector<uint8_t>> segments;
  uint64_t begin = 0;  // steps already proven
  // Steps per segment: --segment-steps, lowered for the rest of the run each
  // time a segment comes out over the cap, and on resume to the length of the
  // last closed segment when that is shorter (docs/PROTOCOL.md §12.9).
  uint64_t segment_steps = o.segment_steps;
  train::QuantisedModel start_model = initial;
  if (o.resume) {
    if (ck.dataset_commitment != dataset.digest)
      throw std::runtime_error("--resume: the dataset commitment differs from the interrupted run's");
    if (ck.initial_weight_commitment != weights.digest)
      throw std::runtime_error("--resume: the initial weight commitment differs from the interrupted run's");
    start_model = model_of(arch, ck.boundary_parameters);
    begin = ck.boundary;
    if (std::filesystem::exists(proof_path(run))) {
      // RUN/proof.zkp is written before the checkpoint: it may be one segment ahead.
      ProofFileContents pf = read_proof_file(run);
      const uint64_t e = pf.statement.t1;
      if (e < ck.boundary || e > ck.steps_done)
        throw std::runtime_error("--resume: proof.zkp covers " + std::to_string(e) + " steps, the checkpoint " +
                                 std::to_string(ck.boundary) + " to " + std::to_string(ck.steps_done));
      std::vector<uint8_t> expect;
      if (!encode_training_statement(statement_at(pf.statement.final_weights, e), &expect).is_ok() ||
          expect != pf.statement_bytes)
        throw std::runtime_error("--resume: proof.zkp belongs to another run");
      train::FixedPointTrainer catch_up(config, start_model);
      train::BatchSchedule schedule(training_schedule_seed(setup), data.count, setup.batch);
      for (uint64_t t = ck.boundary; t < e; ++t) catch_up.step(data, schedule.rows_of_step(t), t, nullptr);
      start_model = catch_up.model();
      begin = e;
      segments = std::move(pf.segments);
      // A run that is not complete closed every segment at full length, so
      // a shorter last one was lowered for the cap: go on with its length.
      if (!segments.empty()) segment_steps = std::min(segment_steps, segment_length(segments.back()));
    } else if (ck.boundary != 0) {
      throw std::runtime_error("--resume: the checkpoint has proven steps but " + proof_path(run).string() +
                               " is missing");
    }
    if (begin > 0) {
      weights = commit_weights(parameters_of(start_model), begin);
      if (begin == ck.boundary && weights.digest != ck.boundary_weight_commitment)
        throw std::runtime_error("--resume: the rebuilt boundary weight commitment differs from the checkpoint's");
    }
    log("resuming: " + std::to_string(begin) + " steps proven, " + std::to_string(ck.steps_done) +
        " trained; steps " + std::to_string(begin + 1) + ".." + std::to_string(ck.steps_done) +
        " are re-proven (docs/PROTOCOL.md §12.9)");
  } else {
    ck.dataset_commitment = dataset.digest;
    ck.initial_weight_commitment = weights.digest;
    ck.boundary = 0;
    ck.boundary_weight_commitment = weights.digest;
    ck.boundary_parameters = parameters_of(initial);
    ck.steps_done = 0;
    ck.parameters = ck.boundary_parameters;
    std::filesystem::create_directories(run);
    write_checkpoint(run, ck);
  }
  uint64_t trained_before = ck.steps_done;
  TrainParameters parameters_before = ck.parameters;

  TrainRunResult result;
  train::FixedPointTrainer trainer(config, start_model);
  train::BatchSchedule schedule(training_schedule_seed(setup), data.count, setup.batch);
  for (uint64_t a = begin; a < o.steps;) {
    const uint64_t b = std::min(o.steps, a + segment_steps);
    ProverRng segment_rng = derived_prover_rng(secret, "segment", a);
    // What an over-cap segment is proven again from: W^a (its values are
    // shared, so the copy is small) and the model at step a.
    TrainingCommitment weights_at_a = weights;
    const train::QuantisedModel model_at_a = trainer.model();
    TrainingSegmentProver prover(setup, run_digest, dataset, data, a, b, std::move(weights), segment_rng);
    prover.set_weight_commitment_rng(weight_rng);
    prover.set_opening_rng([secret, a](uint64_t k) { return segment_opening_rng(secret, a, k); });
    for (uint64_t t = a; t < b; ++t) {
      TrainStepReport rep;
      auto start = std::chrono::steady_clock::now();
      train::StepWitness w;
      trainer.step(data, schedule.rows_of_step(t), t, &w);
      rep.train_ms = ms_since(start);
      start = std::chrono::steady_clock::now();
      prover.add_step(w);
      rep.prove_ms = ms_since(start);
      rep.step = t + 1;
      rep.steps = o.steps;
      rep.loss = trainer.last_loss();
      rep.reproven = t + 1 <= trained_before;
      if (held_out.count > 0 && (rep.step % o.eval_every == 0 || rep.step == o.steps))
        rep.held_out_accuracy = train::fixed_point_accuracy(config, trainer.model(), held_out, 0, held_out.count);
      if (rep.step == trained_before && parameters_of(trainer.model()) != parameters_before)
        throw std::runtime_error("re-training gave other weights than the checkpoint's (not reproducible)");
      if (rep.step > ck.steps_done) {
        ck.steps_done = rep.step;
        ck.parameters = parameters_of(trainer.model());
        write_checkpoint(run, ck);
      }
      progress(rep);
      if (o.stop_after != 0 && rep.step >= o.stop_after && rep.step < b) {
        result.steps_done = rep.step;
        result.steps_proven = a;
        result.final_weight_commitment = ck.boundary_weight_commitment;
        result.model = trainer.model();
        log("stopped after step " + std::to_string(rep.step) + "; continue with --resume");
        return result;
      }
    }
    const auto start = std::chrono::steady_clock::now();
    std::vector<uint8_t> segment = prover.close();
    if (segment.size() > o.max_segment_bytes) {
      // Nothing is written: proof.zkp still ends at step a, and the
      // checkpoint's trained steps are re-proven (and checked to reproduce).
      if (b - a == 1)
        throw std::runtime_error("one step of this model proves to a segment of " + std::to_string(segment.size()) +
                                 " bytes, over the cap of " + std::to_string(o.max_segment_bytes) +
                                 " bytes per segment: no segment can hold it");
      // A segment's size grows about linearly in its steps; at least one fewer.
      const uint64_t fit = (b - a) * o.max_segment_bytes / segment.size();
      segment_steps = std::max<uint64_t>(1, std::min<uint64_t>(fit, b - a - 1));
      if (const uint64_t n = segments.size() + (o.steps - a + segment_steps - 1) / segment_steps; n > kMaxSegments)
        throw std::runtime_error("segments of " + std::to_string(segment_steps) + " steps (what fits the segment cap) " +
                                 "would make " + std::to_string(n) + " segments, over the " +
                                 std::to_string(kMaxSegments) + " a proof file holds; " + proof_path(run).string() +
                                 " proves the first " + std::to_string(a) + " steps");
      log("segment [" + std::to_string(a) + ", " + std::to_string(b) + ") came to " + std::to_string(segment.size()) +
          " bytes, over the cap of " + std::to_string(o.max_segment_bytes) + "; proving its steps again in segments of " +
          std::to_string(segment_steps) + " steps");
      weights = std::move(weights_at_a);
      trainer = train::FixedPointTrainer(config, model_at_a);
      trained_before = ck.steps_done;
      parameters_before = ck.parameters;
      continue;
    }
    segments.push_back(std::move(segment));
    weights = prover.last_weights();
    write_proof_file(run, statement_at(weights.digest, b), segments);
    ck.boundary = b;
    ck.boundary_weight_commitment = weights.digest;
    ck.boundary_parameters = parameters_of(trainer.model());
    write_checkpoint(run, ck);
    log("segment [" + std::to_string(a) + ", " + std::to_string(b) + ") closed in " +
        std::to_string(static_cast<long long>(ms_since(start))) + " ms (" + std::to_string(segments.back().size()) +
        " bytes); " + proof_path(run).string() + " updated");
    a = b;
    if (o.stop_after != 0 && b >= o.stop_after && b < o.steps) {
      result.steps_done = b;
      result.steps_proven = b;
      result.final_weight_commitment = weights.digest;
      result.model = trainer.model();
      log("stopped after step " + std::to_string(b) + "; continue with --resume");
      return result;
    }
  }
  result.steps_done = o.steps;
  result.finished = true;
  result.steps_proven = o.steps;
  result.final_weight_commitment = weights.digest;
  result.model = trainer.model();
  return result;
}

}  // namespace zkpot
