// zkpot-prove: trains a network in fixed point and proves every step
// (docs/PROTOCOL.md §10, §12). Segments close every --segment-steps steps and
// at the end of the run; after each one RUN/proof.zkp is replaced atomically
// with the proof of every step so far.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include "formats/idx.h"
#include "formats/statement.h"
#include "formats/training_statement_setup.h"
#include "prover/proof_file.h"
#include "prover/rng.h"
#include "prover/train/batch_schedule.h"
#include "prover/train/fixed_point_trainer.h"
#include "prover/train/quantised_model.h"
#include "prover/train_prover.h"

namespace {

using namespace zkpot;

struct TrainOptions {
  std::string data_dir = formats::kFashionMnistDir;
  std::string model = "784-16-10";
  size_t rows = 1024;
  size_t batch = 8;
  uint64_t steps = 4;
  uint64_t segment_steps = 1;  // one step of 784-x-10 proves in about 0.8 MB; segments hold at most 2 MiB
  double lr = 0.03;
  uint64_t weight_seed = 1;
  bool test_params = false;
  std::string out;
};

// The statement of the run so far (docs/FORMAT.md §7): the mapping shared
// with the verifier (formats/training_statement_setup.h).
TrainingStatement statement_of(const TrainingSetup& setup, const TrainingDigest& final_weights, uint64_t t1) {
  return training_statement_of(setup, final_weights, 0, t1);
}

int run_train(const TrainOptions& o) {
  if (o.out.empty()) throw std::invalid_argument("--out is required");
  if (o.steps == 0) throw std::invalid_argument("--steps must be at least 1");
  if (o.segment_steps == 0 || o.segment_steps > kTrainingMaxSegmentSteps)
    throw std::invalid_argument("--segment-steps must be between 1 and 64");
  const auto arch = train::Architecture::parse(o.model);
  const auto config = train::TrainConfig::standard(arch, o.batch, o.lr, train::Normalisation::fashion_mnist());

  formats::LabelledImages all = formats::load_fashion_mnist(formats::FashionMnistSplit::kTrain, o.data_dir);
  const formats::LabelledImages data = all.head(o.rows);
  if (data.count < o.batch) throw std::invalid_argument("--rows must be at least the batch size");
  if (data.pixels_per_image() != arch.inputs())
    throw std::invalid_argument("the model's input width differs from the dataset's pixels per image");

  const TrainingParameterSet ps = o.test_params ? TrainingParameterSet::kTestOnly : TrainingParameterSet::kProduction;
  ProverRng rng;
  std::printf("committing the dataset (%zu rows)...\n", data.count);
  const TrainingCommitment dataset = commit_training_dataset(ps, data, rng);
  train::Seed seed{};
  for (int i = 0; i < 8; ++i) seed[i] = static_cast<uint8_t>(o.weight_seed >> (8 * i));
  train::QuantisedModel model = train::initial_model(config, seed);
  const TrainingSetup probe = training_setup_from_config(config, ps, dataset.digest, data.count, TrainingDigest{});
  TrainingCommitment weights = commit_training_weights(probe, model.weights, model.biases, rng);
  const TrainingSetup setup = training_setup_from_config(config, ps, dataset.digest, data.count, weights.digest);
  // Every segment's transcript starts from the run digest (docs/PROTOCOL.md §12.1).
  const uint64_t suite = static_cast<uint64_t>(Suite::kGoldilocksCubic7Blake2b256Whir);
  const StatementDigest run_digest =
      training_run_digest(suite, statement_of(setup, TrainingDigest{}, 0));

  std::filesystem::create_directories(o.out);
  train::FixedPointTrainer trainer(config, model);
  train::BatchSchedule schedule(training_schedule_seed(setup), data.count, setup.batch);
  std::vector<std::vector<uint8_t>> segments;
  for (uint64_t a = 0; a < o.steps; a += o.segment_steps) {
    const uint64_t b = std::min(o.steps, a + o.segment_steps);
    TrainingSegmentProver prover(setup, run_digest, dataset, data, a, b, std::move(weights), rng);
    for (uint64_t t = a; t < b; ++t) {
      const auto start = std::chrono::steady_clock::now();
      train::StepWitness w;
      trainer.step(data, schedule.rows_of_step(t), t, &w);
      prover.add_step(w);
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      std::printf("step %llu/%llu  loss %.4f  train+prove %.0f ms\n", static_cast<unsigned long long>(t + 1),
                  static_cast<unsigned long long>(o.steps), trainer.last_loss(), ms);
      std::fflush(stdout);
    }
    const auto start = std::chrono::steady_clock::now();
    segments.push_back(prover.close());
    weights = prover.last_weights();
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    write_proof_file(o.out, statement_of(setup, weights.digest, b), segments);
    std::printf("segment [%llu, %llu) closed in %.0f ms (%zu bytes); %s updated\n",
                static_cast<unsigned long long>(a), static_cast<unsigned long long>(b), ms, segments.back().size(),
                proof_path(o.out).c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"zkpot-prove: fixed-point training with zero-knowledge proofs of every step"};
  app.require_subcommand(1);
  TrainOptions o;
  CLI::App* train = app.add_subcommand("train", "train with proofs; RUN/proof.zkp holds the proof of every step");
  train->add_option("--data", o.data_dir, "directory of the Fashion-MNIST IDX files")->capture_default_str();
  train->add_option("--rows", o.rows, "dataset rows committed and trained on (the first N)")->capture_default_str();
  train->add_option("--model", o.model, "layer widths, e.g. 784-128-10")->capture_default_str();
  train->add_option("--batch", o.batch, "batch size (a power of two)")->capture_default_str();
  train->add_option("--steps", o.steps, "SGD steps to train and prove")->capture_default_str();
  train->add_option("--segment-steps", o.segment_steps, "close a proof segment every K steps (1..64)")
      ->capture_default_str();
  train->add_option("--lr", o.lr, "learning rate")->capture_default_str();
  train->add_option("--weight-seed", o.weight_seed, "seed of the initial weights")->capture_default_str();
  train->add_flag("--test-params", o.test_params, "insecure test parameter set (fast; never for real proofs)");
  train->add_option("--out", o.out, "run directory")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    return run_train(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "zkpot-prove: %s\n", e.what());
    return 1;
  }
}
