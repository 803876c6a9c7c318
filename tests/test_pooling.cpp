// Pooling: MaxPooling/AveragePooling 1D/2D/3D and their global forms. Hand-checked values,
// Keras' arguments and errors, GPU against the CPU reference over awkward shapes, source
// regions by brute force, and the golden values of tests/golden/make_golden_pooling.py.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"
#include "core/half.h"
#include "golden_cases.h"
#include "gpu.h"
#include "io/json_file.h"
#include "io/npy.h"
#include "layer_check.h"
#include "layers/pool/global_pooling_layer.h"
#include "layers/pool/pooling_layer.h"
#include "layers/registry.h"
#include "model/parse_pipeline.h"

using namespace convscope;
using nlohmann::json;

namespace {

json layer_spec(const std::string& class_name, json config) {
  config["name"] = "p";
  return {{"class_name", class_name}, {"config", config}};
}

Shape spatial_shape(int rank, const std::vector<int64_t>& spatial, int64_t batch, int64_t channels) {
  Shape s;
  s.spatial_rank = rank;
  s.n = batch;
  s.c = channels;
  for (int a = 0; a < rank; ++a) s.spatial(a) = spatial[a];
  return s;
}

Tensor line(std::vector<float> values) {
  Tensor t(spatial_shape(1, {static_cast<int64_t>(values.size())}, 1, 1));
  t.data = std::move(values);
  return t;
}

std::string refusal(const json& spec) {
  try {
    test::make_layer(spec);
  } catch (const UserError& e) {
    return e.what();
  }
  return "(accepted)";
}

std::string shape_refusal(const json& spec, const Shape& input) {
  try {
    test::make_layer(spec)->output_shape(input);
  } catch (const UserError& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

TEST_CASE("pooling windows: max ignores padding, average divides by the real elements", "[pool]") {
  const Tensor x = line({1, 2, 3, 4, 5});
  auto run = [&x](const char* cls, json config) { return test::make_layer(layer_spec(cls, config))->reference(x).data; };
  using V = std::vector<float>;
  CHECK(run("MaxPooling1D", {{"pool_size", 2}, {"strides", 1}}) == V{2, 3, 4, 5});
  CHECK(run("MaxPooling1D", {{"pool_size", 2}}) == V{2, 4});  // strides default to the window
  // 'same', pool 2, stride 1: one padded position after; the last window holds 5 alone.
  CHECK(run("MaxPooling1D", {{"pool_size", 2}, {"strides", 1}, {"padding", "same"}}) == V{2, 3, 4, 5, 5});
  CHECK(run("AveragePooling1D", {{"pool_size", 2}, {"strides", 1}, {"padding", "same"}}) == V{1.5, 2.5, 3.5, 4.5, 5});
  // Pool 3, stride 2, 'same' on 5: out 3, total pad 2, one before: windows [-1, 1], [1, 3], [3, 5].
  CHECK(run("AveragePooling1D", {{"pool_size", 3}, {"strides", 2}, {"padding", "same"}}) == V{1.5, 3, 4.5});
  // Pool 4 'same' stride 1: total 3, before 1 (the odd one after, as TensorFlow).
  CHECK(run("AveragePooling1D", {{"pool_size", 4}, {"strides", 1}, {"padding", "same"}}) ==
        V{2, 2.5, 3.5, 4, 4.5});
  CHECK(run("AveragePooling1D", {{"pool_size", 2}, {"strides", 3}}) == V{1.5, 4.5});  // stride > pool skips 3

  Tensor img(spatial_shape(2, {2, 3}, 1, 1));
  img.data = {1, 5, 2, 7, 3, 4};
  auto global = [&img](const char* cls) { return test::make_layer(layer_spec(cls, json::object()))->reference(img); };
  CHECK(global("GlobalMaxPooling2D").data == V{7});
  CHECK(global("GlobalAveragePooling2D").data[0] == Approx(11.0 / 3));
  CHECK(global("GlobalAveragePooling2D").shape.spatial_rank == 0);
}

TEST_CASE("pooling arguments: defaults, Keras 1 names, aliases", "[pool][args]") {
  auto pooling = [](const json& spec) {
    auto l = test::make_layer(spec);
    auto* p = dynamic_cast<PoolingLayer*>(l.get());
    REQUIRE(p);
    return std::make_tuple(p->pool_size(), p->strides(), p->padding(), p->data_format(), std::string(p->class_name()));
  };
  {
    const auto [pool, strides, padding, format, cls] = pooling(layer_spec("MaxPooling2D", json::object()));
    CHECK((pool[0] == 2 && pool[1] == 2));
    CHECK((strides[0] == 2 && strides[1] == 2));
    CHECK(padding == Padding::Valid);
    CHECK(format == DataFormat::ChannelsLast);
  }
  {
    // strides null (as Keras writes None) is the window; padding is case-insensitive.
    const auto [pool, strides, padding, format, cls] = pooling(json::parse(
        R"({"class_name": "AvgPool3D", "config": {"pool_size": [3, 1, 2], "strides": null, "padding": "SAME",
            "data_format": "channels_first"}})"));
    CHECK(cls == "AveragePooling3D");
    CHECK(pool == std::array<int64_t, 3>{3, 1, 2});
    CHECK(strides == std::array<int64_t, 3>{3, 1, 2});
    CHECK(padding == Padding::Same);
    CHECK(format == DataFormat::ChannelsFirst);
  }
  {
    // Keras 1: MaxPooling1D(pool_length, stride, border_mode).
    const auto [pool, strides, padding, format, cls] = pooling(json::parse(
        R"({"class_name": "MaxPooling1D", "config": {"name": "m", "trainable": true, "pool_length": 3, "stride": 1,
            "border_mode": "same"}})"));
    CHECK(pool[0] == 3);
    CHECK(strides[0] == 1);
    CHECK(padding == Padding::Same);
  }
  {
    // Keras 1: MaxPooling2D(pool_size, strides, border_mode, dim_ordering).
    const auto [pool, strides, padding, format, cls] = pooling(json::parse(
        R"({"class_name": "AveragePooling2D", "config": {"name": "a", "trainable": true, "pool_size": [2, 3],
            "strides": [1, 2], "border_mode": "valid", "dim_ordering": "th"}})"));
    CHECK((pool[0] == 2 && pool[1] == 3));
    CHECK((strides[0] == 1 && strides[1] == 2));
    CHECK(format == DataFormat::ChannelsFirst);
  }
  // tf.keras writes a 1D window as a one-item list.
  CHECK(std::get<0>(pooling(layer_spec("MaxPool1D", {{"pool_size", {4}}, {"strides", {2}}})))[0] == 4);

