// The dataset readers: IDX (raw and gzipped, stored/fixed/dynamic DEFLATE
// blocks), CSV, their errors on malformed input, and a slice of the real
// Fashion-MNIST when Debian's dataset-fashion-mnist is installed.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <cstdint>
#include <string>
#include <vector>

#include "formats/csv_dataset.h"
#include "formats/gzip.h"
#include "formats/idx.h"

namespace zkpot::formats {
namespace {

std::vector<uint8_t> make_idx(const std::vector<uint32_t>& dims, const std::vector<uint8_t>& data) {
  std::vector<uint8_t> out = {0, 0, kIdxTypeUnsignedByte, static_cast<uint8_t>(dims.size())};
  for (uint32_t d : dims)
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(d >> s));
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

// gzip (Python's gzip module) of make_idx({3,2,2}, {0..7, 250, 251, 252, 255}):
// level 0 (a stored block) and level 9 with a file name (a fixed-Huffman block).
const std::vector<uint8_t> kStoredGz = {
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x01, 0x1c, 0x00, 0xe3, 0xff, 0x00, 0x00,
    0x08, 0x03, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 0x02,
    0x03, 0x04, 0x05, 0x06, 0x07, 0xfa, 0xfb, 0xfc, 0xff, 0xcf, 0x4d, 0x76, 0xa4, 0x1c, 0x00, 0x00, 0x00};
const std::vector<uint8_t> kFixedGz = {
    0x1f, 0x8b, 0x08, 0x08, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff, 0x78, 0x2e, 0x69, 0x64, 0x78, 0x00,
    0x63, 0x60, 0xe0, 0x60, 0x66, 0x60, 0x60, 0x00, 0x61, 0x26, 0x30, 0x66, 0x64, 0x62, 0x66, 0x61,
    0x65, 0x63, 0xff, 0xf5, 0xfb, 0xcf, 0x7f, 0x00, 0xcf, 0x4d, 0x76, 0xa4, 0x1c, 0x00, 0x00, 0x00};
// gzip -9 of make_idx({20,2,2}, v) with v[i] = ((i*i*31 + i/3) % 23) * 11: a dynamic-Huffman block.
const std::vector<uint8_t> kDynamicGz = {
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff, 0x4d, 0xcc, 0x21, 0x0e, 0xc0, 0x20, 0x0c, 0x05,
    0xd0, 0x9f, 0xcd, 0x2c, 0xc1, 0x2e, 0xf5, 0x78, 0xfc, 0x7c, 0x3d, 0x1e, 0x8f, 0x9f, 0xef, 0x29, 0xf0, 0xf5,
    0x78, 0x3c, 0x1e, 0xcf, 0x29, 0xea, 0x39, 0xc1, 0x96, 0xa9, 0x89, 0x67, 0x1f, 0x70, 0xec, 0x00, 0xce, 0xd7,
    0xf6, 0x49, 0x39, 0x68, 0x57, 0x9f, 0xa2, 0x5d, 0xbc, 0x92, 0x70, 0x5f, 0x33, 0xb7, 0x1a, 0x5b, 0x97, 0x45,
    0x26, 0x4d, 0xb9, 0x94, 0xd8, 0x86, 0x12, 0x87, 0x0e, 0x54, 0xd0, 0xe4, 0x9b, 0x87, 0x5b, 0xc5, 0x4c, 0x9d,
    0xb7, 0x5b, 0x85, 0x52, 0xfc, 0x25, 0x0f, 0xe2, 0x54, 0x47, 0xd2, 0x60, 0x00, 0x00, 0x00};

const std::vector<uint8_t> kSmallData = {0, 1, 2, 3, 4, 5, 6, 7, 250, 251, 252, 255};

std::vector<uint8_t> dynamic_expected() {
  std::vector<uint8_t> v;
  for (size_t i = 0; i < 80; ++i) v.push_back(static_cast<uint8_t>(((i * i * 31 + i / 3) % 23) * 11));
  return v;
}

TEST(Idx, ParsesRawArray) {
  const auto a = parse_idx(make_idx({3, 2, 2}, kSmallData));
  EXPECT_EQ(a.dims, (std::vector<uint32_t>{3, 2, 2}));
  EXPECT_EQ(a.data, kSmallData);
}

TEST(Idx, ParsesGzippedStoredFixedAndDynamicBlocks) {
  EXPECT_EQ(parse_idx(kStoredGz).data, kSmallData);
  EXPECT_EQ(parse_idx(kFixedGz).data, kSmallData);
  const auto d = parse_idx(kDynamicGz);
  EXPECT_EQ(d.dims, (std::vector<uint32_t>{20, 2, 2}));
  EXPECT_EQ(d.data, dynamic_expected());
}

TEST(Idx, ConcatenatedGzipMembersAreJoined) {
  std::vector<uint8_t> two = kStoredGz;
  // The second member holds a raw copy of the 12 data bytes; parse the join as gzip only.
  two.insert(two.end(), kFixedGz.begin(), kFixedGz.end());
  const auto out = gunzip(two, 1 << 20);
  std::vector<uint8_t> expected = make_idx({3, 2, 2}, kSmallData);
  const auto once = expected;
  expected.insert(expected.end(), once.begin(), once.end());
  EXPECT_EQ(out, expected);
}

TEST(Idx, RejectsMalformedHeaders) {
  auto good = make_idx({3, 2, 2}, kSmallData);
  EXPECT_THROW(parse_idx(std::vector<uint8_t>{}), IdxError);
  EXPECT_THROW(parse_idx(std::vector<uint8_t>{0, 0, 8}), IdxError);
  auto bad = good;
  bad[0] = 1;
  EXPECT_THROW(parse_idx(bad), IdxError);
  bad = good;
  bad[2] = 0x0D;  // float elements
  EXPECT_THROW(parse_idx(bad), IdxError);
  bad = good;
  bad[3] = 0;
  EXPECT_THROW(parse_idx(bad), IdxError);
  bad = good;
  bad[3] = 9;
  EXPECT_THROW(parse_idx(bad), IdxError);
  bad = good;
  bad.pop_back();
  EXPECT_THROW(parse_idx(bad), IdxError);
  bad = good;
  bad.push_back(0);
  EXPECT_THROW(parse_idx(bad), IdxError);
  // Dimensions whose product overflows 64 bits or passes the limit.
  EXPECT_THROW(parse_idx(make_idx({0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu}, {})), IdxError);
  IdxLimits small;
  small.max_elements = 11;
  EXPECT_THROW(parse_idx(good, small), IdxError);
  small.max_elements = 12;
  EXPECT_NO_THROW(parse_idx(good, small));
}

TEST(Idx, EveryTruncationOfAGzipFileIsAnError) {
  for (const auto* gz : {&kStoredGz, &kFixedGz, &kDynamicGz}) {
    for (size_t n = 0; n < gz->size(); ++n) {
      const std::vector<uint8_t> cut(gz->begin(), gz->begin() + static_cast<std::ptrdiff_t>(n));
      EXPECT_THROW(parse_idx(cut), IdxError) << "prefix of " << n << " bytes";
    }
  }
}

TEST(Idx, FlippedBytesAreRejectedOrHarmless) {
  // Bytes 4..9 (mtime, extra flags, OS) carry no data; every other flip must
  // either be rejected or give the same array back. The only harmless ones are
  // the FTEXT hint bit (byte 3) and padding bits after the last DEFLATE block.
  const auto expected = parse_idx(kDynamicGz);
  const size_t last_deflate_byte = kDynamicGz.size() - 9;
  size_t rejected = 0, total = 0;
  for (size_t pos = 0; pos < kDynamicGz.size(); ++pos) {
    if (pos >= 4 && pos < 10) continue;
    for (uint8_t mask : {uint8_t{0x01}, uint8_t{0x80}, uint8_t{0xFF}}) {
      auto bad = kDynamicGz;
      bad[pos] ^= mask;
      ++total;
      try {
        const auto got = parse_idx(bad);
        EXPECT_EQ(got.data, expected.data) << "flip at " << pos << " changed the data silently";
        EXPECT_EQ(got.dims, expected.dims);
        EXPECT_TRUE((pos == 3 && mask == 0x01) || (pos == last_deflate_byte && mask == 0x80)) << "harmless flip at " << pos;
      } catch (const IdxError&) {
        ++rejected;
      }
    }
  }
  EXPECT_GE(rejected + 2, total);
}

TEST(Idx, GzipOutputLimitIsEnforced) {
  EXPECT_THROW(gunzip(kDynamicGz, 20), GzipError);
  EXPECT_NO_THROW(gunzip(kDynamicGz, 24 + 80));
  IdxLimits small;
  small.max_elements = 79;
  EXPECT_THROW(parse_idx(kDynamicGz, small), IdxError);
}

TEST(Idx, Crc32MatchesTheStandardCheckValue) {
  const std::string s = "123456789";
  EXPECT_EQ(crc32_update(0, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size())),
            0xCBF43926u);
}

TEST(Idx, JoinsImagesAndLabels) {
  auto ds = labelled_images_from_idx(parse_idx(make_idx({3, 2, 2}, kSmallData)), parse_idx(make_idx({3}, {7, 8, 9})));
  EXPECT_EQ(ds.count, 3u);
  EXPECT_EQ(ds.pixels_per_image(), 4u);
  EXPECT_EQ(ds.image(2)[3], 255);
  EXPECT_EQ(ds.labels[1], 8);
  EXPECT_THROW(labelled_images_from_idx(parse_idx(make_idx({3, 2, 2}, kSmallData)), parse_idx(make_idx({2}, {7, 8}))),
               IdxError);
  EXPECT_THROW(labelled_images_from_idx(parse_idx(make_idx({12}, kSmallData)), parse_idx(make_idx({12}, kSmallData))),
               IdxError);
  EXPECT_THROW(read_idx_file("/nonexistent/zkpot/file.idx"), IdxError);
}

TEST(CsvDataset, ParsesWithAndWithoutHeader) {
  const auto a = parse_csv_dataset("label,p0,p1,p2,p3\r\n3,0,255,7,8\r\n9,1,2,3,4\r\n");
  EXPECT_EQ(a.count, 2u);
  EXPECT_EQ(a.height, 2u);
  EXPECT_EQ(a.width, 2u);
  EXPECT_EQ(a.labels, (std::vector<uint8_t>{3, 9}));
  EXPECT_EQ(a.pixels, (std::vector<uint8_t>{0, 255, 7, 8, 1, 2, 3, 4}));
  const auto b = parse_csv_dataset("1,5,6,7\n2,8,9,10");
  EXPECT_EQ(b.count, 2u);
  EXPECT_EQ(b.height, 1u);
  EXPECT_EQ(b.width, 3u);
}

TEST(CsvDataset, RejectsMalformedRows) {
  EXPECT_THROW(parse_csv_dataset(""), CsvDatasetError);
  EXPECT_THROW(parse_csv_dataset("label,p0\n"), CsvDatasetError);
  EXPECT_THROW(parse_csv_dataset("1,256\n"), CsvDatasetError);
  EXPECT_THROW(parse_csv_dataset("1,-3\n"), CsvDatasetError);
  EXPECT_THROW(parse_csv_dataset("1,2\n1,2,3\n"), CsvDatasetError);
  EXPECT_THROW(parse_csv_dataset("1,2,,3\n"), CsvDatasetError);
  EXPECT_THROW(parse_csv_dataset("1\n"), CsvDatasetError);
  EXPECT_THROW(parse_csv_dataset("1,2\n\n1,2\n"), CsvDatasetError);
  EXPECT_THROW(parse_csv_dataset("1,2\nx,2\n"), CsvDatasetError);
  CsvLimits lim;
  lim.max_rows = 1;
  EXPECT_THROW(parse_csv_dataset("1,2\n1,2\n", lim), CsvDatasetError);
  try {
    parse_csv_dataset("1,2\n1,2,3\n");
  } catch (const CsvDatasetError& e) {
    EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos);
  }
}

