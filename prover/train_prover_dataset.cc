#include "prover/train_prover_dataset.h"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "formats/csv_dataset.h"
#include "formats/hex.h"
#include "formats/idx.h"
#include "prover/proof_file.h"

namespace zkpot {

namespace {

constexpr std::string_view kPublicHeader = "zkpot dataset commitment v1";
constexpr std::string_view kPrivateHeader = "zkpot dataset commitment secret v1";

using formats::from_hex;
using formats::to_hex;

void write_text(const std::filesystem::path& p, const std::string& text, unsigned mode) {
  write_file_atomically(p, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()), mode);
}

// "key value" lines after a fixed header; every key in `keys` exactly once.
std::vector<std::pair<std::string, std::string>> read_lines(const std::filesystem::path& p, std::string_view header) {
  const std::vector<uint8_t> bytes = formats::read_file_bounded(p.string(), 4096);
  std::istringstream in(std::string(bytes.begin(), bytes.end()));
  std::string line;
  if (!std::getline(in, line) || line != header)
    throw std::runtime_error(p.string() + ": not a zkpot dataset commitment file (first line must be \"" +
                             std::string(header) + "\")");
  std::vector<std::pair<std::string, std::string>> kv;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const size_t sp = line.find(' ');
    if (sp == std::string::npos) throw std::runtime_error(p.string() + ": malformed line \"" + line + "\"");
    const std::string key = line.substr(0, sp);
    for (const auto& [k, v] : kv)
      if (k == key) throw std::runtime_error(p.string() + ": key " + key + " given twice");
    kv.emplace_back(key, line.substr(sp + 1));
  }
  return kv;
}

const std::string& field(const std::filesystem::path& p, const std::vector<std::pair<std::string, std::string>>& kv,
                         const char* key) {
  for (const auto& [k, v] : kv)
    if (k == key) return v;
  throw std::runtime_error(p.string() + ": missing " + key);
}

uint64_t number(const std::filesystem::path& p, const std::string& v, const char* key) {
  if (v.empty() || v.size() > 19 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
    throw std::runtime_error(p.string() + ": " + key + " is not a number");
  return std::stoull(v);
}

void digest_field(const std::filesystem::path& p, const std::string& v, const char* key, std::span<uint8_t> out) {
  if (!from_hex(v, out)) throw std::runtime_error(p.string() + ": " + key + " is not 64 lowercase hex digits");
}

std::filesystem::path private_path(const std::filesystem::path& file) { return file.string() + ".private"; }

}  // namespace

uint64_t dataset_classes(const formats::LabelledImages& data) {
  uint64_t c = 0;
  for (uint8_t l : data.labels) c = std::max<uint64_t>(c, uint64_t{l} + 1);
  return c;
}

TrainingDigest dataset_content_digest(const formats::LabelledImages& data) {
  Blake2b256::State st("zkpot/ds-content");
  st.update_u64(data.count);
  st.update_u64(data.pixels_per_image());
  st.update(data.pixels.data(), data.count * data.pixels_per_image());
  st.update(data.labels.data(), data.count);
  return st.finalize();
}

RandomnessSeed public_dataset_seed(const TrainingDigest& content) {
  return Blake2b256::digest("zkpot/ds-public", content.data(), content.size());
}

TrainingCommitment commit_dataset_from_seed(TrainingParameterSet ps, const formats::LabelledImages& data,
                                            const RandomnessSeed& seed) {
  ProverRng rng = ProverRng::from_seed(seed);
  return commit_training_dataset(ps, data, rng);
}

DatasetCommitmentInfo commit_dataset(TrainingParameterSet ps, const formats::LabelledImages& data,
                                     const RandomnessSeed* hiding_seed, RandomnessSeed* seed) {
  DatasetCommitmentInfo info;
  info.parameter_set = ps;
  info.hiding = hiding_seed != nullptr;
  info.rows = data.count;
  info.columns = data.pixels_per_image();
  info.classes = dataset_classes(data);
  info.content = dataset_content_digest(data);
  *seed = hiding_seed != nullptr ? *hiding_seed : public_dataset_seed(info.content);
  info.commitment = commit_dataset_from_seed(ps, data, *seed).digest;
  return info;
}

