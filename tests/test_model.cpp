// Models: every Keras generation's JSON (golden models from tests/golden/make_golden_models.py),
// Sequential and functional, summaries as Keras prints them, weights errors, Keras 3 round
// trips, initialisation.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "cli_run.h"
#include "gpu.h"
#include "core/error.h"
#include "io/json_file.h"
#include "io/npy.h"
#include "io/weights_file.h"
#include "layer_check.h"
#include "model/keras_json.h"
#include "model/keras_names.h"
#include "model/graph_builder.h"
#include "model/parse_pipeline.h"
#include "model/summary.h"
#include "model/weights.h"
#include "run/reference_run.h"
#include "run/session.h"

using namespace convscope;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct ModelCase {
  std::string name;
  fs::path dir;
};

std::vector<ModelCase> model_cases(bool bad) {
  std::vector<ModelCase> out;
  for (const auto& e : fs::directory_iterator(fs::path(CONVSCOPE_SOURCE_DIR) / "tests" / "golden" / "models")) {
    const std::string name = e.path().filename().string();
    if (e.is_directory() && (name.rfind("bad_", 0) == 0) == bad) out.push_back({name, e.path()});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

std::vector<fs::path> weight_files(const fs::path& dir) {
  if (fs::exists(dir / "weights.npz")) return {dir / "weights.npz"};
  return {};
}

double max_error(const NdArray& actual, const NdArray& expected) {
  REQUIRE(actual.shape == expected.shape);
  double worst = 0;
  for (size_t i = 0; i < actual.size(); ++i)
    worst = std::max(worst, std::abs(static_cast<double>(actual.data[i]) - expected.data[i]) / (1.0 + std::abs(expected.data[i])));
  return worst;
}

// What the model has to give, in output_layers order: expected.npy, or for several outputs
// expected_0.npy, expected_1.npy, ...
std::vector<NdArray> expected_outputs(const fs::path& dir) {
  if (fs::exists(dir / "expected.npy")) return {read_npy(dir / "expected.npy")};
  std::vector<NdArray> out;
  for (size_t i = 0; fs::exists(dir / ("expected_" + std::to_string(i) + ".npy")); ++i)
    out.push_back(read_npy(dir / ("expected_" + std::to_string(i) + ".npy")));
  return out;
}

void check_outputs(const std::vector<NdArray>& actual, const fs::path& dir) {
  const std::vector<NdArray> expected = expected_outputs(dir);
  REQUIRE(!expected.empty());
  REQUIRE(actual.size() == expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    INFO("output " << i);
    CHECK(max_error(actual[i], expected[i]) <= 1e-4);
  }
}

// The case's input as the model reads it (as `convscope eval` does), its weights assigned.
Tensor prepare(Model& model, const ModelCase& c) {
  const NdArray array = read_npy(c.dir / "input.npy");
  const Tensor input =
      from_keras(array, model.input_rank().value_or(static_cast<int>(array.rank()) - 2), model.input_format(), c.name);
  assign_weights(model, input.shape, load_weights(weight_files(c.dir)));
  return input;
}

// Model::outputs()'s tensors, in the Keras layout.
std::vector<NdArray> model_outputs(const Model& model, const std::vector<Tensor>& per_node) {
  std::vector<NdArray> out;
  for (size_t o : model.outputs()) out.push_back(to_keras(per_node.at(o), per_node.at(o).shape.format));
  return out;
}

// The model's outputs for the case's input, on the GPU.
std::vector<NdArray> run_model(Model& model, const ModelCase& c) {
  const Tensor input = prepare(model, c);
  const RunResult r = run_model(test::gpu(), model, input);
  test::require_validation_clean(test::gpu());
  return model_outputs(model, r.outputs);
}

// A file that uses the functional API: a Functional (or tfjs Model) at the top, or a nested
// model among the layers.
bool is_functional_file(const json& file) {
  const json& doc = file.contains("modelTopology") ? file["modelTopology"] : file;
  if (doc["class_name"] != "Sequential") return true;
  const json& config = doc["config"];
  const json& layers = config.is_array() ? config : config["layers"];
  return std::any_of(layers.begin(), layers.end(), [](const json& l) { return is_model_class(l["class_name"].get<std::string>()); });
}

}  // namespace

TEST_CASE("golden Keras models of every generation give Keras' output", "[model][golden]") {
  const auto cases = model_cases(false);
  REQUIRE(cases.size() >= 10);
  for (const auto& c : cases) {
    INFO("model " << c.name);
    Model model = parse_pipeline(read_json(c.dir / "model.json"));
    check_outputs(run_model(model, c), c.dir);
  }
}

TEST_CASE("golden functional models give Keras' outputs on the GPU and on the CPU reference", "[functional][golden][model]") {
  size_t count = 0;
  for (const auto& c : model_cases(false)) {
    if (!is_functional_file(read_json(c.dir / "model.json"))) continue;
    INFO("model " << c.name);
    ++count;
    Model model = parse_pipeline(read_json(c.dir / "model.json"));
    const Tensor input = prepare(model, c);
    {
      INFO("CPU reference");
      check_outputs(model_outputs(model, run_reference(model, {input})), c.dir);
    }
    INFO("GPU");
    const RunResult r = run_model(test::gpu(), model, input);
    test::require_validation_clean(test::gpu());
    check_outputs(model_outputs(model, r.outputs), c.dir);
  }
  CHECK(count >= 6);
}

TEST_CASE("summaries give Keras' output shapes and parameter counts", "[model][golden]") {
  for (const auto& c : model_cases(false)) {
    INFO("model " << c.name);
    const Model model = parse_pipeline(read_json(c.dir / "model.json"));
    const json expected = read_json(c.dir / "summary.json");
    REQUIRE(model.input_shape);
    const ModelSummary s = summarize(model, *model.input_shape);
    CHECK(s.name == expected["name"]);
    // A shared layer's weights (a nested model called twice too) count once in Keras' total.
    CHECK(s.total_params == expected["total_params"].get<int64_t>());
    // Keras lists a nested model as one row and a shared layer once ("multiple" shapes);
    // convscope's rows are per node of the flattened graph: only the totals compare.
    const json& rows = expected["layers"];
    const bool row_per_node = model.distinct_layers().size() == model.nodes.size() &&
                              std::none_of(rows.begin(), rows.end(), [](const json& r) { return is_model_class(r["class_name"].get<std::string>()); });
    if (row_per_node) {
      REQUIRE(s.layers.size() == rows.size());
      for (size_t i = 0; i < s.layers.size(); ++i) {
        const json& row = rows[i];
        INFO("layer " << i);
        CHECK(s.layers[i].name == row["name"]);
        CHECK(s.layers[i].class_name == row["class_name"]);
        CHECK(s.layers[i].params == row["params"].get<int64_t>());
        json shape = json::array();
        for (const auto& d : s.layers[i].output) shape.push_back(d ? json(*d) : json(nullptr));
        CHECK(shape == json(std::vector<json>(row["output_shape"].begin() + 1, row["output_shape"].end())));
      }
    }
    const std::string table = format_summary(s);
    CHECK_THAT(table, Catch::Contains("Total params: "));
    CHECK_THAT(table, Catch::Contains(keras_shape_string(s.layers.back().output)));
  }
}

TEST_CASE("a model written as Keras 3 JSON reads back to the same model", "[model]") {
  for (const auto& c : model_cases(false)) {
    INFO("model " << c.name);
    Model original = parse_pipeline(read_json(c.dir / "model.json"));
    const json written = to_keras3_json(original);
    // A graph is a Functional; a Sequential holding a Functional base flattens to a chain.
    CHECK(written["class_name"] == (original.is_chain() ? "Sequential" : "Functional"));
    CHECK(written["config"]["layers"][0]["class_name"] == "InputLayer");
    Model again = parse_pipeline(written);
    CHECK(again.nodes.size() == original.nodes.size());
    CHECK(again.outputs() == original.outputs());
    CHECK(to_keras3_json(again) == written);  // a fixed point
    check_outputs(run_model(again, c), c.dir);
  }
}

TEST_CASE("unimplemented layers are named with their positions, all at once", "[model]") {
  const json doc = json::parse(R"({"class_name": "Sequential", "config": {"name": "seq", "layers": [
      {"class_name": "Conv2D", "config": {"name": "c", "filters": 2, "kernel_size": 3}},
      {"class_name": "LSTM", "config": {"name": "lstm", "units": 4}},
      {"class_name": "Dense", "config": {"name": "d", "units": 2}},
      {"class_name": "MultiHeadAttention", "config": {"name": "att"}}]}})");
  REQUIRE_THROWS_AS(parse_pipeline(doc), UserError);
  REQUIRE_THROWS_WITH(parse_pipeline(doc), Catch::Contains("does not implement") && Catch::Contains("model.layers[1] 'lstm' (LSTM)") &&
                                               Catch::Contains("model.layers[3] 'att' (MultiHeadAttention)") &&
                                               !Catch::Contains("(Dense)"));
}

