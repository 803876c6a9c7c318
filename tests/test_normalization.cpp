// The normalisation family: BatchNormalization, LayerNormalization, Rescaling, Normalization,
// CenterCrop and Resizing. Hand-checked values, every Keras error by its message, the keys
// each Keras generation writes, config round trips, GPU against the CPU reference over awkward
// shapes (vectors, 1D to 3D, channels_first, several axes, a 7755-element group), fp16
// storage, and the golden cases of tests/golden/make_golden_norm.py (PyTorch).
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>

#include "core/error.h"
#include "core/half.h"
#include "golden_cases.h"
#include "gpu.h"
#include "io/json_file.h"
#include "io/npy.h"
#include "layer_check.h"
#include "layers/norm/batch_norm.h"
#include "layers/norm/layer_norm.h"
#include "layers/norm/norm_axes.h"
#include "model/parse_pipeline.h"
#include "vk/device_tensor.h"
#include "vk/sequence.h"

using namespace convscope;
using nlohmann::json;

namespace {

constexpr DataFormat CL = DataFormat::ChannelsLast, CF = DataFormat::ChannelsFirst;

json spec(const std::string& class_name, json config, const std::string& name = "n") {
  config["name"] = name;
  return {{"class_name", class_name}, {"config", config}};
}

Shape keras(std::vector<int64_t> dims, DataFormat f = CL) { return shape_from_keras(dims, f, "test"); }

Tensor values(const Shape& s, std::vector<float> v) {
  Tensor t(s);
  REQUIRE(v.size() == t.data.size());
  t.data = std::move(v);
  return t;
}

// Random weights of the shapes the layer asks for; variances (and standard deviations) positive.
void set_random_weights(Layer& layer, const Shape& in, uint32_t seed) {
  const auto names = layer.weight_names();
  const auto shapes = layer.weight_shapes(in);
  std::vector<NdArray> w;
  for (size_t i = 0; i < shapes.size(); ++i) {
    NdArray a = test::random_array(shapes[i], seed + static_cast<uint32_t>(i));
    if (names[i].find("variance") != std::string::npos || names[i].find("stddev") != std::string::npos)
      for (float& v : a.data) v = std::abs(v) + 0.05f;
    w.push_back(std::move(a));
  }
  layer.set_weights(in, std::move(w));
}

// The layer recorded on its own, the input in the Keras axis order its shape says. (A model
// of rank-free layers alone reads its input channels_last, so run_on_gpu would relabel a
// channels_first tensor.)
Tensor run_direct(vk::Context& ctx, const Layer& layer, const Tensor& input) {
  const DeviceTensor in = to_device(ctx, input, "input");
  const DeviceTensor out = allocate(ctx, layer.output_shape(input.shape), "output");
  vk::Sequence seq(ctx);
  layer.record(seq, in, out);
  seq.submit();
  test::require_validation_clean(ctx);
  return to_host(ctx, out);
}

double max_error(const Layer& layer, const Tensor& actual, const Tensor& expected) {
  INFO(layer.label());
  REQUIRE(actual.shape == expected.shape);
  return test::max_relative_error(actual, expected);
}

void refused(const json& s, const std::string& words, const Shape* input = nullptr) {
  INFO(s.dump());
  try {
    auto layer = test::make_layer(s);
    if (input) layer->output_shape(*input);
    FAIL("accepted");
  } catch (const UserError& e) {
    CHECK_THAT(std::string(e.what()), Catch::StartsWith(s["class_name"].get<std::string>() + " 'n': ") &&
                                          Catch::Contains(words));
  }
}

}  // namespace

