// The activation layers (Activation, ReLU, LeakyReLU, ELU, ThresholdedReLU, Softmax, PReLU):
// GPU against the reference over every rank and format, Keras' errors, the Keras generation
// setting, keras_config read back through the registry, and the golden values of
// tests/golden/make_golden_activations.py.
#include <catch2/catch.hpp>

#include <thread>

#include "activation_check.h"
#include "core/error.h"
#include "golden_cases.h"
#include "gpu.h"
#include "io/json_file.h"
#include "io/npy.h"
#include "layer_check.h"
#include "layers/activation/activation_layers.h"
#include "layers/activation/prelu.h"
#include "layers/keras_generation.h"
#include "model/parse_pipeline.h"
#include "model/weights.h"
#include "run/session.h"

using namespace convscope;
using nlohmann::json;

namespace {

std::string refusal(const std::string& cls, const json& config, const Shape* input = nullptr) {
  try {
    auto layer = test::activation_layer(cls, config);
    if (input) layer->output_shape(*input);
  } catch (const UserError& e) {
    return e.what();
  }
  return "(accepted)";
}

void with_random_weights(Layer& layer, const Shape& input, uint32_t seed) {
  std::vector<NdArray> weights;
  for (const auto& s : layer.weight_shapes(input)) weights.push_back(test::random_array(s, seed++));
  layer.set_weights(input, std::move(weights));
}

const ActivationSpec& spec_of(const Layer& layer) {
  const auto* l = dynamic_cast<const ActivationFunctionLayer*>(&layer);
  REQUIRE(l);
  return l->spec();
}

}  // namespace

TEST_CASE("the activation layers on the GPU match the reference over every rank and format", "[activation][gpu]") {
  struct Case { const char* cls; const char* config; int min_rank; };
  const Case cases[] = {
      {"ReLU", R"({})", 0},
      {"ReLU", R"({"max_value": 6})", 0},
      {"ReLU", R"({"max_value": 0.0})", 0},
      {"ReLU", R"({"negative_slope": 0.2})", 0},
      {"ReLU", R"({"threshold": 1.0})", 0},
      {"ReLU", R"({"max_value": 2.5, "negative_slope": 0.1, "threshold": 0.5})", 0},
      {"ReLU", R"({"max_value": 0.25, "threshold": 3})", 0},
      {"LeakyReLU", R"({})", 0},
      {"LeakyReLU", R"({"alpha": 0.1})", 0},
      {"LeakyReLU", R"({"negative_slope": 2.0})", 0},
      {"ELU", R"({"alpha": 0.5})", 0},
      {"ELU", R"({"alpha": -1.5})", 0},
      {"ThresholdedReLU", R"({"theta": 0.7})", 0},
      {"ThresholdedReLU", R"({"theta": 0})", 0},
      {"Softmax", R"({})", 0},
      {"Softmax", R"({"axis": 1})", 0},
      {"Softmax", R"({"axis": 0})", 0},
      {"Softmax", R"({"axis": [0, -1]})", 0},
      {"Softmax", R"({"axis": null})", 0},
      {"Softmax", R"({"axis": [-2]})", 1},
      {"Softmax", R"({"axis": [1, 2]})", 1},
      {"Softmax", R"({"axis": [1, 3]})", 2},
      {"Softmax", R"({"axis": [-1, 1, 2]})", 2},
      {"Softmax", R"({"axis": [0, 2, 4]})", 3},
      {"PReLU", R"({})", 0},
      {"PReLU", R"({"shared_axes": 1})", 0},
      {"PReLU", R"({"shared_axes": [1, 2]})", 1},
      {"PReLU", R"({"shared_axes": [2]})", 2},
      {"PReLU", R"({"shared_axes": [1, 2, 3]})", 2},
      {"PReLU", R"({"shared_axes": [1, 3]})", 3},
  };
  uint32_t seed = 300;
  for (const Case& c : cases) {
    auto layer = test::activation_layer(c.cls, json::parse(c.config));
    for (const Shape& shape : test::awkward_shapes()) {
      if (shape.spatial_rank < c.min_rank) continue;
      INFO(c.cls << " " << c.config << " on " << shape_string(shape.keras()) << " " << to_string(shape.format));
      with_random_weights(*layer, shape, seed++);
      Tensor x = test::extreme_tensor(shape, seed++);
      for (size_t i = 0; i < 4 && i < x.data.size(); ++i) x.data[i] = 0.5f * static_cast<float>(i);  // thresholds hit exactly
      test::require_recorded_matches_reference(test::gpu(), *layer, x, 1e-5);
    }
  }
}

