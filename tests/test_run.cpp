// `convscope run`: for every bundled preset on the default image, one mosaic and one .npy
// per layer and an index.html that links them; a folder of images gets one report each.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_run.h"
#include "io/image.h"
#include "io/json_file.h"
#include "io/npy.h"
#include "model/parse_pipeline.h"

using namespace convscope;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const fs::path kAssets = fs::path(CONVSCOPE_SOURCE_DIR) / "assets";

}  // namespace

TEST_CASE("convscope run writes a mosaic, activations and index.html for every preset", "[run][cli]") {
  std::vector<fs::path> presets;
  for (const auto& e : fs::directory_iterator(kAssets / "pipelines"))
    if (e.path().extension() == ".json") presets.push_back(e.path());
  REQUIRE(presets.size() >= 8);
  for (const auto& preset : presets) {
    INFO("preset " << preset.filename());
    const fs::path out = test::scratch_dir("run-" + preset.stem().string());
    const auto r = test::run_cli("run " + test::quoted(preset) + " --image " + test::quoted(kAssets / "images/default.png") +
                                 " --out " + test::quoted(out));
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    const Model model = parse_pipeline(read_json(preset));
    const std::string html = slurp(out / "index.html");
    CHECK_THAT(html, Catch::Contains("<html") && Catch::Contains("00_input.png"));
    int layer_number = 1;
    for (const Layer* layer : model.distinct_layers()) {
      INFO("layer " << layer->name());
      const std::string stem = fmt::format("{:02}_{}", layer_number++, layer->name());
      const fs::path png = out / (stem + ".png");
      const fs::path npy = out / (stem + ".npy");
      REQUIRE(fs::exists(png));
      REQUIRE(fs::exists(npy));
      CHECK_THAT(html, Catch::Contains(png.filename().string()) && Catch::Contains(layer->name()));
      CHECK(load_image(png).shape[1] > 0);
      CHECK(read_npy(npy).shape.front() == 1);  // batch of one image
    }
  }
}

TEST_CASE("convscope run on a folder writes one report per image", "[run][cli]") {
  const fs::path images = test::scratch_dir("run-folder-in");
  fs::copy_file(kAssets / "images/default.png", images / "astronaut.png");
  fs::copy_file(kAssets / "images/coffee.png", images / "coffee.png");
  std::ofstream(images / "notes.txt") << "not an image";
  const fs::path out = test::scratch_dir("run-folder-out");
  const auto r = test::run_cli("run " + test::quoted(kAssets / "pipelines/edges.json") + " --image " + test::quoted(images) +
                               " --out " + test::quoted(out));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(fs::exists(out / "astronaut" / "index.html"));
  CHECK(fs::exists(out / "coffee" / "index.html"));
  CHECK(!fs::exists(out / "notes"));
  CHECK_THAT(r.out, Catch::Contains("2 images"));
}

TEST_CASE("convscope run refuses a missing image and a model that is not 2D", "[run][cli]") {
  const fs::path out = test::scratch_dir("run-bad");
  const auto missing = test::run_cli("run " + test::quoted(kAssets / "pipelines/edges.json") + " --image /no/such.png --out " +
                                     test::quoted(out));
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("/no/such.png"));
  std::ofstream(out / "conv1d.json") << R"({"class_name": "Conv1D", "config": {"name": "c", "filters": 1, "kernel_size": 3}})";
  const auto one_d = test::run_cli("run " + test::quoted(out / "conv1d.json") + " --image " +
                                   test::quoted(kAssets / "images/default.png") + " --out " + test::quoted(out / "o"));
  CHECK(one_d.exit_code == 2);
  CHECK_THAT(one_d.err, Catch::Contains("1D layer"));
}