TEST_CASE("a Conv2D, Dense on its channels and Flatten, refused before Dense and Flatten existed, now runs", "[model][dense]") {
  const ModelCase c{"bad_dense_flatten", fs::path(CONVSCOPE_SOURCE_DIR) / "tests/golden/models/bad_dense_flatten"};
  Model model = parse_pipeline(read_json(c.dir / "model.json"));
  REQUIRE(model.nodes.size() == 3);
  const NdArray out = run_model(model, c).at(0);
  const NdArray input = read_npy(c.dir / "input.npy");
  CHECK(out.shape == std::vector<int64_t>{input.shape[0], 8 * 8 * 5});
}

TEST_CASE("a weights file with one array too few is refused with what each layer takes", "[model]") {
  const ModelCase c{"bad_weights_one_short", fs::path(CONVSCOPE_SOURCE_DIR) / "tests/golden/models/bad_weights_one_short"};
  Model model = parse_pipeline(read_json(c.dir / "model.json"));
  REQUIRE_THROWS_WITH(run_model(model, c), Catch::Contains("weights:") && Catch::Contains("the model takes") &&
                                               Catch::Contains("get_weights() order"));
}

TEST_CASE("Keras' automatic layer names", "[model]") {
  CHECK(keras_snake_case("Conv2D") == "conv2d");
  CHECK(keras_snake_case("ZeroPadding2D") == "zero_padding2d");
  CHECK(keras_snake_case("UpSampling2D") == "up_sampling2d");
  CHECK(keras_snake_case("DepthwiseConv2D") == "depthwise_conv2d");
  CHECK(keras_snake_case("Conv2DTranspose") == "conv2d_transpose");
  const json doc = json::parse(R"({"class_name": "Sequential", "config": {"layers": [
      {"class_name": "Conv2D", "config": {"filters": 1, "kernel_size": 1}},
      {"class_name": "Conv2D", "config": {"filters": 1, "kernel_size": 1}},
      {"class_name": "Cropping2D", "config": {"cropping": 1}}]}})");
  const Model m = parse_pipeline(doc);
  CHECK(m.layer(0).name() == "conv2d");
  CHECK(m.layer(1).name() == "conv2d_1");
  CHECK(m.layer(2).name() == "cropping2d");
}