  const auto& registry = LayerRegistry::builtin();
  for (int rank = 1; rank <= 3; ++rank) {
    const std::string d = std::to_string(rank) + "D";
    CHECK(registry.find("MaxPool" + d)->class_name == "MaxPooling" + d);
    CHECK(registry.find("AvgPool" + d)->class_name == "AveragePooling" + d);
    CHECK(registry.find("GlobalMaxPool" + d)->class_name == "GlobalMaxPooling" + d);
    CHECK(registry.find("GlobalAvgPool" + d)->class_name == "GlobalAveragePooling" + d);
    CHECK(registry.find("MaxPooling" + d)->family == "pooling");
  }
  auto global = test::make_layer(json::parse(R"({"class_name": "GlobalAvgPool2D", "config": {"keepdims": true}})"));
  CHECK(dynamic_cast<GlobalPoolingLayer*>(global.get())->keepdims());
  CHECK(global->class_name() == "GlobalAveragePooling2D");
  // Keras 1 GlobalMaxPooling2D(dim_ordering).
  auto keras1 = test::make_layer(json::parse(R"({"class_name": "GlobalMaxPooling2D", "config": {"dim_ordering": "th"}})"));
  CHECK(keras1->data_format() == DataFormat::ChannelsFirst);
  CHECK_FALSE(dynamic_cast<GlobalPoolingLayer*>(keras1.get())->keepdims());
}

