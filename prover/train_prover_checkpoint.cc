#include "prover/train_prover_checkpoint.h"

#include <cstring>
#include <stdexcept>

#include "common/hash.h"
#include "formats/idx.h"
#include "prover/proof_file.h"

namespace zkpot {

namespace {

constexpr char kMagic[8] = {'Z', 'K', 'P', 'C', 'K', 'P', 'T', '1'};
constexpr std::string_view kChecksumPersonal = "zkpot/checkpoint";
constexpr size_t kMaxCheckpointBytes = size_t{1} << 30;

class Writer {
 public:
  void u64(uint64_t x) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(x >> (8 * i)));
  }
  void bytes(std::span<const uint8_t> b) { out.insert(out.end(), b.begin(), b.end()); }
  void str(const std::string& s) {
    u64(s.size());
    bytes(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
  }
  void params(const TrainParameters& p) {
    u64(p.weights.size());
    for (size_t l = 0; l < p.weights.size(); ++l) {
      for (const auto* v : {&p.weights[l], &p.biases.at(l)}) {
        u64(v->size());
        for (int64_t x : *v) u64(static_cast<uint64_t>(x));
      }
    }
  }
  std::vector<uint8_t> out;
};

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> in) : in_(in) {}
  uint64_t u64() {
    need(8);
    uint64_t x = 0;
    for (int i = 0; i < 8; ++i) x |= uint64_t{in_[pos_ + i]} << (8 * i);
    pos_ += 8;
    return x;
  }
  void bytes(std::span<uint8_t> out) {
    need(out.size());
    std::memcpy(out.data(), in_.data() + pos_, out.size());
    pos_ += out.size();
  }
  std::string str() {
    const uint64_t n = u64();
    need(n);
    std::string s(reinterpret_cast<const char*>(in_.data() + pos_), n);
    pos_ += n;
    return s;
  }
  TrainParameters params() {
    TrainParameters p;
    const uint64_t layers = u64();
    if (layers > kTrainingMaxLayers) throw std::runtime_error("checkpoint: too many layers");
    for (uint64_t l = 0; l < layers; ++l) {
      for (auto* v : {&p.weights, &p.biases}) {
        const uint64_t n = u64();
        if (n > remaining() / 8) throw std::runtime_error("checkpoint: truncated");  // bounds n before allocating
        v->emplace_back(n);
        for (int64_t& x : v->back()) x = static_cast<int64_t>(u64());
      }
    }
    return p;
  }
  bool done() const { return pos_ == in_.size(); }
  size_t remaining() const { return in_.size() - pos_; }

 private:
  void need(uint64_t n) const {
    if (n > in_.size() - pos_) throw std::runtime_error("checkpoint: truncated");
  }
  std::span<const uint8_t> in_;
  size_t pos_ = 0;
};

}  // namespace

std::string first_flag_difference(const TrainRunFlags& was, const TrainRunFlags& now) {
  auto differ = [](const char* flag, const std::string& a, const std::string& b) {
    return std::string(flag) + " is " + (b.empty() ? "unset" : b) + " but the interrupted run used " +
           (a.empty() ? "none" : a);
  };
  if (was.data != now.data) return differ("--data", was.data, now.data);
  if (was.dataset_commitment != now.dataset_commitment)
    return differ("--dataset-commitment", was.dataset_commitment, now.dataset_commitment);
  if (was.model != now.model) return differ("--model", was.model, now.model);
  if (was.rows != now.rows) return differ("--rows", std::to_string(was.rows), std::to_string(now.rows));
  if (was.batch != now.batch) return differ("--batch", std::to_string(was.batch), std::to_string(now.batch));
  if (was.steps != now.steps) return differ("--steps", std::to_string(was.steps), std::to_string(now.steps));
  if (was.segment_steps != now.segment_steps)
    return differ("--segment-steps", std::to_string(was.segment_steps), std::to_string(now.segment_steps));
  if (was.weight_seed != now.weight_seed)
    return differ("--weight-seed", std::to_string(was.weight_seed), std::to_string(now.weight_seed));
  if (was.lr != now.lr) return differ("--lr", std::to_string(was.lr), std::to_string(now.lr));
  if (was.test_params != now.test_params)
    return differ("--test-params", was.test_params ? "on" : "off", now.test_params ? "on" : "off");
  return "";
}