TEST_CASE("without weights, kernels are glorot_uniform from the seed and biases zero", "[model]") {
  Model m = parse_pipeline(json::parse(R"({"class_name": "Conv2D", "config": {"filters": 8, "kernel_size": 3}})"));
  Shape in;
  in.c = 4, in.h = 9, in.w = 9;
  const auto notes = provide_weights(m, in, {}, std::nullopt, 7);
  REQUIRE(notes.size() == 1);
  CHECK_THAT(notes[0], Catch::Contains("glorot_uniform"));
  const auto& w = m.layer(0).weights();
  REQUIRE(w.size() == 2);
  const double limit = std::sqrt(6.0 / (9 * 4 + 9 * 8));
  double lo = 0, hi = 0;
  for (float v : w[0].data) lo = std::min<double>(lo, v), hi = std::max<double>(hi, v);
  CHECK(hi <= limit);
  CHECK(lo >= -limit);
  CHECK(hi > 0.8 * limit);  // the whole range is used
  for (float v : w[1].data) CHECK(v == 0.0f);
  Model again = parse_pipeline(json::parse(R"({"class_name": "Conv2D", "config": {"filters": 8, "kernel_size": 3}})"));
  provide_weights(again, in, {}, std::nullopt, 7);
  CHECK(again.layer(0).weights()[0].data == w[0].data);  // the seed decides
}

TEST_CASE("convscope summary prints the table, and asks for an input shape when the file has none", "[model][cli]") {
  const fs::path model = fs::path(CONVSCOPE_SOURCE_DIR) / "tests/golden/models/tf_keras2_unknown_spatial_batch2/model.json";
  const auto r = test::run_cli("summary " + test::quoted(model));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Layer (type)") && Catch::Contains("Output Shape") && Catch::Contains("Param #") &&
                        Catch::Contains("(None, None, None,") && Catch::Contains("Total params: "));
  const fs::path dir = test::scratch_dir("summary");
  std::ofstream(dir / "layer.json") << R"({"class_name": "Conv2D", "config": {"name": "c", "filters": 300, "kernel_size": 3}})";
  const auto missing = test::run_cli("summary " + test::quoted(dir / "layer.json"));
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("--input-shape"));
  const auto given = test::run_cli("summary " + test::quoted(dir / "layer.json") + " --input-shape 32,32,64");
  CHECK(given.exit_code == 0);
  CHECK_THAT(given.out, Catch::Contains("(None, 30, 30, 300)") && Catch::Contains("173,100"));
}

