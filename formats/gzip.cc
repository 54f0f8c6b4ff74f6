// DEFLATE decoding after RFC 1951: canonical Huffman codes read LSB first, a
// 9-bit lookup table for short codes and a bit-by-bit walk for longer ones.
#include "formats/gzip.h"

#include <array>
#include <cstring>
#include <string>

namespace zkpot::formats {

namespace {

constexpr unsigned kMaxCodeBits = 15;
constexpr unsigned kFastBits = 9;
constexpr unsigned kMaxLitLenSymbols = 288;
constexpr unsigned kMaxDistSymbols = 32;

constexpr std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> t{};
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[n] = c;
  }
  return t;
}
constexpr std::array<uint32_t, 256> kCrcTable = make_crc_table();

// Reads bits least significant first; every read is bounded by the input.
class BitReader {
 public:
  explicit BitReader(std::span<const uint8_t> in) : in_(in) {}

  uint32_t bits(unsigned n) {
    if (n == 0) return 0;
    fill(n);
    if (nbits_ < n) throw GzipError("deflate: input ends inside a block");
    const uint32_t v = static_cast<uint32_t>(buf_ & ((uint64_t{1} << n) - 1));
    buf_ >>= n;
    nbits_ -= n;
    return v;
  }
  // Up to n bits without consuming them; *avail says how many are real.
  uint32_t peek(unsigned n, unsigned* avail) {
    fill(n);
    *avail = nbits_ < n ? nbits_ : n;
    return static_cast<uint32_t>(buf_ & ((uint64_t{1} << n) - 1));
  }
  void drop(unsigned n) {
    buf_ >>= n;
    nbits_ -= n;
  }
  // Discards the rest of the current byte and hands buffered whole bytes back.
  void align_to_byte() {
    const unsigned partial = nbits_ % 8;
    drop(partial);
    pos_ -= nbits_ / 8;
    buf_ = 0;
    nbits_ = 0;
  }
  size_t byte_position() const { return pos_ - nbits_ / 8; }
  std::span<const uint8_t> take_bytes(size_t n) {
    if (in_.size() - pos_ < n) throw GzipError("deflate: stored block runs past the input");
    auto s = in_.subspan(pos_, n);
    pos_ += n;
    return s;
  }

 private:
  void fill(unsigned n) {
    while (nbits_ < n && pos_ < in_.size()) {
      buf_ |= uint64_t{in_[pos_++]} << nbits_;
      nbits_ += 8;
    }
  }
  std::span<const uint8_t> in_;
  size_t pos_ = 0;
  uint64_t buf_ = 0;
  unsigned nbits_ = 0;
};

// A canonical Huffman code: counts per length, symbols in canonical order, and
// a table indexed by the next kFastBits input bits (entry = length << 12 | symbol).
struct HuffmanCode {
  std::array<uint16_t, kMaxCodeBits + 1> count{};
  std::array<uint16_t, kMaxLitLenSymbols> symbol{};
  std::array<uint16_t, 1u << kFastBits> fast{};

  void build(const uint8_t* lengths, unsigned n) {
    count.fill(0);
    fast.fill(0);
    for (unsigned i = 0; i < n; ++i) ++count[lengths[i]];
    count[0] = 0;
    int left = 1;
    for (unsigned len = 1; len <= kMaxCodeBits; ++len) {
      left = 2 * left - count[len];
      if (left < 0) throw GzipError("deflate: over-subscribed Huffman code");
    }
    std::array<uint16_t, kMaxCodeBits + 2> offs{};
    for (unsigned len = 1; len <= kMaxCodeBits; ++len) offs[len + 1] = offs[len] + count[len];
    for (unsigned i = 0; i < n; ++i)
      if (lengths[i] != 0) symbol[offs[lengths[i]]++] = static_cast<uint16_t>(i);
    // Assign canonical codes in order and fill the short-code table with the
    // bit-reversed codes (DEFLATE sends Huffman codes most significant bit first).
    uint32_t code = 0;
    unsigned idx = 0;
    for (unsigned len = 1; len <= kFastBits; ++len) {
      for (unsigned k = 0; k < count[len]; ++k, ++idx, ++code) {
        uint32_t rev = 0;
        for (unsigned b = 0; b < len; ++b) rev |= ((code >> b) & 1u) << (len - 1 - b);
        for (uint32_t fill = rev; fill < (1u << kFastBits); fill += 1u << len)
          fast[fill] = static_cast<uint16_t>((len << 12) | symbol[idx]);
      }
      code <<= 1;
    }
  }

