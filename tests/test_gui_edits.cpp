// The app survives every edit, as a new user makes them, in real windows under Xvfb: a layer
// that does not fit shows why and the app goes on; grayscale keeps the kernels; a tensor beyond
// the device is refused under its parameter; a photo larger than the device opens downscaled;
// channels_first pipelines show the summary's shapes; bad script lines name their line.
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <sstream>

#include "cli_run.h"
#include "gui_run.h"
#include "io/image.h"
#include "io/json_file.h"

using namespace convscope;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// A smooth picture of `w` x `h`, written as a PNG.
fs::path write_picture(const fs::path& path, int w, int h) {
  Rgb8Image img{w, h, std::vector<uint8_t>(static_cast<size_t>(w) * h * 3)};
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      uint8_t* p = &img.rgb[(static_cast<size_t>(y) * w + x) * 3];
      p[0] = static_cast<uint8_t>(x * 255 / w), p[1] = static_cast<uint8_t>(y * 255 / h), p[2] = 128;
    }
  write_png(path, img);
  return path;
}

}  // namespace

TEST_CASE("a layer that does not fit shows its message, the layers after it wait, the app goes on", "[app]") {
  const fs::path dir = test::scratch_dir("gui-misfit");
  write_picture(dir / "small.png", 12, 12);
  const auto r = test::run_gui("--script " + test::quoted(test::script_copy("misfit_layer.txt", dir)) + " --state-dir " +
                               test::quoted(dir / "state") + " --screenshot " + test::quoted(dir / "shot.png"));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);  // every expect-misfit, expect-waits and expect-fresh passed
  CHECK(test::spread(load_image(dir / "misfit.png")) > 0.1);
  CHECK(test::spread(load_image(dir / "shot.png")) > 0.1);
}

TEST_CASE("an autosaved stack with a layer that does not fit is recovered as it was", "[app][reliability]") {
  const fs::path dir = test::scratch_dir("gui-misfit-recover");
  const std::string state = " --state-dir " + test::quoted(dir / "state");
  const fs::path crash = test::write_text(dir / "crash.txt",
                                          "add Conv3D\nadd Conv2D {\"name\": \"after\", \"filters\": 2, \"kernel_size\": 3}\n"
                                          "wait 1\nexpect-autosaved\ncrash\n");
  auto r = test::run_gui("--script " + test::quoted(crash) + state);
  REQUIRE(r.exit_code == 3);
  const fs::path recover = test::write_text(dir / "recover.txt",
                                            "wait 1\nrecover\nwait 1\nexpect-misfit 5\nexpect-waits 6\nexpect-fits 4\n"
                                            "remove 5\nwait 1\nexpect-fits 5\nexpect-fresh\n");
  r = test::run_gui("--script " + test::quoted(recover) + state + " --screenshot " + test::quoted(dir / "shot.png"));
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE("grayscale on and off keeps the Sobel kernels and remakes presets, and is an edit", "[app]") {
  const fs::path dir = test::scratch_dir("gui-grayscale");
  const auto r = test::run_gui("--script " + test::quoted(test::script_copy("grayscale_sobel.txt", dir)) +
                               " --screenshot " + test::quoted(dir / "shot.png"));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);  // every expect-weight passed
  CHECK(test::spread(load_image(dir / "shot.png")) > 0.1);
}

TEST_CASE("a tensor beyond the device is refused under its parameter; one click goes back", "[app][reliability]") {
  const fs::path dir = test::scratch_dir("gui-device-limit");
  const auto r = test::run_gui("--script " + test::quoted(test::script_copy("refuse_device_limit.txt", dir)) +
                               " --screenshot " + test::quoted(dir / "shot.png"));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  // The refused state and the one after going back show the same maps.
  CHECK(test::map_area_difference(load_image(dir / "refused.png"), load_image(dir / "back.png")) < 0.002);
}

TEST_CASE("a photo larger than the device allows opens downscaled, with both sizes said", "[app]") {
  const fs::path dir = test::scratch_dir("gui-big-photo");
  const fs::path big = write_picture(dir / "photo.png", 4000, 3000);
  const fs::path script = test::write_text(dir / "big.txt", "wait 1\nexpect-status photo.png is 4000x3000; shown downscaled to\n"
                                                            "expect-fits 4\nexpect-fresh\n");
  const auto r = test::run_gui("--image " + test::quoted(big) + " --script " + test::quoted(script) + " --screenshot " +
                               test::quoted(dir / "shot.png"));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(test::spread(load_image(dir / "shot.png")) > 0.1);
}

namespace {

// One expect-shape per layer row of `convscope summary MODEL --input-shape SHAPE`, in order.
std::string summary_shape_checks(const fs::path& model, const std::string& input_shape, size_t& rows) {
  const auto summary = test::run_cli("summary " + test::quoted(model) + " --input-shape " + input_shape);
  REQUIRE(summary.exit_code == 0);
  std::string checks;
  const std::regex row(R"(^ \S+ \(\w+\)\s+(\(None(, \d+)+\)))");
  rows = 0;
  std::istringstream lines(summary.out);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, row)) checks += "expect-shape " + std::to_string(rows++) + " " + m[1].str() + "\n";
  }
  return checks;
}

void require_gui_shapes(const fs::path& model, const std::string& checks, const fs::path& dir) {
  const auto script = test::script_copy("channels_first.txt", dir, {}, {{"# SHAPE_CHECKS", checks}});
  const auto r = test::run_gui("--pipeline " + test::quoted(model) + " --script " + test::quoted(script) + " --screenshot " +
                               test::quoted(dir / "shot.png"));
  INFO(checks << r.out << r.err);
  REQUIRE(r.exit_code == 0);
}

}  // namespace