TEST_CASE("ReLU follows Keras 3 exactly, x == threshold included", "[activation]") {
  Shape s;
  s.spatial_rank = 0;
  s.c = 7;
  Tensor x(s);
  x.data = {-3, -1, 0, 0.5f, 1, 1.5f, 4};
  auto run = [&](const char* config) { return test::activation_layer("ReLU", json::parse(config))->reference(x).data; };
  CHECK(run(R"({"threshold": 1.5})") == std::vector<float>{0, 0, 0, 0, 0, 0, 4});
  CHECK(run(R"({"max_value": 1.0})") == std::vector<float>{0, 0, 0, 0.5f, 1, 1, 1});
  // Below the threshold: negative_slope * (x - threshold); at it, 0.
  const std::vector<float> y = run(R"({"negative_slope": 0.5, "threshold": 1, "max_value": 3})");
  const std::vector<float> expected{-2, -1, -0.5f, -0.25f, 0, 1.5f, 3};
  for (size_t i = 0; i < y.size(); ++i) CHECK(y[i] == Approx(expected[i]));
  CHECK(test::activation_layer("ThresholdedReLU", {{"theta", 1.0}})->reference(x).data ==
        std::vector<float>{0, 0, 0, 0, 0, 1.5f, 4});
  CHECK(test::activation_layer("PReLU", json::object())->weight_names() == std::vector<std::string>{"alpha"});
}

TEST_CASE("PReLU's alpha has the input's Keras shape without batch, shared axes set to 1", "[activation]") {
  const Shape cl = test::activation_shape(2, DataFormat::ChannelsLast, 2, 3, {5, 4});
  const Shape cf = test::activation_shape(2, DataFormat::ChannelsFirst, 2, 3, {5, 4});
  auto shared = test::activation_layer("PReLU", {{"shared_axes", {1, 2}}});
  CHECK(shared->weight_shapes(cl) == std::vector<std::vector<int64_t>>{{1, 1, 3}});
  CHECK(shared->weight_shapes(cf) == std::vector<std::vector<int64_t>>{{1, 1, 4}});  // (C, H, W): C and H shared
  CHECK(test::activation_layer("PReLU", json::object())->weight_shapes(cf) == std::vector<std::vector<int64_t>>{{3, 5, 4}});
  // Keras' default initializer is zeros: PReLU starts as relu. Constant and Ones are honoured.
  CHECK(shared->initial_weights(cl, 1)[0].data == std::vector<float>(3, 0.0f));
  auto constant = test::activation_layer(
      "PReLU", json::parse(R"({"alpha_initializer": {"class_name": "Constant", "config": {"value": 0.25}}})"));
  CHECK(constant->initial_weights(cl, 1)[0].data == std::vector<float>(60, 0.25f));
  // Keras 1's `init` names the initializer.
  auto keras1 = test::make_layer(json::parse(R"({"class_name": "PReLU", "config": {"init": "one"}})"));
  CHECK(keras1->initial_weights(cl, 1)[0].data == std::vector<float>(60, 1.0f));

  // One alpha per channel of a channels_first image: alpha[c] scales the negatives of channel c.
  auto per_channel = test::activation_layer("PReLU", {{"shared_axes", {2, 3}}});
  NdArray alpha({3, 1, 1});
  alpha.data = {0.5f, -2.0f, 3.0f};
  per_channel->set_weights(cf, {alpha});
  Tensor x(cf);
  for (float& v : x.data) v = -1.0f;
  const Tensor y = per_channel->reference(x);
  CHECK(y.at(1, 0, 0, 4, 3) == -0.5f);
  CHECK(y.at(0, 1, 0, 2, 1) == 2.0f);
  CHECK(y.at(1, 2, 0, 0, 0) == -3.0f);
}