TEST_CASE("pooling refuses what Keras refuses, naming the layer, the argument and why", "[pool][args]") {
  CHECK(refusal(layer_spec("MaxPooling2D", {{"pool_size", 0}})) ==
        "MaxPooling2D 'p': pool_size: 0 must be 1 or more on every axis");
  CHECK(refusal(layer_spec("AveragePooling3D", {{"pool_size", {2, 0, 2}}})) ==
        "AveragePooling3D 'p': pool_size: (2, 0, 2) must be 1 or more on every axis");
  CHECK(refusal(layer_spec("MaxPooling2D", {{"strides", {2, -1}}})) ==
        "MaxPooling2D 'p': strides: (2, -1) must be 1 or more on every axis");
  CHECK(refusal(layer_spec("MaxPooling1D", {{"strides", 0}})) == "MaxPooling1D 'p': strides: 0 must be 1 or more on every axis");
  CHECK(refusal(layer_spec("MaxPooling3D", {{"pool_size", {2, 2}}})) ==
        "MaxPooling3D 'p': pool_size: (2, 2) has 2 items; a 3D layer takes an int or 3");
  CHECK(refusal(layer_spec("MaxPooling2D", {{"pool_size", 2.0}})) == "MaxPooling2D 'p': pool_size: 2.0 is not an integer");
  for (const char* bad : {"full", "causal", "valid "}) {
    INFO(bad);
    CHECK(refusal(layer_spec("AveragePooling2D", {{"padding", bad}})) ==
          fmt::format("AveragePooling2D 'p': padding: '{}' is not 'valid' or 'same', the two paddings pooling takes", bad));
  }
  CHECK_THAT(refusal(layer_spec("MaxPooling2D", {{"padding", 1}})), Catch::Contains("padding: 1 is not 'valid' or 'same'"));
  CHECK_THAT(refusal(layer_spec("MaxPooling2D", {{"data_format", "channels_middle"}})),
             Catch::StartsWith("MaxPooling2D 'p': data_format: 'channels_middle'"));
  CHECK(refusal(layer_spec("GlobalMaxPooling2D", {{"keepdims", "yes"}})) ==
        "GlobalMaxPooling2D 'p': keepdims: 'yes' is not true or false");
  CHECK_THAT(refusal(layer_spec("MaxPooling2D", {{"pool", 2}})),
             Catch::StartsWith("MaxPooling2D 'p': pool: unrecognized keyword argument") &&
                 Catch::EndsWith("did you mean 'pool_size'?"));
  CHECK_THAT(refusal(layer_spec("GlobalAveragePooling1D", {{"keep_dims", true}})), Catch::EndsWith("did you mean 'keepdims'?"));

  // A 'valid' window larger than the input, named by axis and sizes.
  const Shape img = spatial_shape(2, {3, 8}, 1, 2);
  CHECK(shape_refusal(layer_spec("MaxPooling2D", {{"pool_size", {5, 2}}}), img) ==
        "MaxPooling2D 'p': pool_size: a window of 5 does not fit the 3 rows of the input with padding='valid'; use "
        "padding='same' or a window of at most 3");
  CHECK_THAT(shape_refusal(layer_spec("AveragePooling1D", {{"pool_size", 4}}), spatial_shape(1, {3}, 1, 1)),
             Catch::Contains("a window of 4 does not fit the 3 steps"));
  CHECK_THAT(shape_refusal(layer_spec("MaxPooling3D", {{"pool_size", {1, 1, 9}}}), spatial_shape(3, {2, 3, 4}, 1, 1)),
             Catch::Contains("a window of 9 does not fit the 4 columns"));
  // 'same' takes any window: ceil(L / s) outputs.
  const Shape same = test::make_layer(layer_spec("MaxPooling2D", {{"pool_size", {5, 2}}, {"padding", "same"}}))->output_shape(img);
  CHECK((same.h == 1 && same.w == 4));
  // A 3D pool on a 2D input, and a pool on a vector.
  CHECK(shape_refusal(layer_spec("MaxPooling3D", json::object()), img) == "MaxPooling3D 'p': input is 2D, the layer is 3D");
  CHECK(shape_refusal(layer_spec("GlobalAveragePooling1D", json::object()), img) ==
        "GlobalAveragePooling1D 'p': input is 2D, the layer is 1D");
  Shape vector = spatial_shape(2, {1, 1}, 2, 8);
  vector.spatial_rank = 0;
  CHECK_THAT(shape_refusal(layer_spec("AveragePooling2D", json::object()), vector),
             Catch::StartsWith("AveragePooling2D 'p': input is a vector (2, 8)"));
}

