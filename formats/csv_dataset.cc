#include "formats/csv_dataset.h"

#include <cmath>

#include "formats/idx.h"

namespace zkpot::formats {

namespace {

[[noreturn]] void fail(size_t line, const std::string& what) {
  throw CsvDatasetError("CSV dataset, line " + std::to_string(line) + ": " + what);
}

// Parses one field "0".."255" (no sign, no spaces).
uint8_t parse_byte(std::string_view field, size_t line) {
  if (field.empty()) fail(line, "empty field");
  if (field.size() > 3) fail(line, "value out of range 0..255");
  unsigned v = 0;
  for (char c : field) {
    if (c < '0' || c > '9') fail(line, "not a decimal integer: '" + std::string(field) + "'");
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > 255) fail(line, "value out of range 0..255");
  return static_cast<uint8_t>(v);
}

}  // namespace

LabelledImages parse_csv_dataset(std::string_view text, const CsvLimits& limits) {
  LabelledImages out;
  size_t line_no = 0, fields_per_row = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      if (pos < text.size()) fail(line_no, "empty line");
      break;
    }
    if (line_no == 1 && !(line[0] >= '0' && line[0] <= '9')) continue;  // header
    if (out.count == limits.max_rows) fail(line_no, "more rows than the limit");
    size_t fields = 0, start = 0;
    while (true) {
      const size_t comma = line.find(',', start);
      const std::string_view field = line.substr(start, comma == std::string_view::npos ? line.size() - start
                                                                                         : comma - start);
      const uint8_t v = parse_byte(field, line_no);
      if (fields == 0) {
        out.labels.push_back(v);
      } else {
        if (fields > limits.max_pixels_per_row) fail(line_no, "more pixels than the limit");
        out.pixels.push_back(v);
      }
      ++fields;
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    if (fields < 2) fail(line_no, "a row needs a label and at least one pixel");
    if (fields_per_row == 0) fields_per_row = fields;
    if (fields != fields_per_row) fail(line_no, "row has a different number of fields");
    ++out.count;
  }
  if (out.count == 0) throw CsvDatasetError("CSV dataset: no rows");
  const size_t n = fields_per_row - 1;
  const size_t k = static_cast<size_t>(std::llround(std::sqrt(static_cast<double>(n))));
  out.height = k * k == n ? k : 1;
  out.width = k * k == n ? k : n;
  return out;
}

LabelledImages read_csv_dataset(const std::string& path, const CsvLimits& limits) {
  std::vector<uint8_t> bytes;
  try {
    bytes = read_file_bounded(path, limits.max_file_bytes);
  } catch (const IdxError& e) {
    throw CsvDatasetError(e.what());
  }
  try {
    return parse_csv_dataset(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), limits);
  } catch (const CsvDatasetError& e) {
    throw CsvDatasetError(path + ": " + e.what());
  }
}

}  // namespace zkpot::formats
