// One epoch of 784-128-10, batch 64, on the real Fashion-MNIST in train-only
// mode: the fixed-point engine reaches >= 80% test accuracy and stays within
// 1.5 points of the double reference trained from the same initial weights
// and schedule (issue 4). Skipped when dataset-fashion-mnist is absent.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "formats/idx.h"
#include "prover/train/comparison_run.h"

namespace zkpot::train {
namespace {

TEST(TrainAccuracy, OneEpochOfFashionMnistMatchesTheFloatReference) {
  using formats::FashionMnistSplit;
  if (!formats::fashion_mnist_available(FashionMnistSplit::kTrain) ||
      !formats::fashion_mnist_available(FashionMnistSplit::kTest))
    GTEST_SKIP() << "dataset-fashion-mnist not installed";
  const auto train = formats::load_fashion_mnist(FashionMnistSplit::kTrain);
  const auto test = formats::load_fashion_mnist(FashionMnistSplit::kTest);
  const TrainConfig config = TrainConfig::standard(Architecture::parse("784-128-10"), 64, 0.03, Normalisation::fashion_mnist());
  ComparisonOptions opt;
  opt.weight_seed[0] = 1;
  opt.schedule_seed[0] = 2;
  opt.eval_every = 200;
  const ComparisonRun run = train_and_compare(config, train, test, opt);
  for (const auto& p : run.curve)
    std::printf("step %5llu  fixed %.4f  float %.4f  loss %.4f / %.4f\n", static_cast<unsigned long long>(p.step),
                p.fixed_accuracy, p.float_accuracy, p.fixed_loss, p.float_loss);
  const CurvePoint& end = run.curve.back();
  EXPECT_EQ(end.step, train.count / 64);
  EXPECT_GE(end.fixed_accuracy, 0.80);
  EXPECT_LE(std::fabs(end.fixed_accuracy - end.float_accuracy), 0.015);
}

}  // namespace
}  // namespace zkpot::train
