// Reads the machine-checked soundness table of docs/PROTOCOL.md (§8), so that
// tests can compare each number the document states with the number the code's
// own constants give. A row looks like
//   | sumcheck.deg3.n24 | 3 * 24 / |K| | 185.6 |
// and the last column is -log2 of the soundness error, in bits.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace zkpot::testing {

inline std::string protocol_doc_path() { return std::string(ZKPOT_SOURCE_DIR) + "/docs/PROTOCOL.md"; }

// The bits column of the row whose first cell is `id`; throws if absent.
inline double protocol_doc_bits(const std::string& id) {
  std::ifstream in(protocol_doc_path());
  if (!in) throw std::runtime_error("cannot open docs/PROTOCOL.md");
  std::string line;
  const std::string key = "| " + id + " |";
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) != 0) continue;
    const size_t last_bar = line.find_last_of('|');
    const size_t prev_bar = line.find_last_of('|', last_bar - 1);
    if (last_bar == std::string::npos || prev_bar == std::string::npos) break;
    return std::stod(line.substr(prev_bar + 1, last_bar - prev_bar - 1));
  }
  throw std::runtime_error("docs/PROTOCOL.md has no soundness row " + id);
}

}  // namespace zkpot::testing
