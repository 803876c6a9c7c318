// The CLI contract: `devices` lists what it sees; `eval` writes the layer's output or exits
// 2 with one line naming the layer, argument and reason, and leaves no output file; `demo`
// writes feature-map PNGs.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "cli_run.h"
#include "io/image.h"
#include "io/npy.h"
#include "layer_check.h"

using namespace convscope;
namespace fs = std::filesystem;

namespace {

using test::require_one_line_error;
using test::write_text;

}  // namespace

TEST_CASE("convscope devices lists the device it selects", "[cli]") {
  const auto r = test::run_cli("devices");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("<- selected") != std::string::npos);
  CHECK(r.out.find("subgroup size") != std::string::npos);
  CHECK(r.out.find("max workgroup count") != std::string::npos);
  CHECK(r.out.find("max storage buffer") != std::string::npos);
  const auto j = test::run_cli("devices --json");
  REQUIRE(j.exit_code == 0);
  CHECK(j.out.find("\"selected\": true") != std::string::npos);
  CHECK(test::run_cli("--device no-such-gpu devices").exit_code == 2);
}

TEST_CASE("convscope eval writes the layer output as float32 .npy", "[cli]") {
  const fs::path dir = test::scratch_dir("eval-ok");
  const NdArray x = test::random_array({2, 3, 5, 4}, 5);  // channels_first: (N, C, H, W)
  write_npy(dir / "x.npy", x);
  write_text(dir / "pad.json",
             R"({"class_name": "ZeroPadding2D", "config": {"padding": [[1, 0], [0, 2]], "data_format": "channels_first"}})");
  const auto r = test::run_cli("eval " + test::quoted(dir / "pad.json") + " " + test::quoted(dir / "x.npy") + " -o " +
                               test::quoted(dir / "y.npy"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const NdArray y = read_npy(dir / "y.npy");
  REQUIRE(y.shape == std::vector<int64_t>{2, 3, 6, 6});
  for (int n = 0; n < 2; ++n)
    for (int c = 0; c < 3; ++c)
      for (int h = 0; h < 6; ++h)
        for (int w = 0; w < 6; ++w) {
          const bool inside = h >= 1 && w < 4;
          const float expected = inside ? x.data[((n * 3 + c) * 5 + (h - 1)) * 4 + w] : 0.0f;
          REQUIRE(y.data[((n * 3 + c) * 6 + h) * 6 + w] == expected);
        }
}

TEST_CASE("convscope eval refuses bad input with exit 2, one line and no output file", "[cli]") {
  const fs::path dir = test::scratch_dir("eval-bad");
  write_npy(dir / "x.npy", test::random_array({1, 6, 5, 2}, 1));
  write_npy(dir / "x3.npy", test::random_array({6, 5, 2}, 1));
  write_text(dir / "corrupt.npy", "\x93NUMPY garbage");
  write_text(dir / "crop.json", R"({"class_name": "Cropping2D", "config": {"name": "c", "cropping": [[3, 3], 0]}})");
  write_text(dir / "neg.json", R"({"class_name": "Cropping2D", "config": {"name": "c", "cropping": [-1, 0]}})");
  write_text(dir / "unknown.json", R"({"class_name": "Cropping4D", "config": {}})");
  write_text(dir / "bad.json", R"({"class_name": "Cropping2D", "config": {"cropping": [1, 1]})");
  write_text(dir / "ok.json", R"({"class_name": "Cropping2D", "config": {"name": "c", "cropping": 1}})");
  const fs::path out = dir / "y.npy";
  auto eval = [&](const std::string& spec, const std::string& input, const std::string& extra = "") {
    return test::run_cli("eval " + test::quoted(dir / spec) + " " + test::quoted(dir / input) + " " + extra + " -o " +
                         test::quoted(out));
  };
  require_one_line_error(eval("crop.json", "x.npy"), "Cropping2D 'c': cropping: (3, 3) removes all 6 rows");
  require_one_line_error(eval("neg.json", "x.npy"), "Cropping2D 'c': cropping: (-1, 0) has a negative value");
  require_one_line_error(eval("unknown.json", "x.npy"), "Cropping4D: unknown layer class");
  require_one_line_error(eval("bad.json", "x.npy"), "invalid JSON at line 1");
  require_one_line_error(eval("missing.json", "x.npy"), "missing.json: cannot open");
  require_one_line_error(eval("ok.json", "x3.npy"), "expects 4 dimensions");
  require_one_line_error(eval("ok.json", "corrupt.npy"), "corrupt.npy");
  require_one_line_error(eval("ok.json", "x.npy", test::quoted(dir / "x.npy")), "Cropping2D 'c': weights: the layer takes no weights, 1 array was given");
  require_one_line_error(test::run_cli("eval " + test::quoted(dir / "ok.json")), "input is required");
  CHECK(!fs::exists(out));
  // A valid run next to them succeeds, so the refusals above are about the input.
  CHECK(eval("ok.json", "x.npy").exit_code == 0);
  CHECK(fs::exists(out));
}

TEST_CASE("convscope demo writes a feature-map PNG per layer of the default pipeline", "[cli][demo]") {
  const fs::path dir = test::scratch_dir("demo");
  const auto r = test::run_cli("demo --out " + test::quoted(dir));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("index.html") != std::string::npos);
  CHECK(fs::exists(dir / "index.html"));
  std::vector<fs::path> pngs;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".png") pngs.push_back(e.path());
  REQUIRE(pngs.size() >= 2);  // the input and at least one layer
  for (const auto& p : pngs) {
    const NdArray img = load_image(p);
    CHECK(img.shape[1] >= 32);
    CHECK(img.shape[2] >= 32);
  }
}