std::vector<uint8_t> encode_checkpoint(const TrainCheckpoint& c) {
  Writer w;
  w.bytes(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(kMagic), sizeof kMagic));
  const TrainRunFlags& f = c.flags;
  w.str(f.data);
  w.str(f.dataset_commitment);
  w.str(f.model);
  for (uint64_t x : {f.rows, f.batch, f.steps, f.segment_steps, f.weight_seed}) w.u64(x);
  uint64_t lr_bits;
  std::memcpy(&lr_bits, &f.lr, 8);
  w.u64(lr_bits);
  w.u64(f.test_params ? 1 : 0);
  w.bytes(c.secret);
  w.bytes(c.dataset_commitment);
  w.bytes(c.initial_weight_commitment);
  w.u64(c.boundary);
  w.bytes(c.boundary_weight_commitment);
  w.params(c.boundary_parameters);
  w.u64(c.steps_done);
  w.params(c.parameters);
  const TrainingDigest sum = Blake2b256::digest(kChecksumPersonal, w.out.data(), w.out.size());
  w.bytes(sum);
  return std::move(w.out);
}

TrainCheckpoint decode_checkpoint(std::span<const uint8_t> bytes) {
  if (bytes.size() < sizeof kMagic + 32 || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
    throw std::runtime_error("checkpoint: not a zkpot training checkpoint");
  const std::span<const uint8_t> body = bytes.first(bytes.size() - 32);
  const TrainingDigest sum = Blake2b256::digest(kChecksumPersonal, body.data(), body.size());
  if (std::memcmp(sum.data(), bytes.data() + body.size(), 32) != 0)
    throw std::runtime_error("checkpoint: checksum mismatch (damaged file)");
  Reader r(body.subspan(sizeof kMagic));
  TrainCheckpoint c;
  TrainRunFlags& f = c.flags;
  f.data = r.str();
  f.dataset_commitment = r.str();
  f.model = r.str();
  for (uint64_t* x : {&f.rows, &f.batch, &f.steps, &f.segment_steps, &f.weight_seed}) *x = r.u64();
  const uint64_t lr_bits = r.u64();
  std::memcpy(&f.lr, &lr_bits, 8);
  const uint64_t tp = r.u64();
  if (tp > 1) throw std::runtime_error("checkpoint: malformed flag");
  f.test_params = tp == 1;
  r.bytes(c.secret);
  r.bytes(c.dataset_commitment);
  r.bytes(c.initial_weight_commitment);
  c.boundary = r.u64();
  r.bytes(c.boundary_weight_commitment);
  c.boundary_parameters = r.params();
  c.steps_done = r.u64();
  c.parameters = r.params();
  if (!r.done()) throw std::runtime_error("checkpoint: trailing bytes");
  if (c.boundary > c.steps_done || c.steps_done > f.steps) throw std::runtime_error("checkpoint: inconsistent steps");
  return c;
}

void write_checkpoint(const std::filesystem::path& run_dir, const TrainCheckpoint& c) {
  std::filesystem::create_directories(checkpoint_path(run_dir).parent_path());
  std::filesystem::permissions(checkpoint_path(run_dir).parent_path(), std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace);
  write_file_atomically(checkpoint_path(run_dir), encode_checkpoint(c), 0600);
}

TrainCheckpoint read_checkpoint(const std::filesystem::path& run_dir) {
  const std::filesystem::path p = checkpoint_path(run_dir);
  if (!std::filesystem::exists(p)) throw std::runtime_error("--resume: no checkpoint at " + p.string());
  return decode_checkpoint(formats::read_file_bounded(p.string(), kMaxCheckpointBytes));
}

ProverRng derived_prover_rng(const std::array<uint8_t, 32>& secret, std::string_view purpose, uint64_t index) {
  Blake2b256::State st("zkpot/prover-rng");
  st.update(secret.data(), secret.size());
  st.update_u64(purpose.size());
  st.update(purpose.data(), purpose.size());
  st.update_u64(index);
  return ProverRng::from_seed(st.finalize());
}

ProverRng segment_opening_rng(const std::array<uint8_t, 32>& secret, uint64_t segment_begin, uint64_t k) {
  // A segment opens T stacks, T + 1 weight commitments and the dataset.
  static_assert(2 * kTrainingMaxSegmentSteps + 2 <= 256, "openings per segment must fit 8 bits");
  if (k >= 256 || segment_begin >= (uint64_t{1} << 56))
    throw std::invalid_argument("prover randomness: opening index out of range");
  return derived_prover_rng(secret, "pcs-opening", (segment_begin << 8) | k);
}

}  // namespace zkpot