TEST_CASE("normalisation layers compute Keras' formulas", "[norm]") {
  const Shape vec = keras({1, 3});
  auto bn = test::make_layer(spec("BatchNormalization", {{"epsilon", 0.0}}));
  std::vector<NdArray> w = {NdArray({3}), NdArray({3}), NdArray({3}), NdArray({3})};
  w[0].data = {2, 1, 1};    // gamma
  w[1].data = {0, 1, 0};    // beta
  w[2].data = {1, 0, -1};   // moving mean
  w[3].data = {4, 1, 0.25}; // moving variance
  bn->set_weights(vec, w);
  CHECK(bn->reference(values(vec, {3, 5, 0})).data == std::vector<float>{2, 6, 2});

  // LayerNormalization of (1, 2, 3): mean 2, biased variance 2/3.
  auto ln = test::make_layer(spec("LayerNormalization", json::object()));
  ln->set_weights(vec, ln->initial_weights(vec, 0));
  const auto y = ln->reference(values(vec, {1, 2, 3})).data;
  const double sd = std::sqrt(2.0 / 3.0 + 1e-3);
  CHECK(y[0] == Approx(-1 / sd));
  CHECK(y[1] == Approx(0).margin(1e-7));
  CHECK(y[2] == Approx(1 / sd));
  // rms_scaling: x / sqrt(variance + epsilon) * gamma, the mean left in.
  auto rms = test::make_layer(spec("LayerNormalization", {{"rms_scaling", true}, {"epsilon", 0.0}}));
  rms->set_weights(vec, rms->initial_weights(vec, 0));
  CHECK(rms->reference(values(vec, {1, 2, 3})).data[2] == Approx(3 / std::sqrt(2.0 / 3.0)));

  auto rescale = test::make_layer(spec("Rescaling", {{"scale", 0.5}, {"offset", -1}}));
  CHECK(rescale->reference(values(vec, {0, 2, 4})).data == std::vector<float>{-1, 0, 1});

  auto norm = test::make_layer(spec("Normalization", {{"mean", {1, 2, 3}}, {"variance", {4, 0, 1}}}));
  CHECK(norm->reference(values(vec, {3, 2, 5})).data == std::vector<float>{1, 0, 2});  // sd floor 1e-7 for 0
  auto invert = test::make_layer(spec("Normalization", {{"mean", 1}, {"variance", 4}, {"invert", true}}));
  CHECK(invert->reference(values(vec, {1, 0, -1})).data == std::vector<float>{3, 1, -1});
}

TEST_CASE("Resizing and CenterCrop sample as tf.image.resize", "[norm]") {
  const Shape row4 = keras({1, 1, 4, 1});
  // Nearest 4 -> 2: floor((o + 0.5) * 2) = 1, 3.
  auto nearest = test::make_layer(spec("Resizing", {{"height", 1}, {"width", 2}, {"interpolation", "nearest"}}));
  CHECK(nearest->reference(values(row4, {10, 11, 12, 13})).data == std::vector<float>{11, 13});
  // Bilinear 2 -> 4: s = -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
  auto bilinear = test::make_layer(spec("Resizing", {{"height", 1}, {"width", 4}}));
  CHECK(bilinear->reference(values(keras({1, 1, 2, 1}), {0, 4})).data == std::vector<float>{0, 1, 3, 4});
  // pad_to_aspect_ratio: a 2x4 image padded to 4x4 with one row of fill above and below.
  auto pad = test::make_layer(spec("Resizing", {{"height", 4}, {"width", 4}, {"pad_to_aspect_ratio", true},
                                                {"fill_value", 9}, {"interpolation", "nearest"}}));
  std::vector<float> img(8);
  for (int i = 0; i < 8; ++i) img[i] = static_cast<float>(i);
  CHECK(pad->reference(values(keras({1, 2, 4, 1}), img)).data ==
        std::vector<float>{9, 9, 9, 9, 0, 1, 2, 3, 4, 5, 6, 7, 9, 9, 9, 9});
  // crop_to_aspect_ratio: the middle 2x2 of a 2x4 image, at scale 1.
  auto crop = test::make_layer(spec("Resizing", {{"height", 2}, {"width", 2}, {"crop_to_aspect_ratio", true}}));
  CHECK(crop->reference(values(keras({1, 2, 4, 1}), img)).data == std::vector<float>{1, 2, 5, 6});
  // CenterCrop starts at (n - size) // 2; a smaller input goes through smart_resize instead.
  auto center = test::make_layer(spec("CenterCrop", {{"height", 1}, {"width", 2}}));
  CHECK(center->reference(values(keras({1, 2, 4, 1}), img)).data == std::vector<float>{1, 2});
  auto grow = test::make_layer(spec("CenterCrop", {{"height", 2}, {"width", 8}}));
  CHECK(grow->reference(values(keras({1, 1, 4, 1}), {0, 4, 8, 12})).data ==
        std::vector<float>{0, 1, 3, 5, 7, 9, 11, 12, 0, 1, 3, 5, 7, 9, 11, 12});
}