TEST_CASE("every key Keras, tf.keras, Keras 1 and TensorFlow.js write for pooling is accepted", "[pool][args]") {
  const char* configs[] = {
      // Keras 3, with its dtype policy.
      R"({"class_name": "MaxPooling2D", "config": {"name": "max_pooling2d", "trainable": true, "dtype": {"module": "keras",
          "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "pool_size": [2, 2],
          "padding": "valid", "strides": [2, 2], "data_format": "channels_last"}})",
      R"({"class_name": "GlobalAveragePooling3D", "config": {"name": "g", "trainable": true, "dtype": "float32",
          "data_format": "channels_first", "keepdims": false}})",
      // tf.keras 2 (the first layer carries its batch shape).
      R"({"class_name": "AveragePooling1D", "config": {"name": "a", "trainable": true, "batch_input_shape": [null, 8, 3],
          "dtype": "float32", "strides": [2], "pool_size": [2], "padding": "valid", "data_format": "channels_last"}})",
      R"({"class_name": "GlobalMaxPooling1D", "config": {"name": "g", "trainable": true, "dtype": "float32",
          "data_format": "channels_last", "keepdims": true}})",
      // TensorFlow.js (snake-cased by its converter): 1D has no data_format, global 1D no key at all.
      R"({"class_name": "MaxPooling1D", "config": {"name": "m", "trainable": true, "pool_size": [2], "padding": "same",
          "strides": [1]}})",
      R"({"class_name": "GlobalAveragePooling2D", "config": {"name": "g", "trainable": true, "data_format": "channels_last"}})",
      // Keras 1.
      R"({"class_name": "AveragePooling1D", "config": {"name": "a", "trainable": true, "pool_length": 2, "stride": null,
          "border_mode": "valid"}})",
      R"({"class_name": "MaxPooling3D", "config": {"name": "m", "trainable": true, "pool_size": [2, 2, 2],
          "strides": [2, 2, 2], "border_mode": "valid", "dim_ordering": "tf"}})",
      R"({"class_name": "GlobalAveragePooling1D", "config": {"name": "g", "trainable": true}})",
  };
  for (const char* c : configs) {
    INFO(c);
    CHECK_NOTHROW(test::make_layer(json::parse(c)));
  }
}

TEST_CASE("pooling configs go back out as Keras 3 writes them, and read back the same", "[pool][args]") {
  const char* specs[] = {
      R"({"class_name": "MaxPooling1D", "config": {"name": "m", "pool_length": 3, "border_mode": "same"}})",
      R"({"class_name": "AvgPool2D", "config": {"name": "a", "pool_size": [3, 2], "strides": [1, 4], "padding": "Same",
          "data_format": "channels_first"}})",
      R"({"class_name": "AveragePooling3D", "config": {"name": "a", "pool_size": 2}})",
      R"({"class_name": "GlobalMaxPooling2D", "config": {"name": "g", "dim_ordering": "th"}})",
      R"({"class_name": "GlobalAveragePooling1D", "config": {"name": "g", "keepdims": true}})",
  };
  const json expected[] = {
      json::parse(R"({"name": "m", "trainable": true, "dtype": "float32", "data_format": "channels_last",
          "pool_size": [3], "padding": "same", "strides": [3]})"),
      json::parse(R"({"name": "a", "trainable": true, "dtype": "float32", "data_format": "channels_first",
          "pool_size": [3, 2], "padding": "same", "strides": [1, 4]})"),
      json::parse(R"({"name": "a", "trainable": true, "dtype": "float32", "data_format": "channels_last",
          "pool_size": [2, 2, 2], "padding": "valid", "strides": [2, 2, 2]})"),
      json::parse(R"({"name": "g", "trainable": true, "dtype": "float32", "data_format": "channels_first",
          "keepdims": false})"),
      json::parse(R"({"name": "g", "trainable": true, "dtype": "float32", "data_format": "channels_last",
          "keepdims": true})"),
  };
  for (size_t i = 0; i < std::size(specs); ++i) {
    INFO(specs[i]);
    auto layer = test::make_layer(json::parse(specs[i]));
    const json written = layer->keras_config();
    CHECK(written == expected[i]);
    auto again = test::make_layer({{"class_name", layer->class_name()}, {"config", written}});
    CHECK(again->keras_config() == written);
  }
}

