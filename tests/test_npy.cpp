// The .npy reader and writer, against byte buffers built here the way numpy lays them out.
#include <catch2/catch.hpp>

#include "temp_dir.h"
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "io/npy.h"

namespace fs = std::filesystem;
using Catch::Contains;
using Catch::StartsWith;
using convscope::NdArray;
using convscope::UserError;
using Bytes = std::vector<uint8_t>;

namespace {

// A .npy file from its header dict and raw data; the padding does not matter to a reader.
Bytes npy(std::string header, const Bytes& data = {}, uint8_t major = 1, uint8_t minor = 0) {
  header += '\n';
  Bytes out = {0x93, 'N', 'U', 'M', 'P', 'Y', major, minor};
  const int length_size = major == 1 ? 2 : 4;
  for (int i = 0; i < length_size; ++i)
    out.push_back(static_cast<uint8_t>(header.size() >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

std::string dict(const std::string& descr, const std::string& shape, bool fortran = false) {
  return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
         ", 'shape': " + shape + ", }";
}

template <typename T>
Bytes raw(std::initializer_list<T> values) {
  Bytes out(values.size() * sizeof(T));
  std::memcpy(out.data(), std::data(values), out.size());
  return out;
}

NdArray parse(const Bytes& b) { return convscope::parse_npy(b, "x.npy"); }

// Refusals are UserErrors of one line that start with the file name.
void require_refused(const Bytes& b, const std::string& fragment) {
  REQUIRE_THROWS_AS(parse(b), UserError);
  REQUIRE_THROWS_WITH(parse(b), StartsWith("x.npy: ") && Contains(fragment) && !Contains("\n"));
}

// Parses a 1D array of the given dtype holding `values`.
template <typename T>
std::vector<float> floats(const std::string& descr, std::initializer_list<T> values) {
  const std::string shape = "(" + std::to_string(values.size()) + ",)";
  return parse(npy(dict(descr, shape), raw(values))).data;
}

using convscope::test::TempDir;

NdArray counting(std::vector<int64_t> shape) {
  NdArray a(std::move(shape));
  for (size_t i = 0; i < a.size(); ++i) a.data[i] = static_cast<float>(i) * 0.5f - 3.0f;
  return a;
}

}  // namespace

TEST_CASE("encode then parse gives back the array", "[npy]") {
  for (const auto& shape : std::vector<std::vector<int64_t>>{
           {}, {1}, {5}, {2, 3}, {0, 4}, {2, 0}, {1, 2, 3, 4}, {3, 1, 7, 5, 2}}) {
    const NdArray a = counting(shape);
    const NdArray b = parse(convscope::encode_npy(a));
    CHECK(b.shape == a.shape);
    CHECK(b.data == a.data);
  }
}

TEST_CASE("encode lays the file out as np.save does", "[npy]") {
  const Bytes b = convscope::encode_npy(counting({2, 3}));
  REQUIRE(b.size() > 10);
  CHECK(std::string(b.begin(), b.begin() + 6) == "\x93NUMPY");
  CHECK(b[6] == 1);
  CHECK(b[7] == 0);
  const size_t header_size = b[8] | (b[9] << 8);
  CHECK((10 + header_size) % 64 == 0);
  CHECK(b.size() == 10 + header_size + 6 * 4);
  const std::string header(b.begin() + 10, b.begin() + 10 + static_cast<long>(header_size));
  CHECK_THAT(header, StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"));
  CHECK(header.back() == '\n');
  const auto text = [](const Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); };
  CHECK_THAT(text(convscope::encode_npy(NdArray({5}))), Contains("'shape': (5,), }"));
  CHECK_THAT(text(convscope::encode_npy(NdArray(std::vector<int64_t>{}))),
             Contains("'shape': (), }"));
}

TEST_CASE("encode refuses data that does not match the shape", "[npy]") {
  NdArray a({2, 3});
  a.data.pop_back();
  REQUIRE_THROWS_AS(convscope::encode_npy(a), convscope::Error);
  REQUIRE_THROWS_WITH(convscope::encode_npy(a), Contains("(2, 3)") && Contains("5"));
}

TEST_CASE("float dtypes are read and cast to float32", "[npy]") {
  const float inf = std::numeric_limits<float>::infinity();
  CHECK(floats<float>("<f4", {1.5f, -2.25f, 3e38f, -inf}) ==
        std::vector<float>{1.5f, -2.25f, 3e38f, -inf});
  CHECK(floats<double>("<f8", {0.1, -2.5, 1e-3, 65536.0}) ==
        std::vector<float>{0.1f, -2.5f, 1e-3f, 65536.0f});
  // Half: one, minus two, the largest finite, the smallest and largest subnormals, -0, a third.
  const std::vector<float> h = floats<uint16_t>(
      "<f2", {0x3c00, 0xc000, 0x7bff, 0x0001, 0x03ff, 0x8000, 0x3555, 0x7c00, 0xfc00});
  CHECK(h == std::vector<float>{1.0f, -2.0f, 65504.0f, std::ldexp(1.0f, -24),
                                1023 * std::ldexp(1.0f, -24), -0.0f, 0.333251953125f, inf, -inf});
  CHECK(std::signbit(h[5]));
  CHECK(std::isnan(floats<uint16_t>("<f2", {0x7e00})[0]));
  CHECK(std::isnan(floats<float>("<f4", {std::nanf("")})[0]));
}

TEST_CASE("integer and bool dtypes are read and cast to float32", "[npy]") {
  CHECK(floats<int8_t>("|i1", {-128, 127, 0}) == std::vector<float>{-128, 127, 0});
  CHECK(floats<int16_t>("<i2", {-32768, 32767}) == std::vector<float>{-32768, 32767});
  CHECK(floats<int32_t>("<i4", {-2147483647 - 1, 123456}) ==
        std::vector<float>{-2147483648.0f, 123456});
  CHECK(floats<int64_t>("<i8", {-(int64_t{1} << 40), 7}) ==
        std::vector<float>{-1099511627776.0f, 7});
  CHECK(floats<uint8_t>("|u1", {0, 255}) == std::vector<float>{0, 255});
  CHECK(floats<uint16_t>("<u2", {65535, 1}) == std::vector<float>{65535, 1});
  CHECK(floats<uint32_t>("<u4", {4294967295u}) == std::vector<float>{4294967296.0f});
  CHECK(floats<uint64_t>("<u8", {uint64_t{1} << 63}) == std::vector<float>{9223372036854775808.0f});
  CHECK(floats<uint8_t>("|b1", {0, 1, 0, 1}) == std::vector<float>{0, 1, 0, 1});
}

TEST_CASE("byte-order characters that mean native or do not matter are accepted", "[npy]") {
  CHECK(floats<float>("=f4", {2.5f}) == std::vector<float>{2.5f});
  CHECK(floats<int64_t>("=i8", {-9}) == std::vector<float>{-9});
  CHECK(floats<int8_t>("<i1", {-3}) == std::vector<float>{-3});
  CHECK(floats<int8_t>(">i1", {-3}) == std::vector<float>{-3});
  CHECK(floats<uint8_t>(">u1", {200}) == std::vector<float>{200});
  CHECK(floats<uint8_t>("<b1", {1}) == std::vector<float>{1});
}

TEST_CASE("header dicts are parsed whatever their spelling", "[npy]") {
  const Bytes data = raw<float>({1, 2});
  for (const std::string header :
       {"{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2,), }",
        "{'shape': (2,), 'fortran_order': False, 'descr': '<f4'}",
        "{'descr':'<f4','fortran_order':False,'shape':(2,)}",
        "{ 'descr' : '<f4' ,\t'fortran_order' : False , 'shape' : ( 2 , ) , }    ",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2L,), }"}) {
    INFO(header);
    const NdArray a = parse(npy(header, data));
    CHECK(a.shape == std::vector<int64_t>{2});
    CHECK(a.data == std::vector<float>{1, 2});
  }
  CHECK(parse(npy(dict("<f4", "(1L, 2L)"), data)).shape == std::vector<int64_t>{1, 2});
}

TEST_CASE("format versions 2.0 and 3.0 have a 4-byte header length", "[npy]") {
  for (uint8_t major : {2, 3}) {
    const NdArray a = parse(npy(dict("<f4", "(2, 1)"), raw<float>({4, 5}), major));
    CHECK(a.shape == std::vector<int64_t>{2, 1});
    CHECK(a.data == std::vector<float>{4, 5});
  }
}

TEST_CASE("fortran order is transposed into C order", "[npy]") {
  // [[0, 1, 2], [3, 4, 5]] stored first axis fastest.
  const NdArray a = parse(npy(dict("<f4", "(2, 3)", true), raw<float>({0, 3, 1, 4, 2, 5})));
  CHECK(a.shape == std::vector<int64_t>{2, 3});
  CHECK(a.data == std::vector<float>{0, 1, 2, 3, 4, 5});

  // Element (i, j, k) = 12 i + 4 j + k lies at Fortran offset i + 2 j + 6 k.
  std::vector<int16_t> f(24);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k) f[i + 2 * j + 6 * k] = static_cast<int16_t>(12 * i + 4 * j + k);
  Bytes data(f.size() * 2);
  std::memcpy(data.data(), f.data(), data.size());
  const NdArray b = parse(npy(dict("<i2", "(2, 3, 4)", true), data));
  for (size_t n = 0; n < 24; ++n) CHECK(b.data[n] == static_cast<float>(n));

  CHECK(parse(npy(dict("<f4", "()", true), raw<float>({7}))).data == std::vector<float>{7});
}

TEST_CASE("scalars, one-element and empty shapes", "[npy]") {
  const NdArray scalar = parse(npy(dict("<f8", "()"), raw<double>({3.25})));
  CHECK(scalar.rank() == 0);
  CHECK(scalar.data == std::vector<float>{3.25f});
  const NdArray one = parse(npy(dict("<f4", "(1, 1, 1)"), raw<float>({-1})));
  CHECK(one.shape == std::vector<int64_t>{1, 1, 1});
  CHECK(one.data == std::vector<float>{-1});
  const NdArray empty = parse(npy(dict("<f4", "(2, 0)")));
  CHECK(empty.shape == std::vector<int64_t>{2, 0});
  CHECK(empty.size() == 0);
}

TEST_CASE("files that are not .npy are refused", "[npy]") {
  require_refused({}, "empty");
  require_refused({'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0}, "not a .npy file");
  require_refused({0x93, 'N', 'U', 'M'}, "not a .npy file");
  Bytes preamble_only = npy(dict("<f4", "()"));
  preamble_only.resize(9);
  require_refused(preamble_only, "truncated header");
  Bytes short_header = npy(dict("<f4", "(2,)"), {});
  short_header.resize(30);
  require_refused(short_header, "truncated header");
}

TEST_CASE("unsupported format versions are refused", "[npy]") {
  require_refused(npy(dict("<f4", "()"), raw<float>({1}), 4), "version 4.0");
  require_refused(npy(dict("<f4", "()"), raw<float>({1}), 1, 1), "version 1.1");
  require_refused(npy(dict("<f4", "()"), raw<float>({1}), 0), "1.0, 2.0 and 3.0");
}

TEST_CASE("malformed header dicts are refused", "[npy]") {
  require_refused(npy("[1, 2]"), "not a Python dict");
  require_refused(npy("{'descr': '<f4', 'fortran_order': False"), "not a Python dict");
  require_refused(npy("{'descr': '<f4} "), "closing quote");
  require_refused(npy("{'descr': '<f4', 'shape': (), } trailing"), "not a Python dict");
  require_refused(npy("{'descr': '<f4', 'shape': (2,), }", raw<float>({1, 2})),
                  "lacks the 'fortran_order' key");
  require_refused(npy("{'descr': '<f4', 'fortran_order': False}"), "lacks the 'shape' key");
  require_refused(npy("{'fortran_order': False, 'shape': ()}"), "lacks the 'descr' key");
  require_refused(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (), 'x': 1}"),
                  "unexpected key 'x'");
  require_refused(npy("{'descr': '<f4', 'fortran_order': 0, 'shape': ()}"), "True or False");
  require_refused(npy(dict("<f4", "5")), "tuple of integers");
  require_refused(npy(dict("<f4", "('a',)")), "tuple of integers");
  require_refused(npy("{'descr': " + std::string(100000, '[') + "}", {}, 2), "nested");
}

TEST_CASE("big-endian and non-numeric dtypes are refused by name", "[npy]") {
  require_refused(npy(dict(">f4", "(1,)"), raw<float>({1})), "big-endian '>f4'");
  require_refused(npy(dict(">f4", "(1,)"), raw<float>({1})), "astype('<f4')");
  require_refused(npy(dict(">i8", "(1,)"), raw<int64_t>({1})), "astype('<i8')");
  require_refused(npy(dict(">f2", "(1,)"), raw<uint16_t>({1})), "big-endian");
  for (const std::string descr : {"<c8", "<c16", "|O", "|S5", "<U3", "|V8", "<M8[ns]", "<f16"}) {
    require_refused(npy(dict(descr, "(1,)"), Bytes(16)), "unsupported dtype '" + descr + "'");
  }
  require_refused(npy("{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, "
                      "'shape': (1,)}",
                      Bytes(8)),
                  "structured dtype [('a', '<f4'), ('b', '<i4')]");
}

TEST_CASE("data that does not match the shape is refused", "[npy]") {
  require_refused(npy(dict("<f4", "(2, 3)"), Bytes(20)),
                  "truncated: shape (2, 3) of <f4 needs 24 bytes of data, file has 20");
  require_refused(npy(dict("<f4", "(2, 3)"), Bytes(28)), "4 unexpected bytes after the data");
  require_refused(npy(dict("<f4", "(2, -1)"), Bytes(8)), "negative dimension -1");
  require_refused(npy(dict("<f4", "(4294967296, 4294967296)")), "too many elements");
  require_refused(npy(dict("<f4", "(99999999999999999999,)")), "too large");
}

TEST_CASE("write_npy then read_npy through a file", "[npy]") {
  TempDir dir;
  const fs::path path = dir.path / "a.npy";
  const NdArray a = counting({3, 4, 2});
  convscope::write_npy(path, a);
  NdArray b = convscope::read_npy(path);
  CHECK(b.shape == a.shape);
  CHECK(b.data == a.data);

  // Overwriting replaces the file and leaves no temporary beside it.
  convscope::write_npy(path, counting({2}));
  b = convscope::read_npy(path);
  CHECK(b.shape == std::vector<int64_t>{2});
  CHECK(dir.entries() == 1);
}

TEST_CASE("write_npy failures throw and leave no file", "[npy]") {
  TempDir dir;
  const fs::path missing = dir.path / "no_such_dir" / "a.npy";
  REQUIRE_THROWS_AS(convscope::write_npy(missing, counting({2})), convscope::Error);
  REQUIRE_THROWS_WITH(convscope::write_npy(missing, counting({2})), Contains(missing.string()));
  CHECK_FALSE(fs::exists(missing));
  CHECK(dir.entries() == 0);

  // Renaming over a directory fails after the data was written: the temporary must go.
  fs::create_directory(dir.path / "taken.npy");
  REQUIRE_THROWS_AS(convscope::write_npy(dir.path / "taken.npy", counting({2})), convscope::Error);
  CHECK(dir.entries() == 1);
}

TEST_CASE("read_npy refuses missing and unreadable files", "[npy]") {
  TempDir dir;
  const fs::path missing = dir.path / "missing.npy";
  REQUIRE_THROWS_AS(convscope::read_npy(missing), UserError);
  REQUIRE_THROWS_WITH(convscope::read_npy(missing),
                      StartsWith(missing.string() + ": cannot open: ") && Contains("No such file"));
  REQUIRE_THROWS_AS(convscope::read_npy(dir.path), UserError);
  const fs::path empty = dir.path / "empty.npy";
  convscope::write_npy(empty, counting({1}));
  fs::resize_file(empty, 0);
  REQUIRE_THROWS_WITH(convscope::read_npy(empty),
                      StartsWith(empty.string() + ": ") && Contains("empty"));
}
