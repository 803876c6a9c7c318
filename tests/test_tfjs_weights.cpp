// TensorFlow.js weights (io/tfjs_weights.h): the shards tests/golden/make_golden_models.py
// writes beside its TensorFlow.js model.json files, read back bit for bit against the same
// weights saved by numpy, and `convscope eval` of those folders with no weights argument; the
// quantized forms tfjs-converter writes, and every malformed manifest or shard refused.
#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>

#include "cli_run.h"
#include "core/error.h"
#include "core/half.h"
#include "io/json_file.h"
#include "io/npy.h"
#include "io/npz.h"
#include "io/tfjs_weights.h"
#include "model/parse_pipeline.h"

using namespace convscope;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> tfjs_folders() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fs::path(CONVSCOPE_SOURCE_DIR) / "tests/golden/models"))
    if (fs::exists(e.path() / "group1-shard1of1.bin")) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

template <typename T>
void append(std::string& bytes, const std::vector<T>& values) {
  bytes.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

}  // namespace

TEST_CASE("TensorFlow.js shards read back as the arrays numpy saved, and eval needs no weights argument", "[tfjs]") {
  const auto folders = tfjs_folders();
  REQUIRE(folders.size() >= 6);
  for (const fs::path& dir : folders) {
    INFO(dir.filename().string());
    const json doc = read_json(dir / "model.json");
    const auto named = read_tfjs_weights(doc["weightsManifest"], dir, "model.json");
    const auto saved = read_weight_list(dir / "weights.npz");
    REQUIRE(named.size() == saved.size());
    for (size_t i = 0; i < named.size(); ++i) {
      CHECK(named[i].array.shape == saved[i].shape);
      CHECK(named[i].array.data == saved[i].data);  // float32 both ways: bit for bit
    }
    const fs::path out = test::scratch_dir("tfjs-eval") / (dir.filename().string() + ".npy");
    const auto r = test::run_cli("eval " + test::quoted(dir / "model.json") + " " + test::quoted(dir / "input.npy") +
                                 " -o " + test::quoted(out));
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("weightsManifest") != std::string::npos);  // the notice says where they came from
    const NdArray got = read_npy(out), want = read_npy(dir / "expected.npy");
    REQUIRE(got.shape == want.shape);
    for (size_t i = 0; i < got.size(); ++i) CHECK(std::abs(got.data[i] - want.data[i]) <= 1e-4 * (1 + std::abs(want.data[i])));
  }
}

