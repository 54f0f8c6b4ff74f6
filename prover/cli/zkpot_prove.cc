// zkpot-prove: trains a network in fixed point and proves every step
// (docs/PROTOCOL.md §10, §12), and commits datasets.
//   train           prover/train_prover_run.h: segments close every
//                   --segment-steps steps and at the end; RUN/proof.zkp is
//                   replaced atomically after each close; RUN/private/
//                   checkpoint after every step; --resume continues.
//   commit-dataset  prover/train_prover_dataset.h: public (deterministic) or
//                   hiding (secret randomness in FILE.private).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <string>

#include "formats/hex.h"
#include "prover/rng.h"
#include "prover/train_prover.h"
#include "prover/train_prover_dataset.h"
#include "prover/train_prover_run.h"

namespace {

using namespace zkpot;

using formats::to_hex;

void print_line(const std::string& s) {
  std::printf("%s\n", s.c_str());
  std::fflush(stdout);
}

void print_progress(const TrainStepReport& r) {
  char acc[48] = "held-out acc     -";
  if (r.held_out_accuracy) std::snprintf(acc, sizeof acc, "held-out acc %5.1f%%", 100.0 * *r.held_out_accuracy);
  std::printf("step %llu/%llu  loss %.4f  %s  train %.0f ms  prove %.2f s/step%s\n",
              static_cast<unsigned long long>(r.step), static_cast<unsigned long long>(r.steps), r.loss, acc,
              r.train_ms, r.prove_ms / 1000.0, r.reproven ? "  (re-proven)" : "");
  std::fflush(stdout);
}

struct CommitOptions {
  std::string data = formats::kFashionMnistDir;
  size_t rows = 0;
  bool public_data = false, hiding = false, test_params = false;
  std::string out;
};

int run_commit_dataset(const CommitOptions& o) {
  if (o.public_data == o.hiding) throw std::invalid_argument("give exactly one of --public and --hiding");
  const formats::LabelledImages data = load_training_dataset(o.data, o.rows);
  RandomnessSeed fresh{};
  if (o.hiding) {
    ProverRng os;
    os.fill(fresh.data(), fresh.size());
  }
  std::printf("committing %zu rows of %zu pixels (%s)...\n", data.count, data.pixels_per_image(),
              o.hiding ? "hiding" : "public, deterministic");
  std::fflush(stdout);
  RandomnessSeed seed{};
  const DatasetCommitmentInfo info =
      commit_dataset(o.test_params ? TrainingParameterSet::kTestOnly : TrainingParameterSet::kProduction, data,
                     o.hiding ? &fresh : nullptr, &seed);
  write_dataset_commitment_file(o.out, info, seed);
  std::printf("dataset commitment %s written to %s%s\n", to_hex(info.commitment).c_str(), o.out.c_str(),
              o.hiding ? (" (keep " + o.out + ".private secret)").c_str() : "");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"zkpot-prove: fixed-point training with a proof of every step"};
  app.require_subcommand(1);
  TrainRunOptions o;
  CLI::App* train = app.add_subcommand("train", "train with proofs; RUN/proof.zkp holds the proof of every step");
  train->add_option("--data", o.data, "Fashion-MNIST IDX directory, or a .csv file")->capture_default_str();
  train->add_option("--dataset-commitment", o.dataset_commitment,
                    "a commit-dataset file: use its commitment (the data must match it)");
  train->add_option("--rows", o.rows, "dataset rows committed and trained on (the first N)")->capture_default_str();
  train->add_option("--model", o.model, "layer widths, e.g. 784-128-10")->capture_default_str();
  train->add_option("--batch", o.batch, "batch size (a power of two)")->capture_default_str();
  train->add_option("--steps", o.steps, "SGD steps to train and prove")->capture_default_str();
  train->add_option("--segment-steps", o.segment_steps, "close a proof segment every K steps (1..64; lowered for the rest of the run if a segment exceeds 2 MiB)")
      ->capture_default_str();
  train->add_option("--lr", o.lr, "learning rate")->capture_default_str();
  train->add_option("--weight-seed", o.weight_seed, "seed of the initial weights")->capture_default_str();
  train->add_flag("--test-params", o.test_params, "insecure test parameter set (fast; never for real proofs)");
  train->add_option("--out", o.out, "run directory")->required();
  train->add_flag("--resume", o.resume, "continue the interrupted run in --out (same flags)");
  bool skip_memory_check = false;
  train->add_flag("--skip-memory-check", skip_memory_check,
                  "run even when the estimated peak memory exceeds the memory available");
  train->add_option("--stop-after", o.stop_after, "stop, resumably, after this many steps")->capture_default_str();
  train->add_option("--eval-every", o.eval_every, "held-out accuracy every K steps and at the end (0: never)")
      ->capture_default_str();
  train->add_option("--eval-rows", o.eval_rows, "held-out examples (the first N of the test split)")
      ->capture_default_str();

  CommitOptions c;
  CLI::App* commit = app.add_subcommand("commit-dataset", "commit the raw pixels and labels of a dataset");
  commit->add_option("--data", c.data, "Fashion-MNIST IDX directory (training split), or a .csv file")
      ->capture_default_str();
  commit->add_option("--rows", c.rows, "commit the first N rows (0: all)")->capture_default_str();
  commit->add_flag("--public", c.public_data, "deterministic: anyone with the data recomputes the same commitment");
  commit->add_flag("--hiding", c.hiding, "fresh randomness, kept in FILE.private (for private data)");
  commit->add_flag("--test-params", c.test_params, "insecure test parameter set (matches train --test-params)");
  commit->add_option("--out", c.out, "commitment file")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    if (*commit) return run_commit_dataset(c);
    o.check_memory = !skip_memory_check;
    const TrainRunResult r = run_training(o, print_line, print_progress);
    if (r.finished)
      std::printf("done: %llu steps proven in %s/proof.zkp; final weight commitment %s\n",
                  static_cast<unsigned long long>(r.steps_proven), o.out.c_str(),
                  to_hex(r.final_weight_commitment).c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "zkpot-prove: %s\n", e.what());
    return 1;
  }
}