TEST_CASE("normalisation weights: names, counts, shapes and Keras' initial values", "[norm][args]") {
  const Shape img = keras({2, 5, 7, 3});
  auto bn = test::make_layer(spec("BatchNormalization", json::object()));
  CHECK(bn->weight_names() == std::vector<std::string>{"gamma", "beta", "moving_mean", "moving_variance"});
  CHECK(bn->non_trainable_weight_count() == 2);
  CHECK(bn->weight_shapes(img) == std::vector<std::vector<int64_t>>(4, {3}));
  const auto init = bn->initial_weights(img, 1);
  CHECK(init[0].data == std::vector<float>{1, 1, 1});
  CHECK(init[1].data == std::vector<float>{0, 0, 0});
  CHECK(init[2].data == std::vector<float>{0, 0, 0});
  CHECK(init[3].data == std::vector<float>{1, 1, 1});
  auto bare = test::make_layer(spec("BatchNormalization", {{"center", false}, {"scale", false}, {"axis", 1}}));
  CHECK(bare->weight_names() == std::vector<std::string>{"moving_mean", "moving_variance"});
  CHECK(bare->weight_shapes(img) == std::vector<std::vector<int64_t>>(2, {5}));
  // tf.keras with several axes: weights of the input's rank, 1 off the axes.
  auto multi = test::make_layer(spec("BatchNormalization", {{"axis", {1, 3}}}));
  CHECK(multi->weight_shapes(img).front() == std::vector<int64_t>{1, 5, 1, 3});
  auto renorm = test::make_layer(spec("BatchNormalization", {{"renorm", true}}));
  CHECK(renorm->weight_names().size() == 7);
  CHECK(renorm->non_trainable_weight_count() == 5);

  auto ln = test::make_layer(spec("LayerNormalization", {{"axis", {-1, 1}}}));
  CHECK(ln->weight_shapes(img) == std::vector<std::vector<int64_t>>(2, {5, 3}));  // sorted, as Keras 3
  CHECK(ln->initial_weights(img, 1)[0].data == std::vector<float>(15, 1.0f));
  auto rms = test::make_layer(spec("LayerNormalization", {{"rms_scaling", true}, {"scale", false}}));
  CHECK(rms->weight_names() == std::vector<std::string>{"gamma"});  // Keras keeps gamma, drops beta

  auto adapted = test::make_layer(spec("Normalization", {{"axis", {1, -1}}}));
  CHECK(adapted->weight_names() == std::vector<std::string>{"mean", "variance", "count"});
  CHECK(adapted->non_trainable_weight_count() == 3);
  CHECK(adapted->weight_shapes(img) == std::vector<std::vector<int64_t>>{{5, 3}, {5, 3}, {}});
  auto whole = test::make_layer(spec("Normalization", {{"axis", nullptr}}));
  CHECK(whole->weight_shapes(img) == std::vector<std::vector<int64_t>>{{}, {}, {}});
  CHECK(test::make_layer(spec("Normalization", {{"mean", 0.5}, {"variance", 2}}))->weight_names().empty());

  // Counts and shapes that do not fit, refused naming the layer and the array.
  CHECK_THROWS_WITH(bn->set_weights(img, {NdArray({3}), NdArray({3})}),
                    Catch::StartsWith("BatchNormalization 'n': weights: expected 4 arrays"));
  CHECK_THROWS_WITH(bn->set_weights(img, {NdArray({3}), NdArray({3}), NdArray({4}), NdArray({3})}),
                    Catch::Contains("array 2 has shape (4,), expected (3,)"));
  CHECK_THROWS_WITH(ln->set_weights(img, {NdArray({3, 5}), NdArray({5, 3})}),
                    Catch::Contains("LayerNormalization 'n': weights: array 0 has shape (3, 5), expected (5, 3)"));
  CHECK_THROWS_WITH(test::make_layer(spec("Rescaling", {{"scale", 2}}))->set_weights(img, {NdArray({3})}),
                    Catch::Contains("the layer takes no weights"));
}

