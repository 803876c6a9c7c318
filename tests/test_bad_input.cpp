// Every class of bad input in docs/RELIABILITY.md, through the CLI as a user meets it: exit
// code 2, one line naming what and why, and no output file. float64 and integer inputs are
// accepted and cast to float32, as Keras does. Keep this table and the document's in step.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_run.h"
#include "gpu.h"
#include "io/npy.h"
#include "layer_check.h"
#include "vk/device_tensor.h"

using namespace convscope;
namespace fs = std::filesystem;

namespace {

const std::string kConv = R"('{"class_name": "Conv2D", "config": {"name": "c", "filters": 4, "kernel_size": 3}}')";

std::string bytes_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A .npy header for `descr` and `shape` followed by `data_bytes` zero bytes.
std::string npy_with(const std::string& descr, const std::string& shape, size_t data_bytes) {
  std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string out = std::string("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  return out + header + std::string(data_bytes, '\0');
}

}  // namespace

TEST_CASE("every class of bad input is refused with exit 2, one line and no output file", "[cli][reliability]") {
  const fs::path dir = test::scratch_dir("bad-input");
  write_npy(dir / "x.npy", test::random_array({1, 8, 8, 3}, 1));
  write_npy(dir / "k.npy", test::random_array({3, 3, 3, 4}, 2));
  write_npy(dir / "b.npy", test::random_array({4}, 3));
  write_npy(dir / "k5.npy", test::random_array({3, 3, 3, 5}, 4));
  write_npy(dir / "x2d.npy", test::random_array({8, 8}, 5));
  write_npy(dir / "x5.npy", test::random_array({1, 8, 8, 5}, 6));
  const std::string npy = bytes_of(dir / "x.npy");
  test::write_text(dir / "empty.npy", "");
  test::write_text(dir / "truncated.npy", npy.substr(0, npy.size() / 2));
  test::write_text(dir / "not.npy", "PK\x03\x04 a zip, not an array");
  test::write_text(dir / "header.npy", npy_with("<f4", "(1, 8, 8", 768));
  test::write_text(dir / "big_endian.npy", npy_with(">f4", "(1, 8, 8, 3)", 768));
  test::write_text(dir / "complex.npy", npy_with("<c8", "(1, 8, 8, 3)", 1536));
  test::write_text(dir / "control.npy", npy_with("<f4\n\x01", "(1, 8, 8, 3)", 768));  // stays one line
  const std::string png = bytes_of(fs::path(CONVSCOPE_SOURCE_DIR) / "assets/images/coffee.png");
  test::write_text(dir / "empty.png", "");
  test::write_text(dir / "truncated.png", png.substr(0, png.size() / 3));
  test::write_text(dir / "corrupt.png", png.substr(0, 16) + std::string(4096, '\x55'));
  test::write_text(dir / "malformed.json", R"({"class_name": "Conv2D", "config": {)");
  const fs::path out = dir / "out.npy", out_dir = dir / "out";
  const std::string pipeline = test::quoted(fs::path(CONVSCOPE_SOURCE_DIR) / "assets/pipelines/default.json");

  auto eval = [&](const std::string& spec, const std::string& input, const std::string& weights = "") {
    return test::run_cli("eval " + spec + " " + test::quoted(dir / input) + " " + weights + " -o " + test::quoted(out));
  };
  auto run_image = [&](const std::string& image) {
    return test::run_cli("run " + pipeline + " --image " + test::quoted(dir / image) + " --out " + test::quoted(out_dir));
  };
  const std::string kb = test::quoted(dir / "k.npy") + " " + test::quoted(dir / "b.npy");

  struct Case {
    const char* what;
    test::CliResult result;
    const char* words;
  };
  const std::vector<Case> cases = {
      {"zero-byte .npy", eval(kConv, "empty.npy", kb), "empty.npy: file is empty (0 bytes)"},
      {"truncated .npy", eval(kConv, "truncated.npy", kb), "truncated.npy: truncated"},
      {"not a .npy", eval(kConv, "not.npy", kb), "not.npy: not a .npy file"},
      {"bad .npy header", eval(kConv, "header.npy", kb), "header.npy"},
      {"big-endian .npy", eval(kConv, "big_endian.npy", kb), "big-endian '>f4' is not supported"},
      {"unsupported dtype", eval(kConv, "complex.npy", kb), "unsupported dtype '<c8'"},
      {"control bytes in the header", eval(kConv, "control.npy", kb), "'<f4\\x0a\\x01'"},
      {"wrong rank", eval(kConv, "x2d.npy", kb), "expects 4 dimensions"},
      {"wrong channel count", eval(kConv, "x5.npy", kb), "expected (3, 3, 5, 4)"},
      {"weights in the wrong order", eval(kConv, "x.npy", test::quoted(dir / "b.npy") + " " + test::quoted(dir / "k.npy")),
       "array 0 has shape (4,), expected (3, 3, 3, 4)"},
      {"weights one short", eval(kConv, "x.npy", test::quoted(dir / "k.npy")), "expected 2 arrays"},
      {"weights one too many", eval(kConv, "x.npy", kb + " " + test::quoted(dir / "b.npy")), "expected 2 arrays"},
      {"weights of the wrong shape", eval(kConv, "x.npy", test::quoted(dir / "k5.npy") + " " + test::quoted(dir / "b.npy")),
       "array 0 has shape (3, 3, 3, 5), expected (3, 3, 3, 4)"},
      {"missing file", eval(kConv, "nothere.npy", kb), "nothere.npy: cannot open"},
      {"malformed JSON", eval(test::quoted(dir / "malformed.json"), "x.npy"), "invalid JSON at line 1"},
      {"unknown layer class", eval(R"('{"class_name": "Conv5D", "config": {}}')", "x.npy"), "Conv5D: unknown layer class"},
      {"wrong value type", eval(R"('{"class_name": "Conv2D", "config": {"filters": "four", "kernel_size": 3}}')", "x.npy"),
       "filters: 'four' is not an integer"},
      {"zero size", eval(R"('{"class_name": "Conv2D", "config": {"filters": 0, "kernel_size": 3}}')", "x.npy"),
       "filters: 0 must be 1 or more"},
      {"negative size", eval(R"('{"class_name": "Conv2D", "config": {"filters": 4, "kernel_size": -3}}')", "x.npy"),
       "kernel_size: -3 must be 1 or more"},
      {"impossible shape", eval(R"('{"class_name": "Cropping2D", "config": {"cropping": 4}}')", "x.npy"),
       "removes all 8 rows"},
      {"tensor over one storage buffer",
       eval(R"('{"class_name": "UpSampling2D", "config": {"size": 2000}}')", "x.npy"), "one storage buffer may hold"},
      {"weights too large to make",
       eval(R"('{"class_name": "Conv2D", "config": {"filters": 50000, "kernel_size": 50000, "padding": "same"}}')", "x.npy"),
       "weights: an array of shape (50000, 50000, 3, 50000) would hold 3.75e+14 elements"},
      {"zero-byte image", run_image("empty.png"), "empty.png: cannot read image"},
      {"truncated image", run_image("truncated.png"), "truncated.png: cannot read image"},
      {"corrupt image", run_image("corrupt.png"), "corrupt.png: cannot read image"},
      {"not an image", run_image("x.npy"), "x.npy: cannot read image"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    test::require_one_line_error(c.result, c.words);
    CHECK(!fs::exists(out));
    CHECK(!fs::exists(out_dir));
  }
}

TEST_CASE("float64 and integer inputs are accepted and cast to float32", "[cli][reliability]") {
  const fs::path dir = test::scratch_dir("cast-input");
  const NdArray x = test::random_array({1, 6, 6, 2}, 7);
  write_npy(dir / "x.npy", x);
  // The same values as float64, and small integers as int32 (the npy writer is float32, so
  // the files are written here byte by byte).
  std::string f64 = npy_with("<f8", "(1, 6, 6, 2)", 0), i32 = npy_with("<i4", "(1, 6, 6, 2)", 0);
  for (float v : x.data) {
    const double d = v;
    const int32_t k = static_cast<int32_t>(v * 10.0f);
    f64.append(reinterpret_cast<const char*>(&d), 8);
    i32.append(reinterpret_cast<const char*>(&k), 4);
  }
  test::write_text(dir / "x64.npy", f64);
  test::write_text(dir / "xi.npy", i32);
  const std::string crop = R"('{"class_name": "Cropping2D", "config": {"cropping": 1}}')";
  for (const char* name : {"x.npy", "x64.npy", "xi.npy"}) {
    INFO(name);
    const auto r = test::run_cli("eval " + crop + " " + test::quoted(dir / name) + " -o " + test::quoted(dir / "y.npy"));
    REQUIRE(r.exit_code == 0);
    const NdArray y = read_npy(dir / "y.npy");
    REQUIRE(y.shape == std::vector<int64_t>{1, 4, 4, 2});
    const float scale = std::string(name) == "xi.npy" ? 10.0f : 1.0f;
    const float v = x.data[(1 * 6 + 1) * 2];  // input (0, 1, 1, 0) is output (0, 0, 0, 0)
    CHECK(y.data[0] == (scale == 1.0f ? v : static_cast<float>(static_cast<int32_t>(v * 10.0f))));
  }
}

TEST_CASE("tensors that would not fit the device's memory in all are refused before allocation", "[vk][reliability]") {
  vk::Context& ctx = test::gpu();
  // Buffers each just under the per-buffer limit, one more than the device memory holds.
  const uint64_t per = ctx.info().max_storage_buffer_range / 4 - 1024;
  const uint64_t count = ctx.info().device_local_memory / (per * 4) + 2;
  std::vector<PlannedTensor> planned;
  for (uint64_t i = 0; i < count; ++i) {
    Shape s;
    s.w = static_cast<int64_t>(per);
    planned.push_back({s, "layer " + std::to_string(i)});
  }
  REQUIRE_THROWS_WITH(check_fits_device(ctx, planned), Catch::Contains("MiB in all") && Catch::Contains("device memory"));
  planned.resize(1);
  CHECK_NOTHROW(check_fits_device(ctx, planned));
  Shape too_big;
  too_big.w = static_cast<int64_t>(ctx.info().max_storage_buffer_range / 4 + 1);
  REQUIRE_THROWS_WITH(check_fits_device(ctx, {{too_big, "wide"}}), Catch::Contains("wide: a tensor of shape"));
}