TEST_CASE("pooling windows on the GPU match the CPU reference", "[pool][gpu]") {
  struct Case {
    const char* cls;
    const char* config;
    std::vector<int64_t> spatial;
    int64_t batch, channels;
  };
  const Case cases[] = {
      {"MaxPooling1D", R"({"pool_size": 3, "strides": 2})", {7}, 2, 3},
      {"AveragePooling1D", R"({"pool_size": 2, "strides": 3})", {8}, 1, 2},               // stride > pool
      {"AveragePooling1D", R"({"pool_size": 4, "strides": 1, "padding": "same"})", {7}, 3, 1},  // even pool, 'same'
      {"MaxPooling1D", R"({"pool_size": 1})", {5}, 1, 4},                                  // pool 1: identity
      {"AveragePooling1D", R"({"pool_size": 3, "strides": 5, "padding": "same"})", {11}, 2, 2},
      {"MaxPooling1D", R"({"pool_size": 5, "padding": "valid"})", {5}, 1, 3},              // the window is the input
      {"MaxPooling2D", R"({"pool_size": [3, 2], "strides": [2, 1], "padding": "same"})", {7, 6}, 2, 3},
      {"AveragePooling2D", R"({"pool_size": 2})", {5, 7}, 1, 2},                            // odd sizes: floor
      {"AveragePooling2D", R"({"pool_size": [4, 3], "strides": [1, 2], "padding": "same"})", {6, 5}, 2, 3},
      {"MaxPooling2D", R"({"pool_size": [2, 3], "strides": [3, 4]})", {9, 11}, 1, 2},       // stride > pool
      {"AveragePooling2D", R"({"pool_size": 3, "strides": 1, "padding": "same"})", {1, 1}, 1, 5},  // pool > input
      {"MaxPooling2D", R"({"pool_size": 1, "strides": 2})", {5, 6}, 2, 1},                  // pool 1: subsampling
      {"AveragePooling2D", R"({"pool_size": [5, 5], "strides": [2, 2], "padding": "same"})", {12, 9}, 1, 2},
      {"MaxPooling3D", R"({"pool_size": 2})", {5, 4, 3}, 2, 2},
      {"AveragePooling3D", R"({"pool_size": [3, 2, 2], "strides": [1, 2, 1], "padding": "same"})", {4, 5, 3}, 1, 3},
      {"AveragePooling3D", R"({"pool_size": [1, 3, 2], "strides": [2, 1, 3], "padding": "same"})", {3, 6, 5}, 2, 1},
      {"MaxPooling3D", R"({"pool_size": [3, 1, 2], "strides": 1})", {3, 2, 4}, 1, 2},
  };
  // Geometry baked into the pipelines (the default) and passed as push constants (the app's
  // interactive mode): two paths through the shader.
  vk::ContextOptions pushed = test::gpu_options();
  pushed.specialize_geometry = false;
  vk::Context push_ctx(pushed);
  uint32_t seed = 100;
  for (const Case& c : cases)
    for (const char* format : {"channels_last", "channels_first"}) {
      json config = json::parse(c.config);
      config["data_format"] = format;
      auto layer = test::make_layer(layer_spec(c.cls, config));
      const Tensor x = test::random_tensor(spatial_shape(layer->spatial_rank(), c.spatial, c.batch, c.channels), seed++);
      INFO(c.cls << " " << config.dump());
      const double tolerance = std::string(c.cls).rfind("Max", 0) == 0 ? 0.0 : 1e-6;
      test::require_gpu_matches_reference(*layer, x, tolerance);
      test::require_gpu_matches_reference(push_ctx, *layer, x, tolerance);
    }
}