TEST(DatasetFiles, ReadsIdxAndCsvFilesFromDisk) {
  const std::string dir = ::testing::TempDir();
  const std::string idx_path = dir + "/zkpot_idx_test_images.idx.gz", csv_path = dir + "/zkpot_idx_test.csv";
  {
    std::ofstream out(idx_path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(kFixedGz.data()), static_cast<std::streamsize>(kFixedGz.size()));
    std::ofstream csv(csv_path);
    csv << "label,a,b\n4,10,20\n";
  }
  EXPECT_EQ(read_idx_file(idx_path).data, kSmallData);
  IdxLimits tiny;
  tiny.max_file_bytes = 10;
  EXPECT_THROW(read_idx_file(idx_path, tiny), IdxError);
  const auto csv = read_csv_dataset(csv_path);
  EXPECT_EQ(csv.count, 1u);
  EXPECT_EQ(csv.pixels, (std::vector<uint8_t>{10, 20}));
  EXPECT_THROW(read_csv_dataset(dir + "/zkpot_no_such_file.csv"), CsvDatasetError);
  EXPECT_FALSE(fashion_mnist_available(FashionMnistSplit::kTrain, dir + "/zkpot_no_such_dir"));
  EXPECT_THROW(load_fashion_mnist(FashionMnistSplit::kTrain, dir + "/zkpot_no_such_dir"), IdxError);
  std::remove(idx_path.c_str());
  std::remove(csv_path.c_str());
}

TEST(FashionMnist, RealTestSplitHasTheDocumentedShape) {
  if (!fashion_mnist_available(FashionMnistSplit::kTest)) GTEST_SKIP() << "dataset-fashion-mnist not installed";
  const auto ds = load_fashion_mnist(FashionMnistSplit::kTest);
  EXPECT_EQ(ds.count, 10000u);
  EXPECT_EQ(ds.height, 28u);
  EXPECT_EQ(ds.width, 28u);
  // The Fashion-MNIST test set is balanced: 1000 examples of each of 10 classes.
  std::array<size_t, 256> per_class{};
  for (uint8_t l : ds.labels) ++per_class[l];
  for (size_t c = 0; c < 10; ++c) EXPECT_EQ(per_class[c], 1000u) << "class " << c;
  for (size_t c = 10; c < 256; ++c) EXPECT_EQ(per_class[c], 0u);
  const auto slice = ds.head(100);
  EXPECT_EQ(slice.count, 100u);
  EXPECT_EQ(slice.pixels.size(), 100u * 784u);
}

}  // namespace
}  // namespace zkpot::formats