TEST_CASE("activation layers refuse what Keras refuses, naming the argument", "[activation][args]") {
  const Shape image = test::activation_shape(2, DataFormat::ChannelsLast, 1, 3, {5, 6});
  CHECK(refusal("ReLU", {{"negative_slope", -0.1}}) == "ReLU 'a': negative_slope: -0.1 is negative, which Keras refuses");
  CHECK(refusal("ReLU", {{"max_value", -1}}) == "ReLU 'a': max_value: -1 is negative, which Keras refuses");
  CHECK(refusal("ReLU", {{"threshold", -0.5}}) == "ReLU 'a': threshold: -0.5 is negative, which Keras refuses");
  CHECK(refusal("ReLU", {{"threshold", nullptr}}) == "ReLU 'a': threshold: None is not a number");
  CHECK(refusal("ReLU", {{"max_value", "6"}}) == "ReLU 'a': max_value: '6' is not a number");
  CHECK(refusal("ReLU", {{"max_value", nullptr}}) == "(accepted)");  // None: unbounded
  CHECK(refusal("LeakyReLU", {{"negative_slope", -0.2}}) ==
        "LeakyReLU 'a': negative_slope: -0.2 is negative, which Keras 3 refuses");
  CHECK(refusal("LeakyReLU", {{"alpha", -0.2}, {"negative_slope", 0.1}}) ==
        "LeakyReLU 'a': alpha: -0.2 is negative, which Keras 3 refuses");
  CHECK(refusal("LeakyReLU", {{"alpha", nullptr}}) == "LeakyReLU 'a': alpha: None is not a number");
  CHECK(refusal("ELU", {{"alpha", nullptr}}) == "ELU 'a': alpha: None is not a number");
  CHECK(refusal("ThresholdedReLU", {{"theta", -1}}) == "ThresholdedReLU 'a': theta: -1 is negative, which Keras refuses");
  CHECK(refusal("Activation", json::object()) == "Activation 'a': activation: missing: the layer applies the function it names");
  CHECK_THAT(refusal("Activation", {{"activation", 5}}),
             Catch::StartsWith("Activation 'a': activation: 5 is not an activation name (accepted: linear, relu, relu6,"));
  CHECK_THAT(refusal("Activation", {{"activation", "mishy"}}),
             Catch::StartsWith("Activation 'a': activation: 'mishy' is not a Keras activation convscope knows (accepted: ") &&
                 Catch::Contains("hard_swish, tanh") && Catch::Contains("log_softmax") && Catch::EndsWith(", or None)"));
  CHECK_THAT(refusal("Activation", {{"activation", "glu"}}),
             Catch::Contains("'glu' is a Keras activation convscope does not implement"));
  CHECK_THAT(refusal("Activation", {{"activation", "my_package>swoosh"}}),
             Catch::Contains("'my_package>swoosh' is a custom function registered with Keras"));
  CHECK_THAT(refusal("Activation", {{"activation", {{"class_name", "LeakyReLU"}, {"config", {{"alpha", 0.1}}}}}}),
             Catch::Contains("is a layer object") && Catch::Contains("a LeakyReLU layer of its own"));
  CHECK_THAT(refusal("Conv2D", {{"filters", 2}, {"kernel_size", 3}, {"activation", "swoosh"}}),
             Catch::StartsWith("Conv2D 'a': activation: 'swoosh' is not"));

  // Softmax axes are checked against the input, as Keras checks them when called.
  CHECK(refusal("Softmax", {{"axis", 4}}, &image) ==
        "Softmax 'a': axis: 4 is outside the input's 4 axes (batch, rows, cols, channels), shape (1, 5, 6, 3)");
  CHECK(refusal("Softmax", {{"axis", -5}}, &image) ==
        "Softmax 'a': axis: -5 is outside the input's 4 axes (batch, rows, cols, channels), shape (1, 5, 6, 3)");
  const Shape vector = test::activation_shape(0, DataFormat::ChannelsLast, 2, 8);
  CHECK(refusal("Softmax", {{"axis", 2}}, &vector) ==
        "Softmax 'a': axis: 2 is outside the input's 2 axes (batch, features), shape (2, 8)");
  CHECK(refusal("Softmax", {{"axis", {1, -3}}}, &image) == "Softmax 'a': axis: (1, -3) names axis 1 twice");
  CHECK(refusal("Softmax", {{"axis", json::array()}}) == "Softmax 'a': axis: () names no axis");
  CHECK(refusal("Softmax", {{"axis", 1.5}}) == "Softmax 'a': axis: 1.5 is not an integer");
  CHECK(refusal("PReLU", {{"shared_axes", {0}}}, &image) ==
        "PReLU 'a': shared_axes: 0 is not an axis of the input (1, 5, 6, 3) beside the batch: 1 to 3");
  CHECK(refusal("PReLU", {{"shared_axes", 4}}, &image) ==
        "PReLU 'a': shared_axes: 4 is not an axis of the input (1, 5, 6, 3) beside the batch: 1 to 3");
  CHECK_THAT(refusal("Softmax", {{"axes", 1}}), Catch::Contains("unrecognized keyword argument") &&
                                                    Catch::Contains("did you mean 'axis'?"));
  auto prelu = test::activation_layer("PReLU", {{"shared_axes", {1, 2}}});
  CHECK_THROWS_WITH(prelu->set_weights(image, {test::random_array({3}, 1)}),
                    Catch::Contains("PReLU 'a': weights: array 0 has shape (3,), expected (1, 1, 3)"));
}

