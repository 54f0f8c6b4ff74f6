// libzkpot_verify's shape as a binary (DESIGN.md, "Verifier SDK rules"): its
// NEEDED entries are a subset of {libsodium, libcbor, libstdc++, libm,
// libgcc_s, libc}, it exports only zkpot_* symbols, and it holds no prover
// code (checked on its full symbol table with readelf and nm).
#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string capture(const std::string& cmd) {
  std::string out;
  std::FILE* p = popen((cmd + " 2>/dev/null").c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> v;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) v.push_back(l);
  return v;
}

const std::string kLib = ZKPOT_VERIFY_LIBRARY;

TEST(VerifyLinkage, NeededIsASubsetOfTheAllowedLibraries) {
  std::set<std::string> allowed = {"libsodium.so", "libcbor.so", "libstdc++.so", "libm.so", "libgcc_s.so", "libc.so"};
#if defined(__SANITIZE_ADDRESS__)
  allowed.insert({"libasan.so", "libubsan.so"});  // the sanitizer build's runtimes
#endif
  size_t needed = 0;
  for (const std::string& l : lines(capture("readelf -d " + kLib))) {
    const size_t at = l.find("(NEEDED)");
    if (at == std::string::npos) continue;
    const size_t open = l.find('[', at), close = l.find(']', at);
    ASSERT_NE(open, std::string::npos) << l;
    const std::string name = l.substr(open + 1, close - open - 1);
    const std::string stem = name.substr(0, name.find(".so") + 3);
    EXPECT_TRUE(allowed.count(stem)) << "unexpected NEEDED entry " << name;
    ++needed;
  }
  EXPECT_GE(needed, 3u);  // libsodium, libcbor, libc at least: the check saw the table
}

TEST(VerifyLinkage, ExportsOnlyZkpotSymbols) {
  size_t exported = 0;
  for (const std::string& l : lines(capture("nm -D --defined-only " + kLib))) {
    std::istringstream in(l);
    std::string addr, type, name;
    in >> addr >> type >> name;
    if (name.empty()) continue;
    EXPECT_EQ(name.rfind("zkpot_", 0), 0u) << "exported symbol " << name;
    ++exported;
  }
  EXPECT_GE(exported, 20u);
}

TEST(VerifyLinkage, HoldsNoProverCode) {
  const std::string symbols = capture("nm -C " + kLib);
  ASSERT_NE(symbols.find("zkpot_verify_buffer"), std::string::npos) << "nm saw no symbols";
  // Prover-side names (prover/): training engine, provers, trees, threads, GPU.
  for (const char* banned : {"zkpot::train::", "Prover", "prover", "ProverRng", "parallel_chunks", "MerkleTree",
                             "ntt_parallel", "write_proof_file", "assemble_proof", "cuda", "gmp", "__gmp"}) {
    EXPECT_EQ(symbols.find(banned), std::string::npos) << "prover code in the verifier: " << banned;
  }
}

}  // namespace