  unsigned decode(BitReader& br) const {
    unsigned avail = 0;
    const uint32_t look = br.peek(kFastBits, &avail);
    const uint16_t e = fast[look];
    if (e != 0 && (e >> 12) <= avail) {
      br.drop(e >> 12);
      return e & 0xFFFu;
    }
    int code = 0, first = 0, index = 0;
    for (unsigned len = 1; len <= kMaxCodeBits; ++len) {
      code |= static_cast<int>(br.bits(1));
      const int c = count[len];
      if (code - c < first) return symbol[static_cast<size_t>(index + (code - first))];
      index += c;
      first = (first + c) << 1;
      code <<= 1;
    }
    throw GzipError("deflate: invalid Huffman code");
  }
};

constexpr uint16_t kLengthBase[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                      31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr uint8_t kLengthExtra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr uint16_t kDistBase[30] = {1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,    97,    129,
                                    193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr uint8_t kDistExtra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

void inflate_codes(BitReader& br, const HuffmanCode& litlen, const HuffmanCode& dist, size_t member_start,
                   size_t max_output, std::vector<uint8_t>* out) {
  for (;;) {
    const unsigned sym = litlen.decode(br);
    if (sym < 256) {
      if (out->size() >= max_output) throw GzipError("deflate: output exceeds the size limit");
      out->push_back(static_cast<uint8_t>(sym));
      continue;
    }
    if (sym == 256) return;
    if (sym > 285) throw GzipError("deflate: invalid length symbol");
    const size_t len = kLengthBase[sym - 257] + br.bits(kLengthExtra[sym - 257]);
    const unsigned dsym = dist.decode(br);
    if (dsym > 29) throw GzipError("deflate: invalid distance symbol");
    const size_t d = kDistBase[dsym] + br.bits(kDistExtra[dsym]);
    if (d > out->size() - member_start) throw GzipError("deflate: distance reaches before the stream start");
    if (len > max_output - out->size()) throw GzipError("deflate: output exceeds the size limit");
    const size_t from = out->size() - d;
    for (size_t i = 0; i < len; ++i) out->push_back((*out)[from + i]);  // overlap is allowed
  }
}

void read_dynamic_codes(BitReader& br, HuffmanCode* litlen, HuffmanCode* dist) {
  static constexpr uint8_t kOrder[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
  const unsigned nlen = br.bits(5) + 257, ndist = br.bits(5) + 1, ncode = br.bits(4) + 4;
  if (nlen > 286 || ndist > 30) throw GzipError("deflate: too many length or distance codes");
  uint8_t lengths[kMaxLitLenSymbols + kMaxDistSymbols] = {};
  for (unsigned i = 0; i < ncode; ++i) lengths[kOrder[i]] = static_cast<uint8_t>(br.bits(3));
  HuffmanCode lencode;
  lencode.build(lengths, 19);
  std::memset(lengths, 0, sizeof lengths);
  unsigned i = 0;
  while (i < nlen + ndist) {
    const unsigned sym = lencode.decode(br);
    if (sym < 16) {
      lengths[i++] = static_cast<uint8_t>(sym);
      continue;
    }
    uint8_t value = 0;
    unsigned repeat = 0;
    if (sym == 16) {
      if (i == 0) throw GzipError("deflate: repeat with no previous length");
      value = lengths[i - 1];
      repeat = 3 + br.bits(2);
    } else if (sym == 17) {
      repeat = 3 + br.bits(3);
    } else {
      repeat = 11 + br.bits(7);
    }
    if (i + repeat > nlen + ndist) throw GzipError("deflate: code lengths overrun");
    while (repeat--) lengths[i++] = value;
  }
  if (lengths[256] == 0) throw GzipError("deflate: no end-of-block code");
  litlen->build(lengths, nlen);
  dist->build(lengths + nlen, ndist);
}

uint32_t read_le32(std::span<const uint8_t> b, size_t at) {
  return uint32_t{b[at]} | uint32_t{b[at + 1]} << 8 | uint32_t{b[at + 2]} << 16 | uint32_t{b[at + 3]} << 24;
}

}  // namespace

uint32_t crc32_update(uint32_t crc, std::span<const uint8_t> bytes) {
  crc = ~crc;
  for (uint8_t b : bytes) crc = kCrcTable[(crc ^ b) & 0xFFu] ^ (crc >> 8);
  return ~crc;
}

bool looks_gzipped(std::span<const uint8_t> bytes) {
  return bytes.size() >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B;
}

size_t inflate_raw(std::span<const uint8_t> in, size_t max_output, std::vector<uint8_t>* out) {
  BitReader br(in);
  const size_t member_start = out->size();
  HuffmanCode litlen, dist;
  bool last = false;
  while (!last) {
    last = br.bits(1) != 0;
    const unsigned type = br.bits(2);
    if (type == 0) {
      br.align_to_byte();
      const auto hdr = br.take_bytes(4);
      const unsigned len = hdr[0] | hdr[1] << 8, nlen = hdr[2] | hdr[3] << 8;
      if ((len ^ 0xFFFFu) != nlen) throw GzipError("deflate: stored block length check fails");
      if (len > max_output - out->size()) throw GzipError("deflate: output exceeds the size limit");
      const auto data = br.take_bytes(len);
      out->insert(out->end(), data.begin(), data.end());
    } else if (type == 1) {
      uint8_t lengths[kMaxLitLenSymbols + kMaxDistSymbols];
      unsigned i = 0;
      for (; i < 144; ++i) lengths[i] = 8;
      for (; i < 256; ++i) lengths[i] = 9;
      for (; i < 280; ++i) lengths[i] = 7;
      for (; i < 288; ++i) lengths[i] = 8;
      for (; i < 288 + 30; ++i) lengths[i] = 5;
      litlen.build(lengths, 288);
      dist.build(lengths + 288, 30);
      inflate_codes(br, litlen, dist, member_start, max_output, out);
    } else if (type == 2) {
      read_dynamic_codes(br, &litlen, &dist);
      inflate_codes(br, litlen, dist, member_start, max_output, out);
    } else {
      throw GzipError("deflate: reserved block type");
    }
  }
  br.align_to_byte();
  return br.byte_position();
}

std::vector<uint8_t> gunzip(std::span<const uint8_t> bytes, size_t max_output) {
  std::vector<uint8_t> out;
  if (bytes.size() >= 18) {  // the last member's ISIZE is a good size hint
    const size_t hint = read_le32(bytes, bytes.size() - 4);
    out.reserve(hint < max_output ? hint : max_output);
  }
  size_t pos = 0;
  do {
    auto need = [&](size_t n) {
      if (bytes.size() - pos < n) throw GzipError("gzip: truncated header or trailer");
    };
    need(10);
    if (bytes[pos] != 0x1F || bytes[pos + 1] != 0x8B) throw GzipError("gzip: bad magic");
    if (bytes[pos + 2] != 8) throw GzipError("gzip: compression method is not deflate");
    const uint8_t flags = bytes[pos + 3];
    if (flags & 0xE0) throw GzipError("gzip: reserved flag bits set");
    pos += 10;
    if (flags & 0x04) {  // FEXTRA
      need(2);
      const size_t xlen = bytes[pos] | size_t{bytes[pos + 1]} << 8;
      pos += 2;
      need(xlen);
      pos += xlen;
    }
    for (uint8_t bit : {uint8_t{0x08}, uint8_t{0x10}}) {  // FNAME, FCOMMENT: zero-terminated
      if (!(flags & bit)) continue;
      while (true) {
        need(1);
        if (bytes[pos++] == 0) break;
      }
    }
    if (flags & 0x02) {  // FHCRC
      need(2);
      pos += 2;
    }
    const size_t start = out.size();
    pos += inflate_raw(bytes.subspan(pos), max_output, &out);
    need(8);
    const uint32_t crc = read_le32(bytes, pos), isize = read_le32(bytes, pos + 4);
    pos += 8;
    const std::span<const uint8_t> member(out.data() + start, out.size() - start);
    if (crc32_update(0, member) != crc) throw GzipError("gzip: CRC-32 mismatch");
    if (static_cast<uint32_t>(member.size()) != isize) throw GzipError("gzip: size mismatch");
  } while (pos < bytes.size());
  return out;
}

}  // namespace zkpot::formats