TEST_CASE("the Keras generation decides hard_sigmoid, LeakyReLU's negative slopes and Softmax(axis=None)",
          "[activation][args]") {
  CHECK(keras_generation() == 3);
  CHECK(parse_activation("hard_sigmoid", "t").kind == ActivationKind::HardSigmoid);
  {
    KerasGenerationScope keras2(2);
    CHECK(keras_generation() == 2);
    {
      KerasGenerationScope keras1(1);
      CHECK(keras_generation() == 1);
    }
    CHECK(keras_generation() == 2);
    // Per thread: another thread parsing another file keeps its own.
    int elsewhere = 0;
    std::thread([&] { elsewhere = keras_generation(); }).join();
    CHECK(elsewhere == 3);
    CHECK(parse_activation("hard_sigmoid", "t").kind == ActivationKind::HardSigmoidKeras2);
    CHECK(parse_activation(json::parse(R"({"module": "keras.activations", "class_name": "function",
        "config": "hard_sigmoid", "registered_name": "hard_sigmoid"})"), "t").kind == ActivationKind::HardSigmoidKeras2);
  }
  CHECK(keras_generation() == 3);
  CHECK_THROWS_WITH(KerasGenerationScope(4), Catch::Contains("internal"));
  CHECK(keras_generation_of("1.2.2") == 1);
  CHECK(keras_generation_of("0.3.3") == 1);
  CHECK(keras_generation_of("2.12.0") == 2);
  CHECK(keras_generation_of("2.2.4-tf") == 2);
  CHECK(keras_generation_of("3.3.3") == 3);
  CHECK(keras_generation_of("tfjs-layers 4.10.0") == 2);
  CHECK(keras_generation_of("") == 3);

  // Keras 2's hard_sigmoid, written back into Keras 3 JSON, stays Keras 2's when read again.
  std::unique_ptr<Layer> conv;
  {
    KerasGenerationScope keras2(2);
    conv = test::activation_layer("Conv2D", {{"filters", 1}, {"kernel_size", 1}, {"activation", "hard_sigmoid"}});
  }
  const json written = conv->keras_config()["activation"];
  CHECK(written == json::parse(R"({"module": "convscope", "class_name": "function",
      "config": "convscope>hard_sigmoid_keras2", "registered_name": "convscope>hard_sigmoid_keras2"})"));
  const auto again = test::make_layer({{"class_name", "Conv2D"}, {"config", conv->keras_config()}});
  CHECK(again->keras_config() == conv->keras_config());
  const Shape in = test::activation_shape(2, DataFormat::ChannelsLast, 1, 1, {1, 2});
  NdArray k({1, 1, 1, 1}), b({1});
  k.data = {1};
  conv->set_weights(in, {k, b});
  again->set_weights(in, {k, b});
  Tensor x(in);
  x.data = {1, -2.6f};
  CHECK(again->reference(x).data == std::vector<float>{0.7f, 0});  // clip(0.2x + 0.5, 0, 1)
  CHECK(conv->reference(x).data == again->reference(x).data);

  // A negative LeakyReLU slope: Keras 2 computed it; convscope does, and says Keras 3 refuses it.
  {
    KerasGenerationScope keras2(2);
    auto leaky = test::activation_layer("LeakyReLU", {{"alpha", -0.5}});
    CHECK(spec_of(*leaky).negative_slope == -0.5);
    REQUIRE(leaky->warnings().size() == 1);
    CHECK_THAT(leaky->warnings()[0], Catch::Contains("Keras 3 refuses it"));
    // Softmax(axis=None) is tf.nn.softmax's last axis in Keras 2, and is written so.
    auto softmax = test::activation_layer("Softmax", {{"axis", nullptr}});
    CHECK(softmax->keras_config()["axis"] == -1);
  }
  auto every = test::activation_layer("Softmax", {{"axis", nullptr}});
  CHECK(!spec_of(*every).axes);
  CHECK(every->keras_config()["axis"].is_null());
}

TEST_CASE("keras_config reads back through the registry to the same layer", "[activation][registry]") {
  const std::vector<std::pair<std::string, std::string>> specs = {
      {"Activation", R"({"activation": "relu"})"},
      {"Activation", R"({"activation": "swish"})"},
      {"Activation", R"({"activation": null})"},
      {"Activation", R"({"activation": "gelu_new"})"},
      {"Activation", R"({"activation": "hard_sigmoid_keras2"})"},
      {"Activation", R"({"activation": {"module": "keras.activations", "class_name": "function", "config": "mish",
                         "registered_name": "mish"}})"},
      {"Activation", R"({"activation": "log_softmax"})"},
      {"ReLU", R"({"max_value": 6, "negative_slope": 0.1, "threshold": 0.5})"},
      {"ReLU", R"({})"},
      {"LeakyReLU", R"({"alpha": 0.1})"},
      {"ELU", R"({"alpha": 0.5})"},
      {"ThresholdedReLU", R"({"theta": 0.7})"},
      {"Softmax", R"({"axis": [1, 2]})"},
      {"Softmax", R"({"axis": [2]})"},
      {"Softmax", R"({"axis": 1})"},
      {"PReLU", R"({"shared_axes": [1, 2], "alpha_regularizer": null})"},
      {"PReLU", R"({"shared_axes": 1})"},
  };
  const Shape in = test::activation_shape(2, DataFormat::ChannelsLast, 2, 3, {4, 5});
  uint32_t seed = 400;
  for (const auto& [cls, config] : specs) {
    INFO(cls << " " << config);
    auto layer = test::activation_layer(cls, json::parse(config));
    const json written = layer->keras_config();
    CHECK(written["name"] == "a");
    auto again = test::make_layer({{"class_name", std::string(layer->class_name())}, {"config", written}});
    CHECK(again->keras_config() == written);
    with_random_weights(*layer, in, seed);
    with_random_weights(*again, in, seed++);
    const Tensor x = test::extreme_tensor(in, seed++);
    CHECK(again->reference(x).data == layer->reference(x).data);
  }
  // What Keras 3 writes, key for key.
  CHECK(test::activation_layer("ReLU", json::object())->keras_config() ==
        json::parse(R"({"name": "a", "trainable": true, "dtype": "float32", "max_value": null, "negative_slope": 0.0,
                        "threshold": 0.0})"));
  CHECK(test::activation_layer("LeakyReLU", {{"alpha", 0.1}})->keras_config()["negative_slope"] == 0.1);
  CHECK(test::activation_layer("Activation", {{"activation", "swish"}})->keras_config()["activation"] == "silu");
  CHECK(test::activation_layer("Activation", {{"activation", "gelu_new"}})->keras_config()["activation"]["config"] ==
        "convscope>gelu_approximate");
  CHECK(test::activation_layer("PReLU", {{"shared_axes", 1}})->keras_config()["shared_axes"] == json::array({1}));
  CHECK(test::activation_layer("PReLU", json::object())->keras_config()["alpha_initializer"]["class_name"] == "Zeros");
  CHECK(LayerRegistry::builtin().find("PReLU")->family == "activation");
}