TEST_CASE("normalisation layers refuse what Keras refuses, naming the layer and the argument", "[norm][args]") {
  const Shape img = keras({1, 5, 7, 3});
  refused(spec("BatchNormalization", {{"axis", 4}}), "axis: 4 is out of range for an input of shape (1, 5, 7, 3)", &img);
  refused(spec("BatchNormalization", {{"axis", -5}}), "axis: -5 is out of range", &img);
  refused(spec("LayerNormalization", {{"axis", {1, -3}}}), "axis: (1, -3) names axis 1 twice", &img);
  refused(spec("LayerNormalization", {{"axis", 0}}), "axis: 0 is the batch axis", &img);
  refused(spec("Normalization", {{"axis", {1, 9}}}), "axis: 9 is out of range", &img);
  refused(spec("BatchNormalization", {{"axis", "channels"}}), "axis: 'channels' is not an int or a list of ints");
  refused(spec("LayerNormalization", {{"axis", {1.5}}}), "which is not an int");
  refused(spec("BatchNormalization", {{"mode", 2}}), "mode: 2 is Keras 1's normalisation by each batch's statistics");
  refused(spec("BatchNormalization", {{"mode", 1}}), "mode: 1 is Keras 1's sample-wise normalisation");
  refused(spec("BatchNormalization", {{"virtual_batch_size", 8}}), "virtual_batch_size: 8: tf.keras's ghost batches");
  refused(spec("BatchNormalization", {{"epsilon", -1}}), "epsilon: -1 is negative");
  refused(spec("BatchNormalization", {{"momentum", "fast"}}), "momentum: 'fast' is not a number");
  refused(spec("Rescaling", {{"offset", 1}}), "scale: missing");
  refused(spec("Rescaling", {{"scale", "x"}}), "scale: 'x' is not a number");
  refused(spec("Rescaling", {{"scale", json::parse("[[1, 2], [3]]")}}), "scale: ((1, 2), (3,)) is ragged");
  refused(spec("Rescaling", {{"scale", {1, 2}}}), "scale: an array of shape (2,) does not broadcast against the input "
                                                  "(1, 5, 7, 3): axis -1 has 3, not 2", &img);
  refused(spec("Rescaling", {{"scale", 1}, {"offset", json::parse("[[[[[1]]]]]")}}), "offset: an array of shape (1, 1, 1, 1, 1) has more "
                                                                    "axes than the input", &img);
  refused(spec("Normalization", {{"mean", {1, 2, 3}}}), "variance: missing while mean is set");
  refused(spec("Normalization", {{"mean", {1, 2}}, {"variance", {1, 2, 3}}}), "variance: has shape (3,) and mean (2,)");
  refused(spec("Normalization", {{"mean", json::parse("[[1, 2]]")}, {"variance", json::parse("[[1, 2]]")}}),
          "mean: has 2 axes, more than the 1 kept");
  refused(spec("Normalization", {{"mean", {1, 2}}, {"variance", {1, 2}}}), "mean: an array of shape (2,) does not fit",
          &img);
  refused(spec("Resizing", {{"height", 4}, {"width", 4}, {"interpolation", "bicubic"}}),
          "interpolation: 'bicubic' is a tf.image.resize method convscope does not implement");
  refused(spec("Resizing", {{"height", 4}, {"width", 4}, {"interpolation", "cubic"}}), "interpolation: 'cubic' is unknown");
  refused(spec("Resizing", {{"height", 0}, {"width", 4}}), "height: 0 must be 1 or more");
  refused(spec("Resizing", {{"width", 4}}), "height: missing");
  refused(spec("CenterCrop", {{"height", 4}, {"width", -2}}), "width: -2 must be 1 or more");
  refused(spec("CenterCrop", {{"height", 4}, {"width", 2.5}}), "width: 2.5 is not an integer");
  refused(spec("Resizing", {{"height", 4}, {"width", 4}, {"crop_to_aspect_ratio", true}, {"pad_to_aspect_ratio", true}}),
          "pad_to_aspect_ratio: True with crop_to_aspect_ratio=True");
  refused(spec("Resizing", {{"height", 4}, {"width", 4}, {"antialias", true}}), "antialias: True");
  refused(spec("Resizing", {{"height", 4}, {"width", 4}, {"fill_mode", "reflect"}}), "fill_mode: 'reflect'");
  refused(spec("Resizing", {{"height", 4}, {"width", 4}, {"data_format", "NHWC"}}), "data_format: 'NHWC'");
  const Shape line = keras({1, 9, 3});
  refused(spec("Resizing", {{"height", 4}, {"width", 4}}), "input is 1D, the layer is 2D", &line);
  const Shape vec = keras({2, 3});
  refused(spec("CenterCrop", {{"height", 4}, {"width", 4}}), "input is a vector", &vec);
}