TEST_CASE("quantized TensorFlow.js weights dequantize as tfjs does, across groups and shards", "[tfjs]") {
  const fs::path dir = test::scratch_dir("tfjs-quantized");
  // Group 0: a float32 (2, 3) and a uint8 (4) split over two shards mid-weight; group 1: a
  // uint16 (3), a float16 (2, 2) and an int32 (2).
  std::string g0, g1;
  append(g0, std::vector<float>{1, 2, 3, 4, 5, 6.5f});
  append(g0, std::vector<uint8_t>{0, 1, 2, 255});
  append(g1, std::vector<uint16_t>{0, 4, 65535});
  append(g1, to_half(std::vector<float>{0.5f, -2.0f, 1024.0f, 0.099975586f}));
  append(g1, std::vector<int32_t>{-3, 7});
  test::write_text(dir / "group1-shard1of2.bin", g0.substr(0, 10));
  test::write_text(dir / "group1-shard2of2.bin", g0.substr(10));
  test::write_text(dir / "group2-shard1of1.bin", g1);
  const json manifest = json::parse(R"([
    {"paths": ["group1-shard1of2.bin", "group1-shard2of2.bin"], "weights": [
      {"name": "dense/kernel", "shape": [2, 3], "dtype": "float32"},
      {"name": "dense/bias", "shape": [4], "dtype": "float32", "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1}}]},
    {"paths": ["group2-shard1of1.bin"], "weights": [
      {"name": "a", "shape": [3], "dtype": "float32", "quantization": {"dtype": "uint16", "scale": 0.25, "min": 2}},
      {"name": "b", "shape": [2, 2], "dtype": "float32", "quantization": {"dtype": "float16"}},
      {"name": "c", "shape": [2], "dtype": "int32"}]}])");
  const auto w = read_tfjs_weights(manifest, dir, "model.json");
  REQUIRE(w.size() == 5);
  CHECK(w[0].name == "dense/kernel");
  CHECK(w[0].array.shape == std::vector<int64_t>{2, 3});
  CHECK(w[0].array.data == std::vector<float>{1, 2, 3, 4, 5, 6.5f});
  CHECK(w[1].array.data == std::vector<float>{-1, -0.5f, 0, 126.5f});  // q * 0.5 - 1
  CHECK(w[2].array.data == std::vector<float>{2, 3, 65535 * 0.25f + 2});
  CHECK(w[3].array.data == std::vector<float>{0.5f, -2.0f, 1024.0f, 0.099975586f});
  CHECK(w[4].array.data == std::vector<float>{-3, 7});

  auto refused = [&](const json& m) {
    try {
      read_tfjs_weights(m, dir, "model.json");
    } catch (const UserError& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  json m = manifest;
  m[0]["paths"] = {"group1-shard1of2.bin"};
  CHECK_THAT(refused(m), Catch::Contains("model.json: weightsManifest[0]: the shards hold 10 bytes, the group's weights 28"));
  m = manifest;
  m[1]["paths"] = {"group2-missing.bin"};
  CHECK_THAT(refused(m), Catch::Contains("group2-missing.bin is missing"));
  m = manifest;
  m[0]["weights"].erase(1);
  CHECK_THAT(refused(m), Catch::Contains("holds more than the group's weights (24 bytes in all)"));
  m = manifest;
  m[1]["paths"] = {"../group2-shard1of1.bin"};
  CHECK_THAT(refused(m), Catch::Contains("leaves the model's folder"));
  m = manifest;
  m[1]["weights"][2]["dtype"] = "string";
  CHECK_THAT(refused(m), Catch::Contains("'c': dtype: \"string\" is not float32 or int32"));
  m = manifest;
  m[1]["weights"][0]["quantization"]["dtype"] = "int4";
  CHECK_THAT(refused(m), Catch::Contains("'a': quantization: dtype \"int4\""));
  m = manifest;
  m[1]["weights"][0]["quantization"].erase("scale");
  CHECK_THAT(refused(m), Catch::Contains("needs numbers scale and min"));
  m = manifest;
  m[0]["weights"][0]["shape"] = {2, -3};
  CHECK_THAT(refused(m), Catch::Contains("shape: -3 is not a size"));
  CHECK_THAT(refused(json::object()), Catch::Contains("weightsManifest: expected a list of groups"));
  CHECK_THAT(refused(json::parse(R"([{"paths": []}])")), Catch::Contains("expected {\"paths\""));
}

TEST_CASE("a depth_multiplier TensorFlow.js leaves out is read from the depthwise kernel's shape", "[tfjs]") {
  const fs::path dir = fs::path(CONVSCOPE_SOURCE_DIR) / "tests/golden/models/tfjs_saved_separable_dm2_no_depth_multiplier";
  json doc = read_json(dir / "model.json");
  for (const auto& layer : doc["modelTopology"]["config"]["layers"]) REQUIRE_FALSE(layer["config"].contains("depth_multiplier"));
  const Model m = parse_pipeline(doc);
  REQUIRE(m.notices.size() == 2);
  CHECK_THAT(m.notices[0], Catch::Contains("SeparableConv2D 'separable_conv2d_SeparableConv2D5': depth_multiplier 2, read from "
                                           "its depthwise kernel of shape (3, 3, 3, 2)"));
  CHECK(m.layer(0).keras_config()["depth_multiplier"] == 2);
  CHECK(m.layer(1).keras_config()["depth_multiplier"] == 2);
  // A config that states it keeps it, whatever the manifest says; a JSON without a manifest
  // keeps Keras' default.
  doc["modelTopology"]["config"]["layers"][1]["config"]["depth_multiplier"] = 1;
  const Model stated = parse_pipeline(doc);
  CHECK(stated.notices.size() == 1);
  CHECK(stated.layer(1).keras_config()["depth_multiplier"] == 1);
  doc.erase("weightsManifest");
  CHECK(parse_pipeline(doc).notices.empty());
  CHECK(parse_pipeline(doc).layer(0).keras_config()["depth_multiplier"] == 1);
  // eval and summary say what they filled in.
  const auto r = test::run_cli("summary " + test::quoted(dir / "model.json"));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("TensorFlow.js leaves it out of the config"));
  CHECK_THAT(r.out, Catch::Contains("Total params: 162"));
}