TEST_CASE("a channels_first pipeline shows the shapes convscope summary gives", "[app]") {
  const fs::path model = fs::path(CONVSCOPE_SOURCE_DIR) / "tests/golden/models/keras3_channels_first_bilinear_batch2/model.json";
  size_t rows = 0;
  const std::string checks = summary_shape_checks(model, "3,512,512", rows);
  REQUIRE(rows == 5);
  CHECK_THAT(checks, Catch::StartsWith("expect-shape 0 (None, 3, 514, 514)"));  // channels first, as summary writes it
  require_gui_shapes(model, checks, test::scratch_dir("gui-channels-first"));
}

TEST_CASE("a functional model with a skip connection runs in the app as convscope summary says", "[app][functional]") {
  // Every node's shape as the graph's summary gives it, and every live map equal to a fresh
  // run of the graph (expect-fresh in the script).
  const fs::path model = fs::path(CONVSCOPE_SOURCE_DIR) / "tests/golden/models/tf_keras2_fn_resnet_block_batch2/model.json";
  size_t rows = 0;
  const std::string checks = summary_shape_checks(model, "512,512,3", rows);
  REQUIRE(rows == 10);
  CHECK_THAT(checks, Catch::Contains("expect-shape 9 (None, 5)"));
  require_gui_shapes(model, checks, test::scratch_dir("gui-functional"));
}

TEST_CASE("a model with a Lambda opens in the app once the user picks what it computes", "[app][functional]") {
  const fs::path dir = test::scratch_dir("gui-lambda");
  json doc = read_json(fs::path(CONVSCOPE_SOURCE_DIR) / "tests/golden/models/tf_keras2_fn_resnet_block_batch2/model.json");
  size_t lambdas = 0;
  for (json& layer : doc["config"]["layers"])
    if (layer["class_name"] == "Activation") {
      layer["class_name"] = "Lambda";  // as tf.keras writes one: marshalled Python bytecode
      layer["config"] = {{"name", layer["config"]["name"]}, {"function", {"4wEAAAAAAAAA", nullptr, nullptr}},
                         {"function_type", "lambda"}, {"output_shape", nullptr}, {"arguments", json::object()}};
      ++lambdas;
    }
  REQUIRE(lambdas == 1);
  const fs::path model = test::write_text(dir / "lambda.json", doc.dump());
  const auto script = test::script_copy("replace_lambda.txt", dir, {}, {{"LAMBDA_MODEL", model.string()}});
  // --screenshot: the app ends once the script has run.
  const auto r = test::run_gui("--script " + test::quoted(script) + " --screenshot " + test::quoted(dir / "shot.png"));
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE("a script line outside the stack exits 2 with its line number", "[app]") {
  const fs::path dir = test::scratch_dir("gui-bad-hover");
  for (const auto& [line, words] : std::vector<std::pair<std::string, std::string>>{
           {"hover 9 0 1 1", "bad.txt:2: hover: there is no layer 9: the stack has 5 layers (0 to 4)"},
           {"hover 1 7 1 1", "bad.txt:2: hover: channel 7 is outside layer 1's 4 channels"},
           {"hover 1 0 600 1", "bad.txt:2: hover: (y 600, x 1) is outside layer 1's 512x512 maps"},
           {"remove x", "bad.txt:2: remove: 'x' is not a layer index"},
           {"kernel 1 0 9999 1.5", "bad.txt:2: kernel: Conv2D 'edges': weights: no element 9999"}}) {
    const fs::path script = test::write_text(dir / "bad.txt", "wait 1\n" + line + "\n");
    const auto r = test::run_gui("--script " + test::quoted(script));
    INFO(line << "\n" << r.out << r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(words));
  }
}

TEST_CASE("gui --profile of a stack that does not run whole says why and exits 2", "[app]") {
  const fs::path dir = test::scratch_dir("gui-profile-refused");
  const fs::path tiny = write_picture(dir / "tiny.png", 12, 12);
  const auto r = test::run_gui("--image " + test::quoted(tiny) + " --profile 2");
  INFO(r.out << r.err);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("profile: the stack does not run") && Catch::Contains("Cropping2D 'trim'"));
  CHECK_THAT(r.out, !Catch::Contains("0.0 ms"));
}

TEST_CASE("a classifier graph in the app: the softmax's top class by label, both branches outlined, its layers edited live", "[app][functional]") {
  const fs::path dir = test::scratch_dir("gui-classifier");
  const fs::path model = fs::path(CONVSCOPE_SOURCE_DIR) / "tests/golden/models/tf_keras2_fn_resnet_block_batch2/model.json";
  const fs::path labels = fs::path(CONVSCOPE_SOURCE_DIR) / "tests/gui/five_labels.txt";
  const auto script = test::script_copy("classifier_graph.txt", dir, {},
                                        {{"MODEL", model.string()}, {"LABELS", labels.string()}, {"SHOT", (dir / "graph.png").string()}});
  const auto r = test::run_gui("--script " + test::quoted(script) + " --screenshot " + test::quoted(dir / "shot.png"));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(test::spread(load_image(dir / "graph.png")) > 0.1);
}

TEST_CASE("max pooling's read-out shows the element that won, on the map it read", "[app][pool]") {
  const fs::path dir = test::scratch_dir("gui-pool-winner");
  const auto r = test::run_gui("--script " + test::quoted(test::script_copy("pool_winner.txt", dir)) + " --screenshot " +
                               test::quoted(dir / "shot.png"));
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
}
