// Convolution layers: the GPU core against the CPU reference over a table of awkward
// shapes, Keras' shape rules and errors, and Keras 1 argument names.
#include <catch2/catch.hpp>

#include "core/error.h"
#include "gpu.h"
#include "layer_check.h"
#include "layers/window_geometry.h"

using namespace convscope;
using nlohmann::json;

namespace {

Shape shape_of(std::vector<int64_t> spatial, int64_t batch, int64_t channels) {
  Shape s;
  s.spatial_rank = static_cast<int>(spatial.size());
  s.n = batch;
  s.c = channels;
  for (int a = 0; a < s.spatial_rank; ++a) s.spatial(a) = spatial[a];
  return s;
}

// A layer from `spec`, with random weights of the shapes it asks for on `input`.
std::unique_ptr<Layer> with_random_weights(const json& spec, const Shape& input, uint32_t seed) {
  auto layer = test::make_layer(spec);
  std::vector<NdArray> weights;
  for (const auto& s : layer->weight_shapes(input)) weights.push_back(test::random_array(s, seed++));
  layer->set_weights(input, std::move(weights));
  return layer;
}

json spec(const std::string& cls, json config) {
  config["name"] = "c";
  return {{"class_name", cls}, {"config", config}};
}

}  // namespace

TEST_CASE("Keras output lengths and 'same' padding split", "[conv][args]") {
  // (n, k, s, d, padding) -> (out, before)
  struct Row { int64_t n, k, s, d; Padding p; int64_t out, before; };
  const Row rows[] = {
      {7, 3, 1, 1, Padding::Valid, 5, 0},  {7, 3, 2, 1, Padding::Valid, 3, 0}, {2, 3, 1, 1, Padding::Valid, 0, 0},
      {7, 4, 2, 1, Padding::Same, 4, 1},   {6, 4, 2, 1, Padding::Same, 3, 1},  {5, 2, 1, 1, Padding::Same, 5, 0},
      {7, 3, 1, 2, Padding::Same, 7, 2},   {5, 1, 3, 1, Padding::Same, 2, 0},  {7, 3, 1, 2, Padding::Causal, 7, 4},
      {7, 3, 2, 1, Padding::Causal, 4, 2}, {5, 3, 1, 1, Padding::Full, 7, 2},  {5, 3, 2, 1, Padding::Full, 4, 2},
  };
  for (const Row& r : rows) {
    INFO(r.n << " " << r.k << " " << r.s << " " << r.d << " " << to_string(r.p));
    const AxisGeometry g = conv_axis(r.n, r.k, r.s, r.d, r.p);
    CHECK(g.out == r.out);
    if (r.out > 0) CHECK(g.offset == r.before);
  }
  // Transposed: (n, k, s, d, padding, op) -> (out, crop offset)
  CHECK(transposed_axis(4, 3, 2, 1, Padding::Valid, std::nullopt).out == 9);
  CHECK(transposed_axis(4, 1, 3, 1, Padding::Valid, std::nullopt).out == 12);  // max(k_eff, s)
  CHECK(transposed_axis(4, 3, 2, 1, Padding::Valid, 1).out == 10);
  CHECK(transposed_axis(4, 4, 2, 1, Padding::Same, std::nullopt).out == 8);
  CHECK(transposed_axis(4, 4, 2, 1, Padding::Same, std::nullopt).offset == 1);
  CHECK(transposed_axis(4, 3, 2, 1, Padding::Same, 1).out == 8);
  CHECK(transposed_axis(4, 3, 2, 1, Padding::Same, 0).offset == 1);
}