TEST_CASE("global pooling on the GPU matches the CPU reference on large and tiny maps", "[pool][gpu]") {
  struct Case {
    int rank;
    std::vector<int64_t> spatial;
    int64_t batch, channels;
  };
  const Case cases[] = {
      {2, {61, 67}, 2, 3},   // 4087 elements a plane: many rounds of every lane
      {2, {1, 1}, 1, 5},     // one element a plane
      {2, {2, 2}, 2, 300},   // many small planes
      {1, {1}, 3, 2},
      {1, {129}, 1, 2},      // just past the widest workgroup
      {1, {1000}, 3, 1},
      {3, {7, 9, 11}, 2, 2},
      {3, {1, 1, 1}, 1, 3},
  };
  uint32_t seed = 200;
  for (const Case& c : cases)
    for (const char* op : {"Max", "Average"})
      for (const bool keepdims : {false, true})
        for (const char* format : {"channels_last", "channels_first"}) {
          const std::string cls = fmt::format("Global{}Pooling{}D", op, c.rank);
          auto layer = test::make_layer(layer_spec(cls, {{"keepdims", keepdims}, {"data_format", format}}));
          Tensor x = test::random_tensor(spatial_shape(c.rank, c.spatial, c.batch, c.channels), seed++);
          // An offset keeps the mean away from zero, where float rounding is largest relative to it.
          for (float& v : x.data) v += 0.5f;
          INFO(cls << " keepdims " << keepdims << " " << format << " on " << shape_string(c.spatial));
          test::require_gpu_matches_reference(*layer, x, std::string(op) == "Max" ? 0.0 : 2e-6);
        }
}

TEST_CASE("global pooling output shapes follow keepdims and the data_format", "[pool]") {
  const Shape cl = shape_from_keras({2, 5, 7, 3}, 2, DataFormat::ChannelsLast);
  auto out = [](const char* cls, json config, const Shape& in) {
    return test::make_layer(layer_spec(cls, config))->output_shape(in);
  };
  const Shape flat = out("GlobalAveragePooling2D", json::object(), cl);
  CHECK(flat.spatial_rank == 0);
  CHECK(flat.keras() == std::vector<int64_t>{2, 3});
  CHECK(out("GlobalMaxPooling2D", {{"keepdims", true}}, cl).keras() == std::vector<int64_t>{2, 1, 1, 3});
  const Shape cf = shape_from_keras({2, 3, 5, 7}, 2, DataFormat::ChannelsFirst);
  CHECK(out("GlobalMaxPooling2D", {{"keepdims", true}, {"data_format", "channels_first"}}, cf).keras() ==
        std::vector<int64_t>{2, 3, 1, 1});
  CHECK(out("GlobalMaxPooling2D", {{"data_format", "channels_first"}}, cf).keras() == std::vector<int64_t>{2, 3});
  const Shape vol = shape_from_keras({1, 4, 5, 6, 2}, 3, DataFormat::ChannelsLast);
  CHECK(out("GlobalAveragePooling3D", {{"keepdims", true}}, vol).keras() == std::vector<int64_t>{1, 1, 1, 1, 2});
  CHECK(out("MaxPooling3D", {{"pool_size", {2, 3, 4}}, {"padding", "same"}}, vol).keras() ==
        std::vector<int64_t>{1, 2, 2, 2, 2});
}

TEST_CASE("pooling source regions are the windows each output reads", "[pool]") {
  // Brute force: raise one input position far above the rest and see which outputs change.
  const char* specs[] = {
      R"({"class_name": "MaxPooling2D", "config": {"pool_size": [3, 2], "strides": [2, 1], "padding": "same"}})",
      R"({"class_name": "AveragePooling2D", "config": {"pool_size": [2, 3], "strides": [3, 4]}})",
      R"({"class_name": "AveragePooling2D", "config": {"pool_size": 4, "strides": 1, "padding": "same"}})",
      R"({"class_name": "MaxPooling2D", "config": {"pool_size": [5, 1], "strides": [3, 2], "padding": "same"}})",
  };
  const Shape in = spatial_shape(2, {9, 11}, 1, 2);
  const Tensor x = test::random_tensor(in, 7);
  for (const char* spec : specs) {
    INFO(spec);
    auto layer = test::make_layer(json::parse(spec));
    const Tensor base = layer->reference(x);
    const Shape os = base.shape;
    for (int64_t oy = 0; oy < os.h; ++oy)
      for (int64_t ox = 0; ox < os.w; ++ox) {
        Layer::Region expected{{{INT64_MAX, INT64_MIN}, {INT64_MAX, INT64_MIN}, {0, 0}}};
        for (int64_t y = 0; y < in.h; ++y)
          for (int64_t xx = 0; xx < in.w; ++xx) {
            Tensor p = x;
            p.at(0, 1, 0, y, xx) += 100.0f;
            if (layer->reference(p).at(0, 1, 0, oy, ox) == base.at(0, 1, 0, oy, ox)) continue;
            expected[0] = {std::min(expected[0].first, y), std::max(expected[0].second, y)};
            expected[1] = {std::min(expected[1].first, xx), std::max(expected[1].second, xx)};
          }
        const Layer::Region got = layer->source_region(in, {{{oy, oy}, {ox, ox}, {0, 0}}});
        INFO("output (" << oy << ", " << ox << ")");
        CHECK(got[0] == expected[0]);
        CHECK(got[1] == expected[1]);
      }
  }
  // A range of outputs reads from its first window's start to its last window's end.
  auto pool1d = test::make_layer(layer_spec("AveragePooling1D", {{"pool_size", 3}, {"strides", 2}, {"padding", "same"}}));
  const auto r = pool1d->source_region(spatial_shape(1, {10}, 1, 1), {{{1, 3}, {0, 0}, {0, 0}}});
  // 5 outputs, total padding max(4 * 2 + 3 - 10, 0) = 1, none before: window o is [2o, 2o + 2].
  CHECK(r[0] == std::pair<int64_t, int64_t>{2, 8});
}

