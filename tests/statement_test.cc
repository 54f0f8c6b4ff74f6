// The training statement (docs/FORMAT.md §7): round trip, digest, every
// malformed field rejected with its own (code, field), caps checked before
// use, and no heap allocation while decoding.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "allocation_counter.h"
#include "formats/cbor_writer.h"
#include "formats/statement.h"
#include "statement_sample.h"

namespace zkpot {
namespace {

using Bytes = std::vector<uint8_t>;
using E = StatementError;
using F = StatementField;
using testing::sample_training_statement;

constexpr uint64_t kSuite = static_cast<uint64_t>(Suite::kGoldilocksCubic7Blake2b256Whir);

Bytes encode(const TrainingStatement& s) {
  Bytes out;
  const StatementStatus st = encode_training_statement(s, &out);
  EXPECT_TRUE(st.is_ok()) << statement_field_name(st.field) << ": " << statement_error_message(st.code);
  return out;
}

// A generic CBOR tree, so tests can write statements the encoder refuses.
struct Node {
  enum Kind { kUint, kBytes, kBool, kText, kArray, kMap } kind = kUint;
  uint64_t u = 0;
  Bytes bytes;
  std::vector<Node> items;                      // kArray
  std::vector<std::pair<uint64_t, Node>> pairs;  // kMap, ascending keys

  static Node uint(uint64_t v) { Node n; n.kind = kUint; n.u = v; return n; }
  static Node bstr(Bytes b) { Node n; n.kind = kBytes; n.bytes = std::move(b); return n; }
  static Node boolean(bool b) { Node n; n.kind = kBool; n.u = b; return n; }
  static Node text(const std::string& t) { Node n; n.kind = kText; n.bytes.assign(t.begin(), t.end()); return n; }
  static Node array(std::vector<Node> v) { Node n; n.kind = kArray; n.items = std::move(v); return n; }
  static Node map(std::vector<std::pair<uint64_t, Node>> v) { Node n; n.kind = kMap; n.pairs = std::move(v); return n; }

