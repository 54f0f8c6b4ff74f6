// The statement <-> setup mapping shared by prover and verifier
// (formats/training_statement_setup.h): setup -> statement -> setup and
// statement -> setup -> statement are identities, the encoded statement
// round-trips too, and statements the proof cannot express name their field.
#include <gtest/gtest.h>

#include <vector>

#include "formats/training_statement_setup.h"

namespace zkpot {
namespace {

TrainingSetup sample_setup(TrainingNormalisation norm, TrainingParameterSet ps, bool beacon) {
  TrainingSetup s;
  s.parameter_set = ps;
  s.num_widths = 4;
  s.widths = {};
  s.widths[0] = 784;
  s.widths[1] = 128;
  s.widths[2] = 64;
  s.widths[3] = 10;
  s.batch = 64;
  s.normalisation = norm;
  s.lr_num = 31457;
  s.dataset_rows = 60000;
  for (size_t i = 0; i < s.dataset_commitment.size(); ++i) {
    s.dataset_commitment[i] = static_cast<uint8_t>(i + 1);
    s.initial_weight_commitment[i] = static_cast<uint8_t>(200 - i);
  }
  s.has_beacon = beacon;
  if (beacon) s.beacon[5] = 0x77;
  return s;
}

void expect_same_setup(const TrainingSetup& a, const TrainingSetup& b) {
  EXPECT_EQ(a.parameter_set, b.parameter_set);
  EXPECT_EQ(a.num_widths, b.num_widths);
  EXPECT_EQ(a.widths, b.widths);
  EXPECT_EQ(a.batch, b.batch);
  EXPECT_EQ(a.normalisation, b.normalisation);
  EXPECT_EQ(a.act_frac_bits, b.act_frac_bits);
  EXPECT_EQ(a.weight_frac_bits, b.weight_frac_bits);
  EXPECT_EQ(a.quotient_bits, b.quotient_bits);
  EXPECT_EQ(a.weight_bits, b.weight_bits);
  EXPECT_EQ(a.update_bits, b.update_bits);
  EXPECT_EQ(a.exp_frac_bits, b.exp_frac_bits);
  EXPECT_EQ(a.lr_frac_bits, b.lr_frac_bits);
  EXPECT_EQ(a.lr_num, b.lr_num);
  EXPECT_EQ(a.dataset_commitment, b.dataset_commitment);
  EXPECT_EQ(a.dataset_rows, b.dataset_rows);
  EXPECT_EQ(a.initial_weight_commitment, b.initial_weight_commitment);
  EXPECT_EQ(a.has_beacon, b.has_beacon);
  EXPECT_EQ(a.beacon, b.beacon);
}

TEST(TrainingStatementSetup, RoundTripsBothWays) {
  StatementDigest final_weights{};
  final_weights[0] = 0xee;
  for (auto norm : {TrainingNormalisation::kUnitRange, TrainingNormalisation::kFashionMnistMeanStd})
    for (auto ps : {TrainingParameterSet::kProduction, TrainingParameterSet::kTestOnly})
      for (bool beacon : {false, true}) {
        const TrainingSetup setup = sample_setup(norm, ps, beacon);
        ASSERT_TRUE(training_setup_valid(setup));
        const TrainingStatement st = training_statement_of(setup, final_weights, 3, 17);
        EXPECT_TRUE(validate_training_statement(st).is_ok());
        EXPECT_EQ(st.final_weights, final_weights);
        EXPECT_EQ(st.t0, 3u);
        EXPECT_EQ(st.t1, 17u);
        EXPECT_EQ(st.hyper.steps_per_epoch, 60000u / 64u);
        TrainingSetup back;
        const char* unsupported = "";
        ASSERT_TRUE(training_setup_of(st, &back, &unsupported)) << unsupported;
        expect_same_setup(setup, back);
        EXPECT_EQ(training_statement_of(back, final_weights, 3, 17), st);
        // Through the canonical encoding as well.
        std::vector<uint8_t> bytes;
        ASSERT_TRUE(encode_training_statement(st, &bytes).is_ok());
        TrainingStatement decoded;
        ASSERT_TRUE(decode_training_statement(bytes, &decoded).is_ok());
        EXPECT_EQ(decoded, st);
      }
}

TEST(TrainingStatementSetup, FashionMnistConstantsAreTheTableOnes) {
  // The statement's micro units describe the same normalisation the proof's
  // table computes: (v/255 - mean)/std.
  EXPECT_DOUBLE_EQ(kFashionMnistMeanMicro / 1e6, 0.2860);
  EXPECT_DOUBLE_EQ(kFashionMnistStdMicro / 1e6, 0.3530);
  const TrainingStatement st = training_statement_of(
      sample_setup(TrainingNormalisation::kFashionMnistMeanStd, TrainingParameterSet::kTestOnly, false), {}, 0, 1);
  EXPECT_EQ(st.hyper.normalisation, NormalisationKind::kMeanStd);
  EXPECT_EQ(st.hyper.norm_mean_micro, 286000u);
  EXPECT_EQ(st.hyper.norm_std_micro, 353000u);
}

TEST(TrainingStatementSetup, NamesWhatTheProofCannotExpress) {
  const TrainingStatement good = training_statement_of(
      sample_setup(TrainingNormalisation::kFashionMnistMeanStd, TrainingParameterSet::kTestOnly, false), {}, 0, 1);
  TrainingSetup out;
  const char* unsupported = "";
  TrainingStatement s = good;
  s.parameter_set = 3;
  EXPECT_FALSE(training_setup_of(s, &out, &unsupported));
  EXPECT_STREQ(unsupported, "parameter_set");
  s = good;
  s.architecture.loss = StatementLoss::kMeanSquaredError;
  EXPECT_FALSE(training_setup_of(s, &out, &unsupported));
  EXPECT_STREQ(unsupported, "architecture.loss");
  s = good;
  s.architecture.activations[0] = Activation::kIdentity;
  EXPECT_FALSE(training_setup_of(s, &out, &unsupported));
  EXPECT_STREQ(unsupported, "architecture.activations");
  s = good;
  s.hyper.norm_mean_micro += 1;
  EXPECT_FALSE(training_setup_of(s, &out, &unsupported));
  EXPECT_STREQ(unsupported, "hyperparameters.normalisation");
  s = good;
  s.hyper.batch_size = 48;  // not a power of two
  EXPECT_FALSE(training_setup_of(s, &out, &unsupported));
  EXPECT_STREQ(unsupported, "statement");
}

}  // namespace
}  // namespace zkpot