TEST_CASE("pooling read-outs name the window's real elements, the max's winner and the average's count", "[pool]") {
  const char* specs[] = {
      R"({"class_name": "MaxPooling2D", "config": {"pool_size": [3, 2], "strides": [2, 1], "padding": "same"}})",
      R"({"class_name": "AveragePooling2D", "config": {"pool_size": 4, "strides": 3, "padding": "same"}})",
      R"({"class_name": "MaxPooling2D", "config": {"pool_size": 2, "data_format": "channels_first"}})",
  };
  const Shape in = spatial_shape(2, {7, 8}, 1, 3);
  Tensor x = test::random_tensor(in, 11);
  x.at(0, 2, 0, 0, 0) = x.at(0, 2, 0, 0, 1) = 5.0f;  // a tie: the first in reading order wins
  for (const char* spec : specs) {
    INFO(spec);
    auto layer = test::make_layer(json::parse(spec));
    Shape shaped = in;
    shaped.format = layer->data_format();
    Tensor xs = x;
    xs.shape.format = shaped.format;
    const Tensor out = layer->reference(xs);
    const auto read = [&](int64_t c, int64_t z, int64_t y, int64_t xx) { return static_cast<double>(xs.at(0, c, z, y, xx)); };
    for (int64_t c = 0; c < in.c; ++c)
      for (int64_t oy = 0; oy < out.shape.h; ++oy)
        for (int64_t ox = 0; ox < out.shape.w; ++ox) {
          INFO("output (" << c << ", " << oy << ", " << ox << ")");
          const auto r = layer->pool_readout(shaped, read, c, 0, oy, ox);
          REQUIRE(r);
          CHECK(r->output == Approx(out.at(0, c, 0, oy, ox)).margin(1e-6));
          // The elements are exactly the source region's box, padding left out.
          const auto box = layer->source_region(shaped, {{{oy, oy}, {ox, ox}, {0, 0}}});
          CHECK(static_cast<int64_t>(r->elements.size()) ==
                (box[0].second - box[0].first + 1) * (box[1].second - box[1].first + 1));
          CHECK(r->window >= static_cast<int64_t>(r->elements.size()));
          if (r->max) {
            CHECK(r->winner_value == out.at(0, c, 0, oy, ox));
            CHECK(xs.at(0, c, 0, r->winner[1], r->winner[2]) == out.at(0, c, 0, oy, ox));
            for (const auto& e : r->elements)  // nothing before the winner is as large
              if (e == r->winner) break;
              else CHECK(xs.at(0, c, 0, e[1], e[2]) < r->winner_value);
          } else {
            CHECK(r->sum / static_cast<double>(r->elements.size()) == Approx(r->output));
          }
        }
    CHECK_FALSE(layer->pool_readout(shaped, read, 0, 0, out.shape.h, 0));  // outside the output
  }
  auto tie = test::make_layer(json::parse(specs[2]));
  Shape cf = in;
  cf.format = DataFormat::ChannelsFirst;
  const auto r = tie->pool_readout(cf, [&](int64_t c, int64_t z, int64_t y, int64_t xx) { return static_cast<double>(x.at(0, c, z, y, xx)); }, 2, 0, 0, 0);
  REQUIRE(r);
  CHECK(r->winner == std::array<int64_t, 3>{0, 0, 0});
  // Layers that are not pooling have no read-out.
  auto conv = test::make_layer(json::parse(R"({"class_name": "ReLU", "config": {}})"));
  CHECK_FALSE(conv->pool_readout(in, [](int64_t, int64_t, int64_t, int64_t) { return 0.0; }, 0, 0, 0, 0));
}