  Node& at(uint64_t key) {
    for (auto& p : pairs) if (p.first == key) return p.second;
    ADD_FAILURE() << "no key " << key;
    return *this;
  }
  void erase(uint64_t key) {
    for (size_t i = 0; i < pairs.size(); ++i) {
      if (pairs[i].first == key) { pairs.erase(pairs.begin() + static_cast<long>(i)); return; }
    }
    ADD_FAILURE() << "no key " << key;
  }
  void insert(uint64_t key, Node v) {
    size_t i = 0;
    while (i < pairs.size() && pairs[i].first < key) ++i;
    pairs.insert(pairs.begin() + static_cast<long>(i), {key, std::move(v)});
  }
};

void write(CborWriter& w, const Node& n) {
  switch (n.kind) {
    case Node::kUint: w.write_uint(n.u); break;
    case Node::kBytes: w.write_bytes(n.bytes); break;
    case Node::kBool: w.write_bool(n.u != 0); break;
    case Node::kText:
      w.write_text(std::string_view(reinterpret_cast<const char*>(n.bytes.data()), n.bytes.size()));
      break;
    case Node::kArray:
      w.begin_array(n.items.size());
      for (const Node& c : n.items) write(w, c);
      break;
    case Node::kMap:
      w.begin_map(n.pairs.size());
      for (const auto& [k, v] : n.pairs) {
        w.write_key(k);
        write(w, v);
      }
      break;
  }
}

Bytes encode_tree(const Node& n) {
  Bytes out;
  CborWriter w(&out);
  write(w, n);
  EXPECT_TRUE(w.finish().is_ok());
  return out;
}

Bytes digest_bytes(const StatementDigest& d) { return Bytes(d.begin(), d.end()); }

// The sample statement as a tree, written independently of the encoder.
Node sample_tree() {
  const TrainingStatement s = sample_training_statement();
  auto u = [](uint64_t v) { return Node::uint(v); };
  return Node::map({
      {1, u(s.parameter_set)},
      {2, Node::map({{1, u(784)}, {2, Node::array({u(128), u(10)})}, {3, Node::array({u(1), u(0)})}, {4, u(0)}})},
      {3, Node::map({{1, u(64)}, {2, u(1638)}, {3, u(20)}, {4, u(12)}, {5, u(20)}, {6, u(20)}, {7, u(24)},
                     {8, u(24)}, {9, u(16)}, {10, u(937)}, {11, u(1)}, {12, u(286000)}, {13, u(353000)}})},
      {4, Node::map({{1, Node::bstr(digest_bytes(s.dataset.commitment))}, {2, u(60000)}, {3, u(784)},
                     {4, u(10)}, {5, Node::boolean(false)}})},
      {5, Node::bstr(digest_bytes(s.initial_weights))},
      {6, Node::bstr(digest_bytes(s.final_weights))},
      {7, u(0)},
      {8, u(4)},
  });
}

TEST(Statement, RoundTripAndIndependentEncoding) {
  const TrainingStatement s = sample_training_statement();
  const Bytes bytes = encode(s);
  EXPECT_EQ(bytes, encode_tree(sample_tree()));
  TrainingStatement back;
  ASSERT_TRUE(decode_training_statement(bytes, &back).is_ok());
  EXPECT_EQ(back, s);
  EXPECT_EQ(encode(back), bytes);
}

TEST(Statement, RoundTripWithBeaconAndUnitRange) {
  TrainingStatement s = sample_training_statement();
  s.has_beacon = true;
  s.beacon = testing::filled_digest(0xc0);
  s.hyper.normalisation = NormalisationKind::kUnitRange;
  s.hyper.norm_mean_micro = 0;
  s.hyper.norm_std_micro = kStatementMicro;
  s.dataset.hiding = true;
  s.architecture.loss = StatementLoss::kMeanSquaredError;
  const Bytes bytes = encode(s);
  TrainingStatement back;
  ASSERT_TRUE(decode_training_statement(bytes, &back).is_ok());
  EXPECT_EQ(back, s);
}

TEST(Statement, LargestShapeWithinCaps) {
  TrainingStatement s = sample_training_statement();
  s.architecture.input_width = kStatementMaxInputWidth;
  s.architecture.layer_count = kStatementMaxLayers;
  for (uint32_t i = 0; i < kStatementMaxLayers; ++i) {
    s.architecture.layer_widths[i] = kStatementMaxWidth;
    s.architecture.activations[i] = i + 1 < kStatementMaxLayers ? Activation::kRelu : Activation::kIdentity;
  }
  s.dataset.columns = kStatementMaxInputWidth;
  s.dataset.classes = kStatementMaxWidth;
  s.dataset.rows = kStatementMaxDatasetRows;
  s.hyper.batch_size = kStatementMaxBatch;
  s.hyper.steps_per_epoch = kStatementMaxDatasetRows / kStatementMaxBatch;
  s.t0 = 5;
  s.t1 = 5 + kStatementMaxSteps;
  TrainingStatement back;
  ASSERT_TRUE(decode_training_statement(encode(s), &back).is_ok());
  EXPECT_EQ(back, s);
}

TEST(Statement, DigestBindsEveryByteVersionAndSuite) {
  const Bytes bytes = encode(sample_training_statement());
  const StatementDigest d = training_statement_digest(kSuite, bytes);
  EXPECT_EQ(d, statement_digest(kEnvelopeVersion, kSuite, bytes));
  EXPECT_NE(d, statement_digest(kEnvelopeVersion + 1, kSuite, bytes));
  EXPECT_NE(d, statement_digest(kEnvelopeVersion, kSuite + 1, bytes));
  std::set<StatementDigest> seen{d};
  for (size_t i = 0; i < bytes.size(); ++i) {
    Bytes b = bytes;
    b[i] ^= 0x01;
    EXPECT_TRUE(seen.insert(training_statement_digest(kSuite, b)).second) << i;
  }
}

struct BadCase {
  const char* name;
  std::function<void(Node&)> mutate;
  E code;
  F field;
};

std::vector<BadCase> bad_cases() {
  auto u = [](uint64_t v) { return Node::uint(v); };
  auto arch = [](Node& t) -> Node& { return t.at(2); };
  auto hyper = [](Node& t) -> Node& { return t.at(3); };
  auto data = [](Node& t) -> Node& { return t.at(4); };
  return {
      {"unknown parameter set", [=](Node& t) { t.at(1) = u(99); }, E::kUnknownParameterSet, F::kParameterSet},
      {"parameter set wrong type", [](Node& t) { t.at(1) = Node::text("x"); }, E::kWrongType, F::kParameterSet},
      {"statement not a map", [=](Node& t) { t = Node::array({u(1)}); }, E::kWrongType, F::kStatement},
      {"unknown top key", [=](Node& t) { t.insert(10, u(0)); }, E::kUnknownField, F::kStatement},
      {"top key zero", [=](Node& t) { t.insert(0, u(0)); }, E::kUnknownField, F::kStatement},
      {"architecture missing", [](Node& t) { t.erase(2); }, E::kMissingField, F::kArchitecture},
      {"architecture wrong type", [=](Node& t) { t.at(2) = u(3); }, E::kWrongType, F::kArchitecture},
      {"architecture unknown key", [=](Node& t) { arch(t).insert(5, u(0)); }, E::kUnknownField, F::kArchitecture},
      {"input width zero", [=](Node& t) { arch(t).at(1) = u(0); }, E::kOutOfRange, F::kInputWidth},
      {"input width over cap", [=](Node& t) { arch(t).at(1) = u(4097); }, E::kOverCap, F::kInputWidth},
      {"input width over 2^32", [=](Node& t) { arch(t).at(1) = u(uint64_t{1} << 40); }, E::kOverCap, F::kInputWidth},
      {"layers over cap",
       [=](Node& t) { arch(t).at(2) = Node::array(std::vector<Node>(17, u(10))); }, E::kOverCap, F::kLayerWidths},
      {"no layers", [=](Node& t) { arch(t).at(2) = Node::array({}); }, E::kOutOfRange, F::kLayerWidths},
      {"layer width over cap", [=](Node& t) { arch(t).at(2).items[0] = u(4097); }, E::kOverCap, F::kLayerWidths},
      {"layer width zero", [=](Node& t) { arch(t).at(2).items[0] = u(0); }, E::kOutOfRange, F::kLayerWidths},
      {"layer widths wrong type", [=](Node& t) { arch(t).at(2) = u(128); }, E::kWrongType, F::kLayerWidths},
      {"activation count", [=](Node& t) { arch(t).at(3).items.push_back(u(0)); }, E::kInconsistent, F::kActivations},
      {"activation unknown", [=](Node& t) { arch(t).at(3).items[0] = u(2); }, E::kOutOfRange, F::kActivations},
      {"last activation relu", [=](Node& t) { arch(t).at(3).items[1] = u(1); }, E::kInconsistent, F::kActivations},
      {"loss unknown", [=](Node& t) { arch(t).at(4) = u(2); }, E::kOutOfRange, F::kLoss},
      {"loss missing", [](Node& t) { t.at(2).erase(4); }, E::kMissingField, F::kLoss},
      {"hyper wrong type", [=](Node& t) { t.at(3) = Node::array({}); }, E::kWrongType, F::kHyperparameters},
      {"hyper unknown key", [=](Node& t) { hyper(t).insert(14, u(0)); }, E::kUnknownField, F::kHyperparameters},
      {"batch zero", [=](Node& t) { hyper(t).at(1) = u(0); }, E::kOutOfRange, F::kBatchSize},
      {"batch over cap", [=](Node& t) { hyper(t).at(1) = u(257); }, E::kOverCap, F::kBatchSize},
      {"lr zero", [=](Node& t) { hyper(t).at(2) = u(0); }, E::kOutOfRange, F::kLearningRate},
      {"lr too big", [=](Node& t) { hyper(t).at(2) = u(65536); }, E::kOutOfRange, F::kLearningRate},
      {"lr as text", [](Node& t) { t.at(3).at(2) = Node::text("-1"); }, E::kWrongType, F::kLearningRate},
      {"lr frac bits", [=](Node& t) { hyper(t).at(3) = u(0); }, E::kOutOfRange, F::kLearningRateFracBits},
      {"act frac bits", [=](Node& t) { hyper(t).at(4) = u(41); }, E::kOutOfRange, F::kActFracBits},
      {"weight frac bits", [=](Node& t) { hyper(t).at(5) = u(0); }, E::kOutOfRange, F::kWeightFracBits},
      {"quotient bits", [=](Node& t) { hyper(t).at(6) = u(49); }, E::kOutOfRange, F::kQuotientBits},
      {"weight bits", [=](Node& t) { hyper(t).at(7) = u(0); }, E::kOutOfRange, F::kWeightBits},
      {"update bits", [=](Node& t) { hyper(t).at(8) = u(0); }, E::kOutOfRange, F::kUpdateBits},
      {"exp frac bits", [=](Node& t) { hyper(t).at(9) = u(0); }, E::kOutOfRange, F::kExpFracBits},
      {"steps per epoch", [=](Node& t) { hyper(t).at(10) = u(938); }, E::kInconsistent, F::kStepsPerEpoch},
      {"normalisation unknown", [=](Node& t) { hyper(t).at(11) = u(2); }, E::kOutOfRange, F::kNormalisation},
      {"unit range with mean", [=](Node& t) { hyper(t).at(11) = u(0); }, E::kInconsistent, F::kNormMean},
      {"mean over one", [=](Node& t) { hyper(t).at(12) = u(1000001); }, E::kOutOfRange, F::kNormMean},
      {"std zero", [=](Node& t) { hyper(t).at(13) = u(0); }, E::kOutOfRange, F::kNormStd},
      {"std missing", [](Node& t) { t.at(3).erase(13); }, E::kMissingField, F::kNormStd},
      {"dataset missing", [](Node& t) { t.erase(4); }, E::kMissingField, F::kDataset},
      {"dataset unknown key", [=](Node& t) { data(t).insert(6, u(0)); }, E::kUnknownField, F::kDataset},
      {"dataset commitment short", [](Node& t) { t.at(4).at(1) = Node::bstr(Bytes(31)); }, E::kWrongLength,
       F::kDatasetCommitment},
      {"dataset commitment type", [=](Node& t) { data(t).at(1) = u(7); }, E::kWrongType, F::kDatasetCommitment},
      {"rows zero", [=](Node& t) { data(t).at(2) = u(0); }, E::kOutOfRange, F::kDatasetRows},
      {"rows over cap", [=](Node& t) { data(t).at(2) = u((uint64_t{1} << 24) + 1); }, E::kOverCap, F::kDatasetRows},
      {"rows below batch",
       [=](Node& t) {
         data(t).at(2) = u(63);
         hyper(t).at(10) = u(1);
       },
       E::kInconsistent, F::kDatasetRows},
      {"steps per epoch zero", [=](Node& t) { hyper(t).at(10) = u(0); }, E::kOutOfRange, F::kStepsPerEpoch},
      {"columns differ", [=](Node& t) { data(t).at(3) = u(783); }, E::kInconsistent, F::kDatasetColumns},
      {"classes differ", [=](Node& t) { data(t).at(4) = u(11); }, E::kInconsistent, F::kDatasetClasses},
      {"one class", [=](Node& t) { data(t).at(4) = u(1); }, E::kOutOfRange, F::kDatasetClasses},
      {"hiding wrong type", [=](Node& t) { data(t).at(5) = u(0); }, E::kWrongType, F::kDatasetHiding},
      {"initial weights missing", [](Node& t) { t.erase(5); }, E::kMissingField, F::kInitialWeights},
      {"initial weights long", [](Node& t) { t.at(5) = Node::bstr(Bytes(33)); }, E::kWrongLength, F::kInitialWeights},
      {"final weights wrong type", [](Node& t) { t.at(6) = Node::text("ab"); }, E::kWrongType, F::kFinalWeights},
      {"t0 missing", [](Node& t) { t.erase(7); }, E::kMissingField, F::kStepStart},
      {"t0 too big", [=](Node& t) { t.at(7) = u(uint64_t{1} << 40); }, E::kOutOfRange, F::kStepStart},
      {"t1 zero", [=](Node& t) { t.at(8) = u(0); }, E::kOutOfRange, F::kStepEnd},
      {"t1 not after t0",
       [=](Node& t) {
         t.at(7) = u(4);
         t.at(8) = u(4);
       },
       E::kInconsistent, F::kStepEnd},
      {"step range over cap", [=](Node& t) { t.at(8) = u((uint64_t{1} << 20) + 1); }, E::kOverCap, F::kStepEnd},
      {"beacon short", [](Node& t) { t.insert(9, Node::bstr(Bytes(16))); }, E::kWrongLength, F::kBeacon},
  };
}

TEST(Statement, EveryMalformedFieldHasItsOwnReason) {
  std::set<std::pair<E, F>> seen_kinds;
  std::set<std::string> reasons;
  for (const BadCase& c : bad_cases()) {
    Node t = sample_tree();
    c.mutate(t);
    const Bytes bytes = encode_tree(t);
    TrainingStatement out = sample_training_statement();
    out.t1 = 12345;  // a marker: decode must leave *out alone on failure
    const StatementStatus st = decode_training_statement(bytes, &out);
    EXPECT_EQ(st.code, c.code) << c.name << ": got " << statement_error_message(st.code);
    EXPECT_EQ(st.field, c.field) << c.name << ": got " << statement_field_name(st.field);
    EXPECT_LE(st.offset, bytes.size()) << c.name;
    EXPECT_EQ(out.t1, 12345u) << c.name;
    char reason[256];
    format_statement_reason(st, reason, sizeof reason);
    EXPECT_NE(std::strstr(reason, statement_field_name(c.field)), nullptr) << c.name << ": " << reason;
    seen_kinds.insert({st.code, st.field});
    reasons.insert(std::string(statement_field_name(st.field)) + ": " + statement_error_message(st.code));
  }
  // Distinct causes give distinct (code, field) pairs, hence distinct reasons.
  EXPECT_EQ(reasons.size(), seen_kinds.size());
  EXPECT_GE(seen_kinds.size(), 50u);
}

TEST(Statement, EncoderRefusesWhatTheDecoderRefuses) {
  TrainingStatement s = sample_training_statement();
  s.dataset.classes = 11;
  Bytes out{1, 2, 3};
  StatementStatus st = encode_training_statement(s, &out);
  EXPECT_EQ(st.code, E::kInconsistent);
  EXPECT_EQ(st.field, F::kDatasetClasses);
  EXPECT_EQ(out, (Bytes{1, 2, 3}));

  s = sample_training_statement();
  s.beacon[0] = 1;  // a beacon value without has_beacon: two encodings of "no beacon"
  st = encode_training_statement(s, &out);
  EXPECT_EQ(st.code, E::kInconsistent);
  EXPECT_EQ(st.field, F::kBeacon);

  s = sample_training_statement();
  s.architecture.layer_count = 17;
  st = encode_training_statement(s, &out);
  EXPECT_EQ(st.code, E::kOverCap);
  EXPECT_EQ(st.field, F::kLayerWidths);
}

TEST(Statement, CborLevelRejections) {
  const Bytes good = encode(sample_training_statement());
  TrainingStatement out;
  // Trailing bytes.
  Bytes b = good;
  b.push_back(0);
  StatementStatus st = decode_training_statement(b, &out);
  EXPECT_EQ(st.code, E::kFormat);
  EXPECT_EQ(st.format.code, FormatError::kTrailingBytes);
  // Truncated.
  st = decode_training_statement(std::span<const uint8_t>(good).first(good.size() - 1), &out);
  EXPECT_EQ(st.code, E::kFormat);
  EXPECT_EQ(st.format.code, FormatError::kTruncated);
  // Non-shortest parameter set (0x18 0x01 for 1): the map's first value.
  b = good;
  ASSERT_EQ(b[1], 0x01);  // key 1
  ASSERT_EQ(b[2], 0x01);  // value 1
  b.insert(b.begin() + 2, 0x18);
  st = decode_training_statement(b, &out);
  EXPECT_EQ(st.code, E::kFormat);
  EXPECT_EQ(st.format.code, FormatError::kNonShortestEncoding);
  EXPECT_EQ(st.field, F::kParameterSet);
  EXPECT_EQ(st.offset, 2u);
  // Empty input.
  st = decode_training_statement({}, &out);
  EXPECT_EQ(st.code, E::kFormat);
  // Over the statement's byte cap: rejected before anything is read.
  Bytes big(kMaxStatementBytes + 1, 0);
  st = decode_training_statement(big, &out);
  EXPECT_EQ(st.code, E::kFormat);
  EXPECT_EQ(st.format.code, FormatError::kInputTooLarge);
}

TEST(Statement, LyingCountsAreRejectedBeforeUse) {
  // An architecture whose layer array declares 2^32 entries in a few bytes.
  Node t = sample_tree();
  t.at(2).at(2) = Node::array({});
  Bytes b = encode_tree(t);
  // Find the empty array (0x80) after key 2 of the architecture map and make it claim 2^32 - 1 entries.
  const uint8_t pattern[] = {0x02, 0x80, 0x03};
  auto it = std::search(b.begin(), b.end(), std::begin(pattern), std::end(pattern));
  ASSERT_NE(it, b.end());
  const size_t at = static_cast<size_t>(it - b.begin()) + 1;
  b[at] = 0x9a;
  const uint8_t count[] = {0xff, 0xff, 0xff, 0xff};
  b.insert(b.begin() + static_cast<long>(at) + 1, std::begin(count), std::end(count));
  TrainingStatement out;
  size_t allocs = 0;
  StatementStatus st;
  allocs = testing::allocations_during([&] { st = decode_training_statement(b, &out); });
  EXPECT_EQ(allocs, 0u);
  EXPECT_EQ(st.field, F::kLayerWidths);
  EXPECT_EQ(st.code, E::kFormat);  // the reader's container cap (4096) fires first
  EXPECT_EQ(st.format.code, FormatError::kContainerTooLarge);

  // 17 declared layers (under the reader's cap): the statement's own cap.
  t = sample_tree();
  t.at(2).at(2) = Node::array(std::vector<Node>(17, Node::uint(1)));
  st = decode_training_statement(encode_tree(t), &out);
  EXPECT_EQ(st.code, E::kOverCap);
  EXPECT_EQ(st.field, F::kLayerWidths);
}

TEST(Statement, DecodeMakesNoHeapAllocation) {
  const Bytes good = encode(sample_training_statement());
  TrainingStatement out;
  bool ok = false;
  const size_t allocs = testing::allocations_during([&] { ok = decode_training_statement(good, &out).is_ok(); });
  EXPECT_TRUE(ok);
  EXPECT_EQ(allocs, 0u);
}

TEST(Statement, NamesAreTotal) {
  for (int f = 0; f <= static_cast<int>(F::kBeacon); ++f) {
    EXPECT_STRNE(statement_field_name(static_cast<F>(f)), "(unknown field)") << f;
  }
  for (int c = 0; c <= static_cast<int>(E::kUnknownParameterSet); ++c) {
    EXPECT_STRNE(statement_error_message(static_cast<E>(c)), "unknown error") << c;
  }
  EXPECT_STREQ(parameter_set_name(1), "zkpot-pcs-whir-jb100-zk");
  EXPECT_EQ(parameter_set_name(0), nullptr);
}

}  // namespace
}  // namespace zkpot
