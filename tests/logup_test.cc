// Honest LogUp-GKR proofs verify (docs/PROTOCOL.md §5): range checks of 2^1..2^16
// values into 2^8 and 2^16 tables, a two-column function table, padding of
// sizes that are not powers of two, zero knowledge on and off, a toy prime
// field; the verifier's own table and selector maths agree with direct MLE
// evaluation; every malformed statement or proof length is rejected; a seeded
// proof is checked byte for byte; the §8 soundness rows match the code.
#include "common/logup.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "common/extension.h"
#include "common/hash.h"
#include "common/multilinear.h"
#include "prover/logup_prover.h"
#include "prover/rng.h"
#include "tests/protocol_doc.h"

namespace zkpot {
namespace {

Blake2b256::Digest statement_digest(uint8_t b) {
  Blake2b256::Digest d{};
  d.fill(b);
  return d;
}

// An instance: witness columns (owned), table columns (owned), the statement.
template <class F>
struct Instance {
  std::vector<std::vector<F>> witness;
  std::vector<F> table_values;  // the explicit second column, if any
  LogupStatement<F> st;

  std::vector<std::span<const F>> columns() const {
    std::vector<std::span<const F>> c;
    for (const auto& w : witness) c.emplace_back(w);
    return c;
  }
};

template <class F>
LogupStatement<F> make_statement(uint32_t n, uint64_t num_lookups, const LookupTable<F>& table, bool zk) {
  LogupStatement<F> st;
  st.num_vars = n;
  st.num_lookups = num_lookups;
  st.table = table;
  for (uint32_t l = 0; l < kMaxLookupColumns; ++l) st.witness[l] = CommitmentHandle{10 + l};
  st.multiplicities = CommitmentHandle{20};
  st.zero_knowledge = zk;
  st.first_mask = CommitmentHandle{100};
  return st;
}

// Random values below 2^bits in the first num_lookups entries; the padding
// holds values outside any table, which the selector must ignore.
template <class F>
Instance<F> range_instance(uint32_t n, uint64_t num_lookups, uint32_t table_bits, bool zk, ProverRng& rng) {
  Instance<F> inst;
  inst.witness.assign(1, std::vector<F>(size_t{1} << n));
  for (size_t i = 0; i < inst.witness[0].size(); ++i)
    inst.witness[0][i] = i < num_lookups ? F::from_u64(rng.next_u64() & ((uint64_t{1} << table_bits) - 1))
                                         : F::from_u64((uint64_t{1} << table_bits) + (rng.next_u64() & 0xffff));
  inst.st = make_statement<F>(n, num_lookups, LookupTable<F>::range(table_bits), zk);
  return inst;
}

// The commitment scheme's view: every pending claim must match the committed data.
template <class F, class E>
void expect_claims_match(const Instance<F>& inst, const std::vector<F>& mult, const LogupVerifierOutput<E>& vout) {
  for (uint32_t l = 0; l < inst.st.table.num_columns; ++l) {
    const PendingClaim<E>& c = vout.witness_claims[l];
    EXPECT_EQ(c.handle(), inst.st.witness[l]);
    EXPECT_EQ(c.num_vars(), inst.st.num_vars);
    EXPECT_EQ(c.value(), (evaluate_multilinear<E, F>(std::span<const F>(inst.witness[l]), c.point())));
  }
  const PendingClaim<E>& m = vout.multiplicity_claim;
  EXPECT_EQ(m.handle(), inst.st.multiplicities);
  EXPECT_EQ(m.num_vars(), inst.st.table.log_size);
  EXPECT_EQ(m.value(), (evaluate_multilinear<E, F>(std::span<const F>(mult), m.point())));
}

template <class F, class E>
LogupStatus verify(const LogupStatement<F>& st, const LogupProof<E>& proof, LogupVerifierOutput<E>* vout,
                   std::vector<PendingClaim<E>>* mask_claims, uint8_t digest = 1) {
  Transcript<> tv("zkpot-test-logup", statement_digest(digest));
  mask_claims->assign(logup_proof_lengths(st).layer_masks, PendingClaim<E>{});
  vout->mask_claims = std::span<PendingClaim<E>>(*mask_claims);
  return verify_logup<F, E>(tv, st, proof.view(), vout);
}

template <class F, class E>
void check_honest(const Instance<F>& inst, uint64_t seed) {
  SCOPED_TRACE(::testing::Message() << "n=" << inst.st.num_vars << " N=" << inst.st.num_lookups
                                  << " k=" << inst.st.table.log_size << " c=" << inst.st.table.num_columns
                                  << " zk=" << inst.st.zero_knowledge);
  const auto cols = inst.columns();
  const std::vector<F> mult = lookup_multiplicities<F>(inst.st.table, cols, inst.st.num_lookups);
  ProverRng rng = ProverRng::from_seed_u64(seed);
  Transcript<> tp("zkpot-test-logup", statement_digest(1));
  const LogupProverOutput<E> out = prove_logup<F, E>(tp, inst.st, cols, mult, rng);

  const LogupProofLengths len = logup_proof_lengths(inst.st);
  ASSERT_EQ(out.proof.layer_rounds.size(), len.layer_rounds);
  ASSERT_EQ(out.proof.layer_children.size(), len.layer_children);
  ASSERT_EQ(out.proof.layer_masks.size(), len.layer_masks);

  LogupVerifierOutput<E> vout;
  std::vector<PendingClaim<E>> masks;
  ASSERT_EQ((verify<F, E>(inst.st, out.proof, &vout, &masks)), LogupStatus::kOk);
  EXPECT_EQ(vout.alpha, out.alpha);
  EXPECT_EQ(vout.beta, out.beta);
  expect_claims_match<F, E>(inst, mult, vout);
  for (uint32_t l = 0; l < inst.st.table.num_columns; ++l) EXPECT_EQ(vout.witness_claims[l], out.witness_claims[l]);
  EXPECT_EQ(vout.multiplicity_claim, out.multiplicity_claim);
  ASSERT_EQ(masks.size(), out.mask_claims.size());
  for (size_t i = 0; i < masks.size(); ++i) {
    EXPECT_EQ(masks[i], out.mask_claims[i]);
    EXPECT_EQ(masks[i].handle().id, inst.st.first_mask.id + i);
    EXPECT_EQ(masks[i].kind(), ClaimKind::kLibraMaskSum);
  }
}

TEST(Logup, RangeChecksIntoByteTable) {
  ProverRng rng = ProverRng::from_seed_u64(1);
  for (uint32_t n = 1; n <= 16; ++n)
    check_honest<Gl, GlExt3>(range_instance<Gl>(n, uint64_t{1} << n, 8, n % 2 == 0, rng), n);
}

TEST(Logup, RangeChecksInto16BitTable) {
  ProverRng rng = ProverRng::from_seed_u64(2);
  for (uint32_t n = 1; n <= 16; ++n)
    check_honest<Gl, GlExt3>(range_instance<Gl>(n, uint64_t{1} << n, 16, n % 2 == 1, rng), 100 + n);
}

TEST(Logup, PaddingIsIgnored) {
  ProverRng rng = ProverRng::from_seed_u64(3);
  // num_lookups not a power of two; the padding entries lie outside the table.
  for (const auto& [n, num] : std::vector<std::pair<uint32_t, uint64_t>>{{1, 1}, {2, 3}, {5, 17}, {10, 1000}, {12, 4095}})
    for (bool zk : {false, true}) check_honest<Gl, GlExt3>(range_instance<Gl>(n, num, 8, zk, rng), 200 + n);
}

// round(2^16 exp(-x / 2^8)): a fixed-point exp table like the training one.
std::vector<Gl> exp_table(uint32_t log_size) {
  std::vector<Gl> t(size_t{1} << log_size);
  for (size_t x = 0; x < t.size(); ++x)
    t[x] = Gl::from_u64(static_cast<uint64_t>(std::llround(65536.0 * std::exp(-static_cast<double>(x) / 256.0))));
  return t;
}

Instance<Gl> function_instance(uint32_t n, uint64_t num_lookups, uint32_t log_size, bool zk, ProverRng& rng) {
  Instance<Gl> inst;
  inst.table_values = exp_table(log_size);
  inst.witness.assign(2, std::vector<Gl>(size_t{1} << n));
  for (size_t i = 0; i < inst.witness[0].size(); ++i) {
    const uint64_t x = rng.next_u64() & ((uint64_t{1} << log_size) - 1);
    inst.witness[0][i] = Gl::from_u64(x);
    inst.witness[1][i] = i < num_lookups ? inst.table_values[x] : Gl::from_u64(12345);  // padding need not fit
  }
  inst.st = make_statement<Gl>(n, num_lookups, LookupTable<Gl>::function(log_size, inst.table_values), zk);
  return inst;
}

TEST(Logup, FunctionTableTwoColumns) {
  ProverRng rng = ProverRng::from_seed_u64(4);
  for (uint32_t n : {1u, 4u, 9u, 13u})
    for (bool zk : {false, true}) {
      Instance<Gl> inst = function_instance(n, uint64_t{1} << n, 10, zk, rng);
      inst.st.table.columns[1] = inst.table_values;  // re-point after the move
      check_honest<Gl, GlExt3>(inst, 300 + n);
    }
  Instance<Gl> big = function_instance(14, 10000, 16, true, rng);
  big.st.table.columns[1] = big.table_values;
  check_honest<Gl, GlExt3>(big, 399);
}

TEST(Logup, ExplicitFirstColumnTable) {
  // A table whose first column is not the index: rows (3j + 1, j^2), found by hashing.
  std::vector<Gl> c0(64), c1(64);
  for (size_t j = 0; j < 64; ++j) {
    c0[j] = Gl::from_u64(3 * j + 1);
    c1[j] = Gl::from_u64(j * j);
  }
  Instance<Gl> inst;
  ProverRng rng = ProverRng::from_seed_u64(5);
  inst.witness.assign(2, std::vector<Gl>(256));
  for (size_t i = 0; i < 256; ++i) {
    const size_t j = rng.next_u64() % 64;
    inst.witness[0][i] = c0[j];
    inst.witness[1][i] = c1[j];
  }
  LookupTable<Gl> table;
  table.log_size = 6;
  table.num_columns = 2;
  table.columns[0] = c0;
  table.columns[1] = c1;
  inst.st = make_statement<Gl>(8, 256, table, true);
  check_honest<Gl, GlExt3>(inst, 500);
}

TEST(Logup, ToyFieldProofsVerify) {
  using T = SmallPrimeField<2147483647>;
  using T1 = Extension<T, 1, 0>;
  ProverRng rng = ProverRng::from_seed_u64(6);
  for (uint32_t n : {1u, 3u, 8u})
    for (bool zk : {false, true}) {
      check_honest<T, T>(range_instance<T>(n, (uint64_t{1} << n) - (n > 1), 6, zk, rng), 600 + n);
      check_honest<T, T1>(range_instance<T>(n, uint64_t{1} << n, 4, zk, rng), 650 + n);
    }
}

TEST(Logup, MultiplicitiesCountEveryRow) {
  ProverRng rng = ProverRng::from_seed_u64(7);
  const Instance<Gl> inst = range_instance<Gl>(12, 3000, 8, false, rng);
  const auto cols = inst.columns();
  const std::vector<Gl> m = lookup_multiplicities<Gl>(inst.st.table, cols, 3000);
  std::vector<uint64_t> naive(256, 0);
  for (size_t i = 0; i < 3000; ++i) ++naive[inst.witness[0][i].value()];
  ASSERT_EQ(m.size(), 256u);
  for (size_t j = 0; j < 256; ++j) EXPECT_EQ(m[j], Gl::from_u64(naive[j]));

  // A value outside the table is named, not counted.
  std::vector<Gl> bad(inst.witness[0]);
  bad[1234] = Gl::from_u64(256);
  const std::vector<std::span<const Gl>> bad_cols{bad};
  EXPECT_THROW(lookup_multiplicities<Gl>(inst.st.table, bad_cols, 3000), std::invalid_argument);
  // A function-table row with the right x but the wrong f(x) is not in the table.
  ProverRng rng2 = ProverRng::from_seed_u64(8);
  Instance<Gl> f = function_instance(6, 64, 8, false, rng2);
  f.st.table.columns[1] = f.table_values;
  f.witness[1][5] += Gl::one();
  EXPECT_THROW(lookup_multiplicities<Gl>(f.st.table, f.columns(), 64), std::invalid_argument);
}

TEST(Logup, VerifierTableMathsMatchDirectEvaluation) {
  ProverRng rng = ProverRng::from_seed_u64(9);
  for (uint32_t n = 1; n <= 12; ++n) {
    std::vector<GlExt3> z(n);
    for (auto& x : z) x = rng.field<GlExt3>();
    const std::span<const GlExt3> zs(z);
    std::vector<Gl> index(size_t{1} << n), vals(size_t{1} << n);
    for (size_t j = 0; j < index.size(); ++j) {
      index[j] = Gl::from_u64(j);
      vals[j] = Gl::from_u64(rng.next_u64());
    }
    EXPECT_EQ(index_column_mle<GlExt3>(zs), (evaluate_multilinear<GlExt3, Gl>(std::span<const Gl>(index), zs)));
    EXPECT_EQ((streaming_mle<GlExt3, Gl>(std::span<const Gl>(vals), zs)),
              (evaluate_multilinear<GlExt3, Gl>(std::span<const Gl>(vals), zs)));
    EXPECT_EQ((base_table_mle<GlExt3, Gl>(std::span<const Gl>(vals), zs)),
              (evaluate_multilinear<GlExt3, Gl>(std::span<const Gl>(vals), zs)));
    for (size_t j = 0; j < vals.size(); ++j)  // mostly zero, as the exp tables are
      if (j % 5 != 0) vals[j] = Gl::zero();
    EXPECT_EQ((base_table_mle<GlExt3, Gl>(std::span<const Gl>(vals), zs)),
              (evaluate_multilinear<GlExt3, Gl>(std::span<const Gl>(vals), zs)));
    for (uint64_t num : {uint64_t{1}, uint64_t{2}, uint64_t{3}, (uint64_t{1} << n) - 1, uint64_t{1} << n,
                         (uint64_t{1} << n) / 2 + 1}) {
      if (num == 0 || num > (uint64_t{1} << n)) continue;
      std::vector<Gl> sel(size_t{1} << n);
      for (size_t i = 0; i < sel.size(); ++i) sel[i] = i < num ? Gl::one() : Gl::zero();
      EXPECT_EQ(selector_mle<GlExt3>(num, zs), (evaluate_multilinear<GlExt3, Gl>(std::span<const Gl>(sel), zs)))
          << "n=" << n << " N=" << num;
    }
  }
}

TEST(Logup, SplitIntoLimbsRecomposes) {
  std::vector<Gl> v{Gl::from_u64(0), Gl::from_u64(0xffff), Gl::from_u64(0x123456789a), Gl::from_u64((uint64_t{1} << 48) - 1)};
  const auto limbs = split_into_limbs(v, 16, 3);
  ASSERT_EQ(limbs.size(), 3u);
  for (size_t i = 0; i < v.size(); ++i) {
    uint64_t r = 0;
    for (unsigned l = 0; l < 3; ++l) {
      EXPECT_LT(limbs[l][i].value(), 1u << 16);
      r |= limbs[l][i].value() << (16 * l);
    }
    EXPECT_EQ(r, v[i].value());
  }
  v.push_back(Gl::from_u64(uint64_t{1} << 48));
  EXPECT_THROW(split_into_limbs(v, 16, 3), std::invalid_argument);
  EXPECT_THROW(split_into_limbs(v, 0, 3), std::invalid_argument);
  EXPECT_THROW(split_into_limbs(v, 16, 5), std::invalid_argument);
}

// ---- Malformed statements and proofs -----------------------------------------

struct HonestProof {
  Instance<Gl> inst;
  std::vector<Gl> mult;
  LogupProof<GlExt3> proof;
};

HonestProof honest_proof(bool zk) {
  HonestProof h;
  ProverRng rng = ProverRng::from_seed_u64(11);
  h.inst = function_instance(6, 50, 5, zk, rng);
  h.inst.st.table.columns[1] = h.inst.table_values;
  h.mult = lookup_multiplicities<Gl>(h.inst.st.table, h.inst.columns(), 50);
  Transcript<> tp("zkpot-test-logup", statement_digest(1));
  h.proof = prove_logup<Gl, GlExt3>(tp, h.inst.st, h.inst.columns(), h.mult, rng).proof;
  return h;
}

TEST(Logup, RejectsBadStatements) {
  const HonestProof h = honest_proof(false);
  LogupVerifierOutput<GlExt3> vout;
  std::vector<PendingClaim<GlExt3>> masks;
  ASSERT_EQ((verify<Gl, GlExt3>(h.inst.st, h.proof, &vout, &masks)), LogupStatus::kOk);
  auto expect = [&](LogupStatement<Gl> st, LogupStatus want) {
    EXPECT_EQ((verify<Gl, GlExt3>(st, h.proof, &vout, &masks)), want);
    // The prover refuses the same statements.
    ProverRng rng = ProverRng::from_seed_u64(1);
    Transcript<> tp("zkpot-test-logup", statement_digest(1));
    EXPECT_THROW((prove_logup<Gl, GlExt3>(tp, st, h.inst.columns(), h.mult, rng)), std::invalid_argument);
  };
  LogupStatement<Gl> st = h.inst.st;
  st.num_vars = 0;
  expect(st, LogupStatus::kBadShape);
  st = h.inst.st;
  st.num_vars = kMaxLookupWitnessLogSize + 1;
  expect(st, LogupStatus::kBadShape);
  st = h.inst.st;
  st.num_lookups = 0;
  expect(st, LogupStatus::kBadShape);
  st = h.inst.st;
  st.num_lookups = 65;
  expect(st, LogupStatus::kBadShape);
  st = h.inst.st;
  st.table.log_size = 0;
  expect(st, LogupStatus::kBadTable);
  st = h.inst.st;
  st.table.log_size = kMaxLookupTableLogSize + 1;
  expect(st, LogupStatus::kBadTable);
  st = h.inst.st;
  st.table.num_columns = 0;
  expect(st, LogupStatus::kBadTable);
  st = h.inst.st;
  st.table.num_columns = kMaxLookupColumns + 1;
  expect(st, LogupStatus::kBadTable);
  st = h.inst.st;
  st.table.columns[1] = std::span<const Gl>(h.inst.table_values).first(31);  // wrong size
  expect(st, LogupStatus::kBadTable);
  st = h.inst.st;
  st.table.num_columns = 1;  // a column left behind beyond num_columns
  expect(st, LogupStatus::kBadTable);

  // A toy field whose characteristic does not exceed the lookup count.
  using T = SmallPrimeField<7>;
  LogupStatement<T> small = make_statement<T>(3, 7, LookupTable<T>::range(2), false);
  std::vector<PendingClaim<T>> none;
  LogupVerifierOutput<T> tout;
  tout.mask_claims = std::span<PendingClaim<T>>(none);
  LogupProofView<T> empty;
  Transcript<> tv("zkpot-test-logup", statement_digest(1));
  EXPECT_EQ((verify_logup<T, T>(tv, small, empty, &tout)), LogupStatus::kBadShape);
  small.num_lookups = 6;
  small.table.log_size = 3;  // 8 index values in a field of 7
  EXPECT_EQ((verify_logup<T, T>(tv, small, empty, &tout)), LogupStatus::kBadTable);
}

TEST(Logup, RejectsWrongLengths) {
  for (bool zk : {false, true}) {
    const HonestProof h = honest_proof(zk);
    LogupVerifierOutput<GlExt3> vout;
    std::vector<PendingClaim<GlExt3>> masks;
    ASSERT_EQ((verify<Gl, GlExt3>(h.inst.st, h.proof, &vout, &masks)), LogupStatus::kOk);
    auto check = [&](auto mutate) {
      for (int delta : {-1, 1}) {
        LogupProof<GlExt3> p = h.proof;
        mutate(p, delta);
        EXPECT_EQ((verify<Gl, GlExt3>(h.inst.st, p, &vout, &masks)), LogupStatus::kWrongProofLength);
      }
    };
    auto resize = [](auto& v, int delta) {
      if (delta < 0 && !v.empty())
        v.pop_back();
      else
        v.push_back(v.empty() ? typename std::decay_t<decltype(v)>::value_type{} : v.back());
    };
    check([&](LogupProof<GlExt3>& p, int d) { resize(p.root_children, d); });
    check([&](LogupProof<GlExt3>& p, int d) { resize(p.layer_rounds, d); });
    check([&](LogupProof<GlExt3>& p, int d) { resize(p.layer_children, d); });
    check([&](LogupProof<GlExt3>& p, int d) { resize(p.column_evaluations, d); });
    if (zk) check([&](LogupProof<GlExt3>& p, int d) { resize(p.layer_masks, d); });
    {
      LogupProof<GlExt3> p = h.proof;
      resize(p.layer_masks, 1);
      if (!zk) {
        EXPECT_EQ((verify<Gl, GlExt3>(h.inst.st, p, &vout, &masks)), LogupStatus::kWrongProofLength);
      }
    }

    // The caller's mask-claim span must have one entry per layer mask.
    Transcript<> tv("zkpot-test-logup", statement_digest(1));
    std::vector<PendingClaim<GlExt3>> wrong(masks.size() + 1);
    vout.mask_claims = std::span<PendingClaim<GlExt3>>(wrong);
    EXPECT_EQ((verify_logup<Gl, GlExt3>(tv, h.inst.st, h.proof.view(), &vout)), LogupStatus::kWrongOutputLength);
  }
}

TEST(Logup, RejectsUnexpectedMaskHandle) {
  const HonestProof h = honest_proof(true);
  LogupVerifierOutput<GlExt3> vout;
  std::vector<PendingClaim<GlExt3>> masks;
  for (size_t i = 0; i < h.proof.layer_masks.size(); ++i) {
    LogupProof<GlExt3> p = h.proof;
    p.layer_masks[i].handle.id += 1;
    EXPECT_EQ((verify<Gl, GlExt3>(h.inst.st, p, &vout, &masks)), LogupStatus::kBadMaskHandle);
  }
  // A proof made without masks does not verify as a masked statement, and back.
  LogupStatement<Gl> st = h.inst.st;
  st.zero_knowledge = false;
  EXPECT_EQ((verify<Gl, GlExt3>(st, h.proof, &vout, &masks)), LogupStatus::kWrongProofLength);
}

// ---- Deterministic mode: a golden proof ----------------------------------------

std::string hex(const Blake2b256::Digest& d) {
  std::string s;
  char buf[3];
  for (uint8_t b : d) {
    std::snprintf(buf, sizeof buf, "%02x", b);
    s += buf;
  }
  return s;
}

TEST(Logup, UnitNumeratorTreeEqualsTheTreeWithStoredOnes) {
  // The witness tree of a LogUp without padding keeps no leaf numerators;
  // every layer above the leaves must be the tree built from explicit ones.
  ProverRng rng = ProverRng::from_seed_u64(5);
  for (uint32_t depth : {1u, 2u, 7u}) {
    std::vector<GlExt3> q(size_t{1} << depth);
    for (auto& x : q) x = rng.field<GlExt3>();
    const FractionTree<GlExt3> explicit_ones(std::vector<GlExt3>(q.size(), GlExt3::one()), q);
    const FractionTree<GlExt3> unit = FractionTree<GlExt3>::unit_numerators(q);
    ASSERT_EQ(unit.depth(), depth);
    EXPECT_TRUE(unit.unit_leaf_numerators());
    EXPECT_FALSE(explicit_ones.unit_leaf_numerators());
    EXPECT_TRUE(unit.p(depth).empty());
    EXPECT_EQ(unit.root_children(), explicit_ones.root_children());
    for (uint32_t d = 1; d < depth; ++d) {
      EXPECT_TRUE(std::equal(unit.p(d).begin(), unit.p(d).end(), explicit_ones.p(d).begin(), explicit_ones.p(d).end()));
      EXPECT_TRUE(std::equal(unit.q(d).begin(), unit.q(d).end(), explicit_ones.q(d).begin(), explicit_ones.q(d).end()));
    }
  }
}

TEST(Logup, GoldenSeededProof) {
  // A fixed instance: 100 lookups of i^2 mod 251 into a 2^8 range table, and
  // the exp table of 2^6 rows looked up at x = 7i mod 64, both zero knowledge.
  auto golden = [](bool function_table) {
    Instance<Gl> inst;
    if (function_table) {
      inst.table_values = exp_table(6);
      inst.witness.assign(2, std::vector<Gl>(128));
      for (size_t i = 0; i < 128; ++i) {
        inst.witness[0][i] = Gl::from_u64((7 * i) % 64);
        inst.witness[1][i] = inst.table_values[(7 * i) % 64];
      }
      inst.st = make_statement<Gl>(7, 100, LookupTable<Gl>::function(6, inst.table_values), true);
    } else {
      inst.witness.assign(1, std::vector<Gl>(128));
      for (size_t i = 0; i < 128; ++i) inst.witness[0][i] = Gl::from_u64((i * i) % 251);
      inst.st = make_statement<Gl>(7, 100, LookupTable<Gl>::range(8), true);
    }
    const std::vector<Gl> mult = lookup_multiplicities<Gl>(inst.st.table, inst.columns(), 100);
    ProverRng rng = ProverRng::from_seed_u64(2024);
    Transcript<> tp("zkpot-test-logup-golden", statement_digest(42));
    const LogupProverOutput<GlExt3> out = prove_logup<Gl, GlExt3>(tp, inst.st, inst.columns(), mult, rng);
    // The golden proof also verifies.
    Transcript<> tv("zkpot-test-logup-golden", statement_digest(42));
    std::vector<PendingClaim<GlExt3>> masks(out.mask_claims.size());
    LogupVerifierOutput<GlExt3> vout;
    vout.mask_claims = std::span<PendingClaim<GlExt3>>(masks);
    EXPECT_EQ((verify_logup<Gl, GlExt3>(tv, inst.st, out.proof.view(), &vout)), LogupStatus::kOk);
    const std::vector<uint8_t> bytes = out.proof.to_bytes();
    return hex(Blake2b256::digest("zkpot/test/gold", bytes.data(), bytes.size()));
  };
  const std::string range = golden(false), function = golden(true);
  EXPECT_EQ(range, golden(false));  // deterministic
  EXPECT_EQ(range, "b1a6dd08d373c614fa63e6a04830c68a30b28e048b05cec4b2f4ee88295fb602");
  EXPECT_EQ(function, "961fdf323a99b3cd49ef123602247b02f04b413dd76efd8cb51f489e3484dfbf");
}

// ---- docs/PROTOCOL.md §8 rows ------------------------------------------------------

double logup_bits(uint32_t n, uint32_t k, uint32_t c, bool zk) {
  const double log2_k = GlExt3::kDegree * Goldilocks::kLog2Order;
  return log2_k - std::log2(logup_soundness_numerator(n, k, c, zk));
}

TEST(Logup, SoundnessRowsMatchProtocolDoc) {
  EXPECT_NEAR(logup_bits(20, 16, 1, true), zkpot::testing::protocol_doc_bits("logup.n20.t16"), 0.1);
  EXPECT_NEAR(logup_bits(20, 16, 2, true), zkpot::testing::protocol_doc_bits("logup.n20.t16.c2"), 0.1);
  EXPECT_NEAR(logup_bits(24, 16, 1, true), zkpot::testing::protocol_doc_bits("logup.n24.t16"), 0.1);
  // At least 100 bits for every shape the verifier accepts.
  EXPECT_GT(logup_bits(kMaxLookupWitnessLogSize, kMaxLookupTableLogSize, kMaxLookupColumns, true), 100.0);
}

}  // namespace
}  // namespace zkpot