TEST_CASE("every key a Keras generation or TensorFlow.js writes for the family is accepted", "[norm][args]") {
  const json init = {{"module", "keras.initializers"}, {"class_name", "Ones"}, {"config", json::object()},
                     {"registered_name", nullptr}};
  const json policy = {{"module", "keras"}, {"class_name", "DTypePolicy"}, {"config", {{"name", "float32"}}},
                       {"registered_name", nullptr}};
  const std::vector<json> configs = {
      // Keras 3.
      {{"class_name", "BatchNormalization"},
       {"config", {{"name", "bn"}, {"trainable", true}, {"dtype", policy}, {"axis", -1}, {"momentum", 0.99},
                   {"epsilon", 0.001}, {"center", true}, {"scale", true}, {"beta_initializer", init},
                   {"gamma_initializer", init}, {"moving_mean_initializer", init}, {"moving_variance_initializer", init},
                   {"beta_regularizer", nullptr}, {"gamma_regularizer", nullptr}, {"beta_constraint", nullptr},
                   {"gamma_constraint", nullptr}, {"synchronized", false}, {"renorm", false},
                   {"renorm_clipping", nullptr}, {"renorm_momentum", 0.99}}}},
      // tf.keras 2: axis as a list, fused, and the renorm keys when renorm is on.
      {{"class_name", "BatchNormalization"},
       {"config", {{"name", "bn"}, {"trainable", false}, {"dtype", "float32"}, {"axis", {3}}, {"momentum", 0.99},
                   {"epsilon", 1e-5}, {"center", true}, {"scale", false}, {"fused", nullptr},
                   {"virtual_batch_size", nullptr}, {"adjustment", nullptr}, {"renorm", true},
                   {"renorm_clipping", {{"rmax", 3}}}, {"renorm_momentum", 0.9}}}},
      // Keras 1.
      {{"class_name", "BatchNormalization"},
       {"config", {{"name", "bn"}, {"trainable", true}, {"epsilon", 0.001}, {"mode", 0}, {"axis", 1},
                   {"momentum", 0.99}, {"beta_init", "zero"}, {"gamma_init", "one"}, {"gamma_regularizer", nullptr},
                   {"beta_regularizer", nullptr}, {"batch_input_shape", {nullptr, 3, 8, 8}}, {"input_dtype", "float32"}}}},
      {{"class_name", "SyncBatchNormalization"}, {"config", {{"axis", -1}, {"momentum", 0.9}}}},
      {{"class_name", "LayerNormalization"},
       {"config", {{"name", "ln"}, {"trainable", true}, {"dtype", policy}, {"axis", {-1}}, {"epsilon", 1e-6},
                   {"center", true}, {"scale", true}, {"rms_scaling", false}, {"beta_initializer", init},
                   {"gamma_initializer", init}, {"beta_regularizer", nullptr}, {"gamma_regularizer", nullptr},
                   {"beta_constraint", nullptr}, {"gamma_constraint", nullptr}}}},
      {{"class_name", "Rescaling"},
       {"config", {{"name", "r"}, {"trainable", true}, {"dtype", policy},
                   {"scale", {{"class_name", "__numpy__"}, {"config", {{"value", {0.5, 0.25, 2.0}}, {"dtype", "float32"}}}}},
                   {"offset", 0.0}}}},
      {{"class_name", "Normalization"},
       {"config", {{"name", "nz"}, {"trainable", true}, {"dtype", policy}, {"axis", {-1}}, {"invert", false},
                   {"mean", nullptr}, {"variance", nullptr}}}},
      // tf.keras 2.6: no invert.
      {{"class_name", "Normalization"}, {"config", {{"name", "nz"}, {"axis", {-1}}, {"mean", {1, 2, 3}},
                                                    {"variance", {1, 1, 4}}}}},
      {{"class_name", "Resizing"},
       {"config", {{"name", "rs"}, {"trainable", true}, {"dtype", policy}, {"height", 8}, {"width", 6},
                   {"interpolation", "bilinear"}, {"crop_to_aspect_ratio", false}, {"pad_to_aspect_ratio", false},
                   {"fill_mode", "constant"}, {"fill_value", 0.0}, {"antialias", false},
                   {"data_format", "channels_last"}}}},
      // tf.keras 2 and TensorFlow.js (whose cropToAspectRatio its writer spells in snake case).
      {{"class_name", "Resizing"}, {"config", {{"name", "rs"}, {"height", 8}, {"width", 6}, {"interpolation", "nearest"},
                                              {"crop_to_aspect_ratio", true}}}},
      {{"class_name", "CenterCrop"},
       {"config", {{"name", "cc"}, {"trainable", true}, {"dtype", policy}, {"height", 4}, {"width", 4},
                   {"data_format", "channels_first"}, {"bounding_box_format", "xyxy"}}}},
  };
  for (const json& c : configs) {
    INFO(c.dump());
    CHECK_NOTHROW(test::make_layer(c));
  }
  CHECK_THAT(std::string(test::make_layer(configs[5])->keras_config()["scale"]["class_name"]), Catch::Equals("__numpy__"));
  CHECK(dynamic_cast<BatchNormLayer&>(*test::make_layer(configs[2])).axes() == std::vector<int64_t>{1});
}