TEST_CASE("convolutions on the GPU match the CPU reference over awkward shapes", "[conv][gpu]") {
  struct Case { const char* cls; const char* config; std::vector<int64_t> spatial; int64_t batch, channels; };
  const Case cases[] = {
      {"Conv1D", R"({"filters": 3, "kernel_size": 3})", {9}, 2, 2},
      {"Conv1D", R"({"filters": 5, "kernel_size": 4, "strides": 2, "padding": "same"})", {9}, 1, 3},
      {"Conv1D", R"({"filters": 2, "kernel_size": 3, "dilation_rate": 2, "padding": "causal", "activation": "tanh"})", {7}, 3, 1},
      {"Conv1D", R"({"filters": 6, "kernel_size": 2, "strides": 3, "groups": 3, "padding": "same"})", {10}, 2, 6},
      {"Conv1D", R"({"filters": 4, "kernel_size": 3, "strides": 2, "dilation_rate": 2})", {11}, 1, 2},
      {"Conv2D", R"({"filters": 4, "kernel_size": [3, 3], "padding": "same", "activation": "relu"})", {7, 5}, 2, 3},
      {"Conv2D", R"({"filters": 3, "kernel_size": [2, 4], "strides": [2, 3], "padding": "same"})", {8, 9}, 1, 2},
      {"Conv2D", R"({"filters": 1, "kernel_size": 1, "strides": 3})", {7, 7}, 1, 5},
      {"Conv2D", R"({"filters": 8, "kernel_size": 3, "groups": 2, "dilation_rate": [1, 2], "use_bias": false})", {6, 9}, 2, 4},
      {"Conv2D", R"({"filters": 2, "kernel_size": 3, "padding": "full", "activation": "sigmoid"})", {4, 5}, 1, 1},
      {"Conv3D", R"({"filters": 3, "kernel_size": [2, 3, 1], "strides": [1, 2, 1], "padding": "same"})", {3, 5, 4}, 2, 2},
      {"Conv3D", R"({"filters": 4, "kernel_size": 2, "groups": 2, "dilation_rate": [2, 1, 1]})", {4, 3, 3}, 1, 2},
      {"DepthwiseConv1D", R"({"kernel_size": 3, "depth_multiplier": 2, "padding": "same"})", {8}, 2, 3},
      {"DepthwiseConv2D", R"({"kernel_size": [3, 2], "strides": 2, "activation": "relu6"})", {7, 6}, 1, 3},
      {"DepthwiseConv2D", R"({"kernel_size": 3, "depth_multiplier": 3, "dilation_rate": 2, "padding": "same"})", {6, 7}, 2, 2},
      {"SeparableConv1D", R"({"filters": 4, "kernel_size": 3, "depth_multiplier": 2, "strides": 2})", {9}, 2, 3},
      {"SeparableConv2D", R"({"filters": 5, "kernel_size": [3, 3], "padding": "same", "activation": "elu"})", {6, 5}, 1, 2},
      {"Conv1DTranspose", R"({"filters": 2, "kernel_size": 3, "strides": 2})", {4}, 2, 3},
      {"Conv1DTranspose", R"({"filters": 3, "kernel_size": 4, "strides": 3, "padding": "same", "output_padding": 1})", {5}, 1, 2},
      {"Conv2DTranspose", R"({"filters": 3, "kernel_size": [4, 4], "strides": [2, 2], "padding": "same"})", {3, 4}, 2, 2},
      {"Conv2DTranspose", R"({"filters": 2, "kernel_size": [3, 2], "strides": [1, 3], "dilation_rate": [2, 1]})", {3, 3}, 1, 3},
      {"Conv2DTranspose", R"({"filters": 4, "kernel_size": 1, "strides": 3})", {2, 3}, 1, 1},
      {"Conv3DTranspose", R"({"filters": 2, "kernel_size": [2, 3, 3], "strides": [2, 1, 2], "padding": "same", "output_padding": [1, 0, 1]})", {2, 3, 2}, 1, 2},
  };
  uint32_t seed = 1;
  for (const Case& c : cases) {
    for (const char* format : {"channels_last", "channels_first"}) {
      json config = json::parse(c.config);
      config["data_format"] = format;
      const Shape in = shape_of(c.spatial, c.batch, c.channels);
      INFO(c.cls << " " << config.dump());
      auto layer = with_random_weights(spec(c.cls, config), in, seed++);
      test::require_gpu_matches_reference(*layer, test::random_tensor(in, seed++), 1e-5);
    }
  }
}