void write_dataset_commitment_file(const std::filesystem::path& file, const DatasetCommitmentInfo& info,
                                   const RandomnessSeed& seed) {
  std::ostringstream pub;
  pub << kPublicHeader << "\n"
      << "mode " << (info.hiding ? "hiding" : "public") << "\n"
      << "parameter-set " << static_cast<unsigned>(info.parameter_set) << "\n"
      << "rows " << info.rows << "\n"
      << "columns " << info.columns << "\n"
      << "classes " << info.classes << "\n";
  // A hiding commitment must not publish a plain hash of the data (it would confirm a guess).
  if (!info.hiding) pub << "content " << to_hex(info.content) << "\n";
  pub << "commitment " << to_hex(info.commitment) << "\n";
  if (info.hiding) {
    std::ostringstream priv;
    priv << kPrivateHeader << "\n"
         << "seed " << to_hex(seed) << "\n"
         << "content " << to_hex(info.content) << "\n"
         << "commitment " << to_hex(info.commitment) << "\n";
    write_text(private_path(file), priv.str(), 0600);
  }
  write_text(file, pub.str(), 0644);
}

void read_dataset_commitment_file(const std::filesystem::path& file, DatasetCommitmentInfo* info, RandomnessSeed* seed) {
  const auto kv = read_lines(file, kPublicHeader);
  DatasetCommitmentInfo d;
  const std::string& mode = field(file, kv, "mode");
  if (mode != "hiding" && mode != "public") throw std::runtime_error(file.string() + ": mode must be hiding or public");
  d.hiding = mode == "hiding";
  const uint64_t ps = number(file, field(file, kv, "parameter-set"), "parameter-set");
  if (ps != static_cast<uint64_t>(TrainingParameterSet::kProduction) &&
      ps != static_cast<uint64_t>(TrainingParameterSet::kTestOnly))
    throw std::runtime_error(file.string() + ": unknown parameter-set");
  d.parameter_set = static_cast<TrainingParameterSet>(ps);
  d.rows = number(file, field(file, kv, "rows"), "rows");
  d.columns = number(file, field(file, kv, "columns"), "columns");
  d.classes = number(file, field(file, kv, "classes"), "classes");
  digest_field(file, field(file, kv, "commitment"), "commitment", d.commitment);
  if (d.hiding) {
    const std::filesystem::path pp = private_path(file);
    const auto pk = read_lines(pp, kPrivateHeader);
    digest_field(pp, field(pp, pk, "seed"), "seed", *seed);
    digest_field(pp, field(pp, pk, "content"), "content", d.content);
    TrainingDigest c{};
    digest_field(pp, field(pp, pk, "commitment"), "commitment", c);
    if (c != d.commitment) throw std::runtime_error(pp.string() + ": belongs to another commitment than " + file.string());
  } else {
    digest_field(file, field(file, kv, "content"), "content", d.content);
    *seed = public_dataset_seed(d.content);
  }
  *info = d;
}

TrainingCommitment recommit_dataset(const DatasetCommitmentInfo& info, const RandomnessSeed& seed,
                                    TrainingParameterSet ps, const formats::LabelledImages& data) {
  if (info.parameter_set != ps)
    throw std::runtime_error("the dataset commitment was made for another parameter set (--test-params differs)");
  if (info.rows != data.count || info.columns != data.pixels_per_image())
    throw std::runtime_error("the dataset commitment covers " + std::to_string(info.rows) + " rows of " +
                             std::to_string(info.columns) + " pixels, the data has " + std::to_string(data.count) +
                             " rows of " + std::to_string(data.pixels_per_image()));
  if (dataset_content_digest(data) != info.content)
    throw std::runtime_error("the data differs from the dataset the commitment file commits to");
  TrainingCommitment c = commit_dataset_from_seed(ps, data, seed);
  if (c.digest != info.commitment)
    throw std::runtime_error("recomputing the dataset commitment gives another digest than the file's");
  return c;
}

formats::LabelledImages load_training_dataset(const std::string& path, size_t rows) {
  const bool csv = path.size() > 4 && path.compare(path.size() - 4, 4, ".csv") == 0;
  formats::LabelledImages all =
      csv ? formats::read_csv_dataset(path) : formats::load_fashion_mnist(formats::FashionMnistSplit::kTrain, path);
  if (rows == 0 || rows >= all.count) return all;
  return all.head(rows);
}

formats::LabelledImages load_held_out_dataset(const std::string& path, size_t rows) {
  const bool csv = path.size() > 4 && path.compare(path.size() - 4, 4, ".csv") == 0;
  if (csv || rows == 0 || !formats::fashion_mnist_available(formats::FashionMnistSplit::kTest, path)) return {};
  return formats::load_fashion_mnist(formats::FashionMnistSplit::kTest, path).head(rows);
}

}  // namespace zkpot