TEST_CASE("normalisation configs survive a round trip through keras_config", "[norm][args]") {
  const std::vector<json> specs = {
      spec("BatchNormalization", {{"axis", 1}, {"epsilon", 1e-5}, {"center", false}, {"momentum", 0.9}}),
      spec("BatchNormalization", {{"axis", {1, 3}}, {"renorm", true}, {"renorm_momentum", 0.5}}),
      spec("LayerNormalization", {{"axis", {1, 2}}, {"rms_scaling", true}, {"scale", false}}),
      spec("LayerNormalization", {{"axis", -1}}),
      spec("Rescaling", {{"scale", json::parse("[[1, 2, 3]]")}, {"offset", -1.5}}),
      spec("Normalization", {{"axis", nullptr}, {"mean", 0.5}, {"variance", 0.25}, {"invert", true}}),
      spec("Normalization", {{"axis", {1, -1}}}),
      spec("Resizing", {{"height", 7}, {"width", 3}, {"interpolation", "nearest"}, {"pad_to_aspect_ratio", true},
                        {"fill_value", 0.5}, {"data_format", "channels_first"}}),
      spec("CenterCrop", {{"height", 5}, {"width", 9}, {"data_format", "channels_first"}}),
  };
  for (const json& s : specs) {
    INFO(s.dump());
    const json once = test::make_layer(s)->keras_config();
    CHECK(once["name"] == "n");
    const json twice = test::make_layer({{"class_name", s["class_name"]}, {"config", once}})->keras_config();
    CHECK(once == twice);
    for (const auto& [key, value] : s["config"].items())
      if (key != "axis" || value.is_number()) CHECK(once[key] == value);
  }
  CHECK(test::make_layer(specs[0])->keras_config()["axis"] == 1);       // an int stays an int
  CHECK(test::make_layer(specs[2])->keras_config()["axis"] == json({1, 2}));
  CHECK(test::make_layer(specs[5])->keras_config()["axis"] == json::array());  // None is the empty tuple
}