TEST_CASE("pooling counts one operation per element a window reads", "[pool]") {
  // Max 2x2 windows side by side on 4x6: every element read once.
  const Shape in = spatial_shape(2, {4, 6}, 2, 3);
  CHECK(test::make_layer(layer_spec("MaxPooling2D", json::object()))->flops(in) == 2 * 3 * 24);
  // Average adds a division per output: 2*3*(2*3) outputs.
  CHECK(test::make_layer(layer_spec("AveragePooling2D", json::object()))->flops(in) == 2 * 3 * 24 + 2 * 3 * 6);
  // 'same', pool 3, stride 1 on 5 steps: windows read 2, 3, 3, 3, 2 real elements.
  CHECK(test::make_layer(layer_spec("MaxPooling1D", {{"pool_size", 3}, {"strides", 1}, {"padding", "same"}}))
            ->flops(spatial_shape(1, {5}, 1, 1)) == 13);
  CHECK(test::make_layer(layer_spec("GlobalAveragePooling2D", json::object()))->flops(in) == 2 * 3 * 24 + 2 * 3);
  CHECK(test::make_layer(layer_spec("GlobalMaxPooling2D", json::object()))->flops(in) == 2 * 3 * 24);
}

TEST_CASE("pooling with fp16 storage stays within half precision of the reference", "[pool][fp16]") {
  const auto fp16 = test::fp16_context();
  if (!fp16) {
    SUCCEED("this device has no 16-bit storage buffers");
    return;
  }
  vk::Context& ctx = *fp16;
  const std::pair<const char*, json> cases[] = {
      {"MaxPooling2D", {{"pool_size", 3}, {"strides", 2}, {"padding", "same"}}},
      {"AveragePooling2D", {{"pool_size", {2, 3}}, {"padding", "same"}}},
      {"GlobalAveragePooling2D", json::object()},
      {"GlobalMaxPooling2D", {{"keepdims", true}}},
  };
  uint32_t seed = 300;
  for (const auto& [cls, config] : cases) {
    INFO(cls << " " << config.dump());
    auto layer = test::make_layer(layer_spec(cls, config));
    Tensor x = test::random_tensor(spatial_shape(2, {13, 17}, 2, 3), seed++);
    const Tensor out = test::run_on_gpu(ctx, *layer, x);
    x.data = from_half(to_half(x.data));  // what the device holds
    CHECK(test::max_relative_error(out, layer->reference(x)) <= 1e-3);
    CHECK(out.data == from_half(to_half(out.data)));
  }
}

TEST_CASE("pooling layers reproduce the golden values", "[pool][golden]") {
  // tests/golden/make_golden_pooling.py (PyTorch): the GPU path and the CPU reference, within
  // 1e-4 * (1 + |expected|) elementwise as every golden family.
  const auto cases = test::golden_cases("pool_");
  REQUIRE(cases.size() >= 40);
  for (const auto& c : cases) {
    INFO("golden case " << c.name);
    Model model = parse_pipeline(read_json(c.layer));
    REQUIRE(model.nodes.size() == 1);
    const Layer& layer = *model.nodes.front().layer;
    const Tensor input = from_keras(read_npy(c.input), layer.spatial_rank(), layer.data_format(), c.name);
    const NdArray expected = read_npy(c.expected);
    for (const bool on_gpu : {true, false}) {
      INFO((on_gpu ? "GPU" : "CPU reference"));
      const NdArray got = to_keras(on_gpu ? test::run_on_gpu(layer, input) : layer.reference(input), layer.data_format());
      REQUIRE(got.shape == expected.shape);
      double worst = 0;
      for (size_t i = 0; i < got.size(); ++i)
        worst = std::max(worst, std::abs(got.data[i] - expected.data[i]) / (1.0 + std::abs(expected.data[i])));
      CHECK(worst <= 1e-4);
    }
  }
}