TEST_CASE("geometry passed as push constants gives the same results as baked-in geometry", "[conv][gpu]") {
  vk::ContextOptions o = test::gpu_options();
  o.specialize_geometry = false;  // what the interactive app does
  vk::Context ctx(o);
  const std::pair<const char*, const char*> cases[] = {
      {"Conv2D", R"({"filters": 5, "kernel_size": [2, 3], "strides": [2, 1], "dilation_rate": [1, 2], "padding": "same"})"},
      {"Conv1DTranspose", R"({"filters": 3, "kernel_size": 4, "strides": 3, "padding": "same"})"},
      {"Conv3D", R"({"filters": 2, "kernel_size": [1, 2, 3], "groups": 2})"},
  };
  uint32_t seed = 50;
  for (const auto& [cls, config] : cases) {
    INFO(cls << " " << config);
    const json c = json::parse(config);
    const int rank = cls[4] - '0';
    const Shape in = shape_of(std::vector<int64_t>(rank, 6), 2, 4);
    auto layer = with_random_weights(spec(cls, c), in, seed++);
    test::require_gpu_matches_reference(ctx, *layer, test::random_tensor(in, seed++), 1e-5);
  }
}

TEST_CASE("every activation matches on the GPU, applied in each kernel's output stage", "[conv][gpu]") {
  // The dense kernel (Conv2D), the general one (groups), the depthwise one, and a transposed
  // convolution's stride phases; each with the geometry baked in and, as the app runs them,
  // read from push constants.
  vk::ContextOptions o = test::gpu_options();
  o.specialize_geometry = false;
  vk::Context pushed(o);
  const char* kernels[][2] = {{"Conv2D", R"({"filters": 3, "kernel_size": 2})"},
                              {"Conv2D", R"({"filters": 4, "kernel_size": 2, "groups": 2})"},
                              {"DepthwiseConv2D", R"({"kernel_size": 3, "padding": "same", "depth_multiplier": 2})"},
                              {"Conv2DTranspose", R"({"filters": 3, "kernel_size": 3, "strides": 2})"}};
  // Every function through the dense kernel; through the others (whose output stage is the
  // same include) and from push constants, one of each family of maths (a pipeline each, and
  // lavapipe compiles them slowly).
  const std::vector<std::string> all = {"linear", "relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "sigmoid",
                                        "hard_sigmoid", "tanh", "softplus", "softsign", "swish", "silu", "exponential",
                                        "mish", "hard_silu", "softmax"};
  const std::vector<std::string> some = {"linear", "leaky_relu", "gelu", "hard_sigmoid", "softmax"};
  for (size_t k = 0; k < std::size(kernels); ++k)
    for (const std::string& act : k == 0 ? all : some) {
      const auto& [cls, config] = kernels[k];
      INFO(act << " " << cls << " " << config);
      const Shape in = shape_of({6, 5}, 1, 2);
      json c = json::parse(config);
      c["activation"] = act;
      auto layer = with_random_weights(spec(cls, c), in, 9);
      Tensor x = test::random_tensor(in, 4);
      for (float& v : x.data) v *= 3.0f;  // reach the curved parts of each function
      test::require_gpu_matches_reference(*layer, x, 1e-5);
      if (k == 0 ? act == "elu" : true) test::require_gpu_matches_reference(pushed, *layer, x, 1e-5);
    }
  test::require_validation_clean(pushed);
}