namespace {

struct GpuCase {
  json spec;
  Shape input;
  double tolerance = 1e-5;
};

std::vector<GpuCase> gpu_cases() {
  auto bn = [](json c) { return spec("BatchNormalization", std::move(c)); };
  auto ln = [](json c) { return spec("LayerNormalization", std::move(c)); };
  auto rs = [](json c) { return spec("Rescaling", std::move(c)); };
  auto nz = [](json c) { return spec("Normalization", std::move(c)); };
  auto resize = [](json c) { return spec("Resizing", std::move(c)); };
  auto crop = [](json c) { return spec("CenterCrop", std::move(c)); };
  return {
      {bn(json::object()), keras({2, 7})},
      {bn({{"axis", 1}}), keras({3, 9, 4})},  // the steps axis of a 1D tensor
      {bn(json::object()), keras({3, 9, 4})},
      {bn({{"axis", 1}}), keras({2, 3, 5, 7}, CF)},
      {bn({{"axis", -1}}), keras({2, 3, 5, 7}, CF)},
      {bn({{"axis", {1, 3}}}), keras({1, 6, 5, 3})},
      {bn({{"center", false}}), keras({1, 3, 4, 5, 2})},
      {bn(json::object()), keras({2, 4, 6, 3})},  // maps of 24: affine.comp's vec4 path
      {bn({{"axis", 1}}), keras({2, 3, 4, 7}, CF)},  // 28 per channel, 168 elements
      {bn({{"axis", 1}, {"scale", false}, {"renorm", true}}), keras({2, 2, 3, 4, 5}, CF)},
      {bn({{"axis", {2, 4}}, {"center", false}, {"scale", false}}), keras({2, 2, 3, 4, 5}, CF)},
      {ln(json::object()), keras({3, 10})},
      {ln(json::object()), keras({2, 7, 5})},
      {ln({{"axis", {1, 2}}}), keras({2, 7, 5})},
      {ln({{"axis", {1, 2, 3}}, {"center", false}}), keras({1, 5, 33, 47}, CF)},  // one group of 7755
      {ln({{"axis", {1, 2, 3}}}), keras({2, 33, 47, 5})},
      {ln({{"axis", -1}}), keras({2, 3, 4, 5}, CF)},
      {ln({{"axis", 1}}), keras({2, 3, 4, 5}, CF)},
      {ln({{"axis", {-3, -1}}}), keras({2, 4, 6, 3})},
      {ln({{"axis", {2, 4}}, {"rms_scaling", true}}), keras({1, 2, 3, 4, 5})},
      {ln({{"axis", {1, 3}}, {"scale", false}}), keras({2, 3, 2, 3, 4}, CF)},  // alternating axes
      {ln({{"axis", -1}}), keras({2, 9, 300})},
      {rs({{"scale", 0.5}, {"offset", 0.25}}), keras({2, 5})},
      {rs({{"scale", {0.5, 2, -1}}, {"offset", {1, 0, 0}}}), keras({1, 4, 5, 3})},
      {rs({{"scale", {1, 2, 3, 4, 5}}}), keras({2, 3, 4, 5}, CF)},
      {rs({{"scale", json::parse("[[1], [2], [3], [4]]")}, {"offset", {0.5, 1, 1.5, 2, 2.5}}}), keras({1, 3, 4, 5}, CF)},
      {rs({{"scale", json::parse("[[[[2]]], [[[3]]]]")}, {"offset", -1}}), keras({2, 2, 3, 4, 1})},
      {nz({{"mean", {0.1, 0.2, 0.3}}, {"variance", {1, 4, 0.25}}}), keras({2, 6, 5, 3})},
      {nz({{"axis", nullptr}, {"mean", 0.5}, {"variance", 2}}), keras({3, 4})},
      {nz({{"axis", {1, 3}}, {"mean", {1, 2, 3}}, {"variance", {4, 1, 0.5}}}), keras({1, 4, 2, 3})},
      {nz({{"axis", {-1, 1}}}), keras({2, 4, 5, 3})},
      {nz({{"axis", 1}, {"invert", true}}), keras({2, 3, 4, 5}, CF)},
      {resize({{"height", 9}, {"width", 13}}), keras({2, 5, 7, 3})},
      {resize({{"height", 4}, {"width", 5}, {"data_format", "channels_first"}}), keras({1, 2, 9, 13}, CF)},
      {resize({{"height", 11}, {"width", 3}, {"interpolation", "nearest"}}), keras({2, 5, 7, 2})},
      {resize({{"height", 4}, {"width", 4}, {"crop_to_aspect_ratio", true}}), keras({1, 6, 10, 3})},
      {resize({{"height", 8}, {"width", 8}, {"pad_to_aspect_ratio", true}, {"fill_value", 0.5}}), keras({1, 6, 10, 2})},
      {resize({{"height", 7}, {"width", 8}, {"pad_to_aspect_ratio", true}, {"interpolation", "nearest"},
               {"data_format", "channels_first"}}),
       keras({2, 3, 10, 5}, CF)},
      {resize({{"height", 5}, {"width", 7}}), keras({1, 5, 7, 3})},
      {crop({{"height", 3}, {"width", 4}}), keras({2, 7, 9, 3})},
      {crop({{"height", 3}, {"width", 4}, {"data_format", "channels_first"}}), keras({2, 3, 8, 4}, CF)},
      {crop({{"height", 6}, {"width", 5}}), keras({1, 3, 4, 2})},
      {crop({{"height", 4}, {"width", 5}, {"data_format", "channels_first"}}), keras({2, 2, 7, 3}, CF)},
  };
}

}  // namespace