TEST_CASE("convscope eval reproduces every golden model from its .npz weights", "[model][golden][cli]") {
  const fs::path dir = test::scratch_dir("eval-models");
  for (const auto& c : model_cases(false)) {
    INFO("model " << c.name);
    std::string args = "eval " + test::quoted(c.dir / "model.json") + " " + test::quoted(c.dir / "input.npy");
    for (const auto& w : weight_files(c.dir)) args += " " + test::quoted(w);
    const std::vector<NdArray> expected = expected_outputs(c.dir);
    // -o once per output; one too few is refused, naming the outputs, and writes nothing.
    std::string outs;
    for (size_t k = 0; k < expected.size(); ++k) outs += " -o " + test::quoted(dir / fmt::format("out_{}.npy", k));
    fs::remove_all(dir), fs::create_directories(dir);
    if (expected.size() > 1) {
      const auto short_one = test::run_cli(args + " -o " + test::quoted(dir / "out_0.npy"));
      CHECK(short_one.exit_code == 2);
      CHECK_THAT(short_one.err, Catch::Contains("-o once per output"));
      CHECK(!fs::exists(dir / "out_0.npy"));
    }
    const auto r = test::run_cli(args + outs);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    for (size_t k = 0; k < expected.size(); ++k) CHECK(max_error(read_npy(dir / fmt::format("out_{}.npy", k)), expected[k]) <= 1e-4);
  }
}

TEST_CASE("convscope convert writes Keras 3 JSON and weights that run to the same output", "[model][cli]") {
  const ModelCase c{"keras1_atrous_full_th", fs::path(CONVSCOPE_SOURCE_DIR) / "tests/golden/models/keras1_atrous_full_th"};
  const fs::path dir = test::scratch_dir("convert");
  const auto r = test::run_cli("convert " + test::quoted(c.dir / "model.json") + " -o " + test::quoted(dir / "m.json") +
                               " --weights " + test::quoted(c.dir / "weights.npz"));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const json written = read_json(dir / "m.json");
  CHECK(written["module"] == "keras");
  CHECK(written["config"]["layers"][1]["class_name"] == "Conv2D");  // AtrousConvolution2D, mapped
  const auto out = dir / "y.npy";
  const auto e = test::run_cli("eval " + test::quoted(dir / "m.json") + " " + test::quoted(c.dir / "input.npy") + " " +
                               test::quoted(dir / "m.weights.npz") + " -o " + test::quoted(out));
  REQUIRE(e.exit_code == 0);
  CHECK(max_error(read_npy(out), read_npy(c.dir / "expected.npy")) <= 1e-4);
}

// What fuzz_layer_json (tests/fuzz/) found: each was undefined behaviour, an out-of-bounds
// read or an exception other than UserError; each is now bad input, said in one line.
TEST_CASE("inputs the JSON fuzzer found are refused as bad input, in one line", "[model][fuzz]") {
  const auto refused = [](const std::string& text, const std::string& words) {
    INFO(text);
    const auto read_and_infer = [&text] {
      const Model m = parse_pipeline(parse_json(text, "f.json"));
      if (m.input_shape) (void)summarize(m, *m.input_shape);
      Shape s;
      s.spatial_rank = m.layer(0).spatial_rank();
      (void)infer_shapes(m, s);
    };
    REQUIRE_THROWS_AS(read_and_infer(), UserError);
    REQUIRE_THROWS_WITH(read_and_infer(), Catch::Contains(words) && !Catch::Contains("\n"));
  };
  const std::string crop_after_conv1d =
      R"({"class_name": "Sequential", "config": {"layers": [{"class_name": "Conv1D", "config": {"filters": 2,
          "kernel_size": 1}}, {"class_name": "Cropping2D", "config": {"cropping": 1}}]}})";
  refused(crop_after_conv1d, "Cropping2D 'cropping2d': input is 1D, the layer is 2D");
  refused(R"({"class_name": "UpSampling1D", "config": {"size": 1e400}})",
          "f.json: invalid JSON: number overflow parsing '1e400'");
  refused(R"({"class_name": "ZeroPadding1D", "config": {"padding": [9223372036854775807, 1]}})",
          "ZeroPadding1D: padding: 9223372036854775807 is out of range; the GPU kernels take 32-bit integers");
  refused(R"({"class_name": "Sequential", "config": {"layers": [{"class_name": "UpSampling1D", "config": {"size": 2147483647}},
          {"class_name": "UpSampling1D", "config": {"size": 2}}]}})",
          "UpSampling1D 'up_sampling1d_1': the output shape (1, 4294967294, 1) has an axis of 4294967294 elements");
  refused(R"({"class_name": "Sequential", "config": {"layers": [{"class_name": "Conv2D", "config": {"filters": 1,
          "kernel_size": 3, "batch_input_shape": [null, 2147483647, 2147483647, 3]}}]}})",
          "the input shape (1, 2147483647, 2147483647, 3) has more than 2^48 elements");
  refused(R"({"class_name": "Cropping1D", "config": {"name": "a\nb", "cropping": [4, 4]}})",
          "Cropping1D 'a\\x0ab': cropping: (4, 4) removes all 1 steps");
  CHECK(one_line("tab\there, C1 \xc2\x9b, bad \xff\xc3, fine \xc3\xa9") ==
        "tab\\x09here, C1 \\xc2\\x9b, bad \\xff\\xc3, fine \xc3\xa9");
}
