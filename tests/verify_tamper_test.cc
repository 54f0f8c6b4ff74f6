// Tampering with a REAL proof file never verifies (issues 4 and 5): every
// field of the statement changed and re-encoded canonically, so the change
// reaches the verifier as a well-formed statement rather than a parse error;
// and a light byte-flip sweep over the whole file (the full sweep of several
// hundred positions is verify_tamper_slow_test).
#include <functional>

#include "verify_tamper_sweep.h"

namespace zkpot {
namespace {

using testing::RealProof;
using testing::Verifier;
using Bytes = std::vector<uint8_t>;

TEST(VerifyTamper, FlippedBytesNeverVerify) { testing::flip_sweep(12, 12, 40); }

TEST(VerifyTamper, EveryStatementFieldChangedNeverVerifies) {
  const RealProof& p = testing::tamper_proof();
  using Change = std::function<void(TrainingStatement&)>;
  const std::vector<std::pair<const char*, Change>> changes = {
      {"parameter_set", [](TrainingStatement& s) { s.parameter_set = 1; }},
      {"input_width", [](TrainingStatement& s) { s.architecture.input_width += 1; s.dataset.columns += 1; }},
      {"layer_widths", [](TrainingStatement& s) { s.architecture.layer_widths[0] += 2; }},
      {"layer_count",
       [](TrainingStatement& s) {
         auto& a = s.architecture;
         a.layer_widths[a.layer_count] = a.layer_widths[a.layer_count - 1];
         a.activations[a.layer_count] = Activation::kIdentity;
         a.activations[a.layer_count - 1] = Activation::kRelu;
         a.layer_widths[a.layer_count - 1] = 8;
         ++a.layer_count;
       }},
      {"activations", [](TrainingStatement& s) { s.architecture.activations[0] = Activation::kIdentity; }},
      {"loss", [](TrainingStatement& s) { s.architecture.loss = StatementLoss::kMeanSquaredError; }},
      {"batch_size",
       [](TrainingStatement& s) {
         s.hyper.batch_size *= 2;
         s.hyper.steps_per_epoch = s.dataset.rows / s.hyper.batch_size;
       }},
      {"lr_num", [](TrainingStatement& s) { s.hyper.lr_num += 1; }},
      {"lr_frac_bits", [](TrainingStatement& s) { s.hyper.lr_frac_bits += 1; }},
      {"act_frac_bits", [](TrainingStatement& s) { s.hyper.act_frac_bits -= 1; }},
      {"weight_frac_bits", [](TrainingStatement& s) { s.hyper.weight_frac_bits -= 1; }},
      {"quotient_bits", [](TrainingStatement& s) { s.hyper.quotient_bits += 1; }},
      {"weight_bits", [](TrainingStatement& s) { s.hyper.weight_bits += 1; }},
      {"update_bits", [](TrainingStatement& s) { s.hyper.update_bits -= 1; }},
      {"exp_frac_bits", [](TrainingStatement& s) { s.hyper.exp_frac_bits -= 1; }},
      {"normalisation",
       [](TrainingStatement& s) {
         s.hyper.normalisation = NormalisationKind::kMeanStd;
         s.hyper.norm_mean_micro = kFashionMnistMeanMicro;
         s.hyper.norm_std_micro = kFashionMnistStdMicro;
       }},
      {"dataset.commitment", [](TrainingStatement& s) { s.dataset.commitment[7] ^= 0x10; }},
      {"dataset.rows",
       [](TrainingStatement& s) {
         s.dataset.rows *= 2;
         s.hyper.steps_per_epoch = s.dataset.rows / s.hyper.batch_size;
       }},
      {"dataset.hiding", [](TrainingStatement& s) { s.dataset.hiding = !s.dataset.hiding; }},
      {"initial_weights", [](TrainingStatement& s) { s.initial_weights[0] ^= 0x01; }},
      {"final_weights", [](TrainingStatement& s) { s.final_weights[31] ^= 0x80; }},
      {"t0", [](TrainingStatement& s) { s.t0 = 1; }},
      {"t1", [](TrainingStatement& s) { s.t1 += 1; }},
      {"t1 shorter", [](TrainingStatement& s) { s.t1 -= 1; }},
      {"beacon",
       [](TrainingStatement& s) {
         s.has_beacon = true;
         s.beacon[0] = 1;
       }},
  };
  for (const auto& [name, change] : changes) {
    TrainingStatement st = p.statement;
    change(st);
    ASSERT_NE(st, p.statement) << name;
    const StatementStatus valid = validate_training_statement(st);
    ASSERT_TRUE(valid.is_ok()) << name << ": the change must keep the statement well formed";
    const Bytes file = testing::real_proof_file(st, p.segments);
    ASSERT_FALSE(file.empty()) << name;
    Verifier v(st);
    const zkpot_status s = v.verify(file);
    EXPECT_NE(s, ZKPOT_VALID) << name;
    // It reached the verifier as a statement it parsed (a verdict on the proof, or unsupported).
    EXPECT_TRUE(s == ZKPOT_INVALID || s == ZKPOT_UNSUPPORTED || s == ZKPOT_MALFORMED) << name << ": "
                                                                                       << zkpot_status_name(s);
    std::printf("%-20s -> %s (%s%s)\n", name, zkpot_status_name(s), zkpot_result_check(v.ctx), zkpot_result_field(v.ctx));
  }
  // The unchanged statement, re-encoded the same way, still verifies.
  Verifier v(p.statement);
  EXPECT_EQ(v.verify(testing::real_proof_file(p.statement, p.segments)), ZKPOT_VALID);
}

}  // namespace
}  // namespace zkpot