TEST_CASE("normalisation layers on the GPU match the CPU reference", "[norm][gpu]") {
  uint32_t seed = 500;
  for (const GpuCase& c : gpu_cases()) {
    INFO(c.spec.dump() << " on " << shape_string(c.input.keras()));
    auto layer = test::make_layer(c.spec);
    set_random_weights(*layer, c.input, seed);
    REQUIRE(layer->output_shape(c.input).format == (layer->spatial_rank() ? layer->data_format() : c.input.format));
    const Tensor input = test::random_tensor(c.input, seed + 100);
    CHECK(max_error(*layer, run_direct(test::gpu(), *layer, input), layer->reference(input)) <= c.tolerance);
    // Through a session too, where the input's format is the model's (channels_last here).
    if (c.input.format == CL) test::require_gpu_matches_reference(*layer, input, c.tolerance);
    seed += 7;
  }
}

TEST_CASE("normalisation shaders keep to half precision with fp16 storage", "[norm][fp16]") {
  const auto fp16 = test::fp16_context();
  if (!fp16) {
    SUCCEED("this device has no 16-bit storage buffers");
    return;
  }
  vk::Context& ctx = *fp16;
  uint32_t seed = 900;
  for (const GpuCase& c : gpu_cases()) {
    INFO(c.spec.dump() << " on " << shape_string(c.input.keras()));
    auto layer = test::make_layer(c.spec);
    set_random_weights(*layer, c.input, seed);
    Tensor input = test::random_tensor(c.input, seed++);
    input.data = from_half(to_half(input.data));
    const Tensor out = run_direct(ctx, *layer, input);
    // The output rounds once more to 16 bits, 2^-11 relative; normalised values reach ~10.
    CHECK(test::max_relative_error(out, layer->reference(input)) <= 2e-3);
  }
}

TEST_CASE("index runs merge contiguous axes and find parameters", "[norm]") {
  // Channels-last image (N=2, C=3, H=4, W=5) with a per-channel parameter: element i reads (i / 20) % 3.
  IndexRuns r = param_runs({2, 3, 1, 4, 5}, {1, 3, 1, 1, 1});
  CHECK(r.divisor == std::array<int32_t, 3>{20, 1, 1});
  CHECK(r.size == std::array<int32_t, 3>{3, 1, 1});
  CHECK(r.stride == std::array<int32_t, 3>{1, 0, 0});
  // Varying along C and W, not H: two runs.
  r = param_runs({1, 3, 1, 4, 5}, {1, 3, 1, 1, 5});
  CHECK(r.divisor == std::array<int32_t, 3>{1, 20, 1});
  CHECK(r.size == std::array<int32_t, 3>{5, 3, 1});
  CHECK(r.stride == std::array<int32_t, 3>{1, 5, 0});
  // C, H and W together (D unit): one run of 60.
  r = param_runs({2, 3, 1, 4, 5}, {1, 3, 1, 4, 5});
  CHECK(r.size == std::array<int32_t, 3>{60, 1, 1});
}

TEST_CASE("normalisation golden values from PyTorch", "[norm][golden]") {
  const auto cases = test::golden_cases("norm_");
  REQUIRE(cases.size() >= 20);
  for (const auto& c : cases) {
    INFO("golden case " << c.name);
    Model model = parse_pipeline(read_json(c.layer));
    REQUIRE(model.nodes.size() == 1);
    Layer& layer = *model.nodes.front().layer;
    const NdArray array = read_npy(c.input), expected = read_npy(c.expected);
    std::vector<NdArray> weights;
    for (const auto& w : c.weights) weights.push_back(read_npy(w));
    // A rank-free layer means the same on a tensor stored either way: try both.
    std::vector<DataFormat> formats{layer.data_format()};
    if (layer.spatial_rank() == 0 && array.rank() > 2) formats = {CL, CF};
    for (DataFormat f : formats) {
      INFO(std::string(to_string(f)));
      const Tensor input = from_keras(array, static_cast<int>(array.rank()) - 2, f, c.name);
      layer.set_weights(input.shape, weights);
      const auto error = [&](const Tensor& t) {
        const NdArray got = to_keras(t, f);
        REQUIRE(got.shape == expected.shape);
        double worst = 0;
        for (size_t i = 0; i < got.size(); ++i)
          worst = std::max(worst, std::abs(got.data[i] - expected.data[i]) / (1.0 + std::abs(expected.data[i])));
        return worst;
      };
      CHECK(error(f == CL ? test::run_on_gpu(layer, input) : run_direct(test::gpu(), layer, input)) <= 1e-4);
      CHECK(error(layer.reference(input)) <= 1e-4);
    }
  }
}