TEST_CASE("convscope eval refuses invalid convolutions and warns where Keras would refuse", "[cli][conv]") {
  const fs::path dir = test::scratch_dir("eval-conv");
  write_npy(dir / "x.npy", test::random_array({1, 8, 3}, 1));  // Conv1D input (N, steps, C)
  write_npy(dir / "k.npy", test::random_array({3, 3, 2}, 2));
  write_npy(dir / "k_wrong.npy", test::random_array({3, 2, 3}, 2));
  write_npy(dir / "b.npy", test::random_array({2}, 3));
  write_text(dir / "conv.json", R"({"class_name": "Conv1D", "config": {"name": "c", "filters": 2, "kernel_size": 3}})");
  write_text(dir / "dilated.json", R"({"class_name": "Conv1D", "config": {"name": "c", "filters": 2, "kernel_size": 3,
                                        "strides": 2, "dilation_rate": 2}})");
  write_text(dir / "op.json", R"({"class_name": "Conv1DTranspose", "config": {"name": "t", "filters": 2, "kernel_size": 3,
                                   "strides": 2, "output_padding": 2}})");
  write_text(dir / "act.json", R"({"class_name": "Conv1D", "config": {"name": "c", "filters": 2, "kernel_size": 3,
                                    "activation": "swishy"}})");
  const fs::path out = dir / "y.npy";
  auto eval = [&](const std::string& spec, const std::string& weights) {
    return test::run_cli("eval " + test::quoted(dir / spec) + " " + test::quoted(dir / "x.npy") + " " + weights +
                         " -o " + test::quoted(out));
  };
  const std::string k = test::quoted(dir / "k.npy"), b = test::quoted(dir / "b.npy");
  require_one_line_error(eval("conv.json", k), "Conv1D 'c': weights: expected 2 arrays");
  require_one_line_error(eval("conv.json", test::quoted(dir / "k_wrong.npy") + " " + b),
                         "array 0 has shape (3, 2, 3), expected (3, 3, 2)");
  require_one_line_error(eval("op.json", k + " " + b), "Conv1DTranspose 't': output_padding");
  require_one_line_error(eval("act.json", k + " " + b), "Conv1D 'c': activation: 'swishy'");
  CHECK(!fs::exists(out));

  // Without weights: Keras' initialisation, said on stderr.
  const auto initialised = eval("conv.json", "");
  CHECK(initialised.exit_code == 0);
  CHECK(initialised.err.find("note: no weights given: kernels initialised glorot_uniform") != std::string::npos);
  CHECK(fs::exists(out));
  fs::remove(out);

  const auto warned = eval("dilated.json", k + " " + b);
  CHECK(warned.exit_code == 0);
  CHECK(warned.err.find("warning: Conv1D 'c': strides > 1 together with dilation_rate > 1") != std::string::npos);
  CHECK(fs::exists(out));
}