TEST_CASE("invalid convolution configurations are refused, naming the argument", "[conv][args]") {
  const Shape in = shape_of({6, 6}, 1, 4);
  // Everything a run does before the GPU: parse, take weights, infer the output shape.
  auto prepare = [&](const std::string& cls, const std::string& config) {
    return with_random_weights(spec(cls, json::parse(config)), in, 1)->output_shape(in);
  };
  auto refused = [&](const std::string& cls, const std::string& config, const std::string& words) {
    INFO(cls << " " << config);
    REQUIRE_THROWS_AS(prepare(cls, config), UserError);
    REQUIRE_THROWS_WITH(prepare(cls, config), Catch::Contains(cls + " 'c'") && Catch::Contains(words));
  };
  refused("Conv2D", R"({"filters": 2, "kernel_size": 7})", "does not fit the 6 rows");
  refused("Conv2D", R"({"filters": 2, "kernel_size": 3, "dilation_rate": 3})", "kernel_size");
  refused("Conv2D", R"({"filters": 3, "kernel_size": 3, "groups": 2})", "groups: 2 does not divide filters=3");
  refused("Conv2D", R"({"filters": 6, "kernel_size": 3, "groups": 3})", "groups: 3 does not divide the 4 input channels");
  refused("Conv2D", R"({"filters": 2, "kernel_size": 3, "strides": 0})", "strides");
  refused("Conv2D", R"({"filters": 2, "kernel_size": 3, "dilation_rate": [1, 0]})", "dilation_rate");
  refused("Conv2D", R"({"filters": 2, "kernel_size": 3, "padding": "causal"})", "'causal' exists only for 1D");
  refused("Conv2D", R"({"filters": 2, "kernel_size": 3, "padding": "reflect"})", "padding: 'reflect'");
  refused("Conv2D", R"({"filters": 2, "kernel_size": 3, "activation": "mishy"})", "activation: 'mishy'");
  refused("Conv2D", R"({"filters": 0, "kernel_size": 3})", "filters");
  refused("Conv2D", R"({"kernel_size": 3})", "filters: missing");
  refused("Conv2D", R"({"filters": 2})", "kernel_size: missing");
  refused("Conv2D", R"({"filters": 2, "kernel_size": [3, 3, 3]})", "kernel_size");
  refused("Conv2DTranspose", R"({"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 2})",
          "output_padding");
  refused("Conv2DTranspose", R"({"filters": 2, "kernel_size": 3, "padding": "full"})", "transposed");
  refused("DepthwiseConv2D", R"({"kernel_size": 3, "depth_multiplier": 0})", "depth_multiplier");
}

TEST_CASE("wrong weights are refused with the shapes expected and given", "[conv][args]") {
  const Shape in = shape_of({6, 6}, 1, 3);
  auto layer = test::make_layer(spec("Conv2D", {{"filters", 4}, {"kernel_size", 3}}));
  REQUIRE_THROWS_WITH(layer->set_weights(in, {test::random_array({3, 3, 3, 4}, 1)}),
                      Catch::Contains("expected 2 arrays") && Catch::Contains("(3, 3, 3, 4), (4,)"));
  REQUIRE_THROWS_WITH(layer->set_weights(in, {test::random_array({3, 3, 4, 3}, 1), test::random_array({4}, 2)}),
                      Catch::Contains("array 0 has shape (3, 3, 4, 3), expected (3, 3, 3, 4)"));
}

TEST_CASE("strides with dilation are computed, with a warning that Keras refuses them", "[conv]") {
  auto layer = test::make_layer(spec("Conv1D", {{"filters", 1}, {"kernel_size", 3}, {"strides", 2}, {"dilation_rate", 2}}));
  REQUIRE(layer->warnings().size() == 1);
  CHECK_THAT(layer->warnings()[0], Catch::Contains("Keras refuses"));
  CHECK(test::make_layer(spec("Conv1D", {{"filters", 1}, {"kernel_size", 3}, {"strides", 2}}))->warnings().empty());
}

TEST_CASE("Keras 1 convolution names are mapped", "[conv][args]") {
  auto l = test::make_layer(json::parse(R"({"class_name": "Convolution2D", "config": {"name": "c", "nb_filter": 4,
      "nb_row": 3, "nb_col": 2, "subsample": [2, 1], "border_mode": "full", "dim_ordering": "th", "bias": false}})"));
  CHECK(l->class_name() == "Conv2D");
  CHECK(l->data_format() == DataFormat::ChannelsFirst);
  const Shape in = shape_of({5, 5}, 1, 2);
  const Shape out = l->output_shape(in);
  CHECK(out.c == 4);
  CHECK(out.h == 4);  // full: ceil((5 + 3 - 1) / 2)
  CHECK(out.w == 6);  // full: 5 + 2 - 1
  CHECK(l->weight_shapes(in).size() == 1);  // bias=False
  auto a = test::make_layer(json::parse(R"({"class_name": "AtrousConvolution1D", "config": {"nb_filter": 2,
      "filter_length": 3, "atrous_rate": 2, "border_mode": "same"}})"));
  CHECK(a->class_name() == "Conv1D");
  CHECK(a->output_shape(shape_of({9}, 1, 1)).w == 9);
}