namespace {

// A case folder of make_golden_activations.py: layer.json (one layer, or a model), input.npy,
// weight_<i>.npy, expected.npy. GPU and reference within 1e-5 (1 + |expected|), and inf
// exactly where Keras overflows to inf.
void check_golden(const test::GoldenCase& c) {
  INFO("golden case " << c.name);
  // As a model file's parser will: the generation its keras_version names.
  const json doc = read_json(c.layer);
  KerasGenerationScope generation(keras_generation_of(doc.value("keras_version", "")));
  Model model = parse_pipeline(doc);
  const NdArray array = read_npy(c.input);
  const Tensor input = from_keras(array, model.input_rank().value_or(array.rank() - 2), model.input_format(), c.name);
  provide_weights(model, input.shape, c.weights, std::nullopt, 0);
  const NdArray expected = read_npy(c.expected);
  Tensor reference = input;
  for (const Node& node : model.nodes) reference = node.layer->reference(reference);
  RunResult gpu = run_model(test::gpu(), model, input);
  test::require_validation_clean(test::gpu());
  for (const Tensor* t : {&reference, &gpu.outputs.back()}) {
    INFO((t == &reference ? "reference" : "GPU"));
    const NdArray actual = to_keras(*t, t->shape.format);
    REQUIRE(actual.shape == expected.shape);
    double worst = 0;
    for (size_t i = 0; i < actual.size(); ++i) {
      const double a = actual.data[i], e = expected.data[i];
      const double err = std::isinf(e) ? (a == e ? 0.0 : INFINITY) : std::abs(a - e) / (1.0 + std::abs(e));
      if (!(err <= worst)) worst = std::isnan(err) ? INFINITY : err;
    }
    CHECK(worst <= 1e-5);
  }
}

}  // namespace

TEST_CASE("the activation layers reproduce the golden values", "[activation][golden]") {
  const auto cases = test::golden_cases("act_");
  REQUIRE(cases.size() >= 50);
  for (const auto& c : cases) check_golden(c);
}

TEST_CASE("files of earlier Keras generations reproduce their golden values", "[activation][golden]") {
  // tests/golden/generations/: cases whose values follow the file's keras_version, which the
  // model parser turns into the Keras generation (`convscope eval` reads them once it does).
  namespace fs = std::filesystem;
  std::vector<test::GoldenCase> cases;
  for (const auto& entry : fs::directory_iterator(fs::path(CONVSCOPE_SOURCE_DIR) / "tests" / "golden" / "generations"))
    cases.push_back(test::golden_case(entry.path()));
  REQUIRE(cases.size() >= 5);
  for (const auto& c : cases) check_golden(c);
}
