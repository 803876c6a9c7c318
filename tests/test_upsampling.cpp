// UpSampling1D/2D/3D: arguments, hand-checked values, and GPU against the CPU reference.
#include <catch2/catch.hpp>

#include "core/error.h"
#include "layer_check.h"
#include "layers/upsample/upsample_layers.h"

using namespace convscope;
using nlohmann::json;

namespace {

json upsampling(int rank, json config) {
  config["name"] = "u";
  return {{"class_name", "UpSampling" + std::to_string(rank) + "D"}, {"config", config}};
}

Tensor line(std::vector<float> values) {
  Shape s;
  s.spatial_rank = 1;
  s.w = static_cast<int64_t>(values.size());
  Tensor t(s);
  t.data = std::move(values);
  return t;
}

}  // namespace

TEST_CASE("nearest upsampling repeats and linear upsampling uses half-pixel centres", "[upsample]") {
  auto nearest = test::make_layer(upsampling(1, {{"size", 3}}));
  CHECK(nearest->reference(line({1, 2})).data == std::vector<float>{1, 1, 1, 2, 2, 2});
  // f = 2, n = 3: src = (o + 0.5)/2 - 0.5 = -0.25 (clamped to 0), 0.25, 0.75, 1.25, 1.75, 2.25 -> index 2.
  auto linear = test::make_layer(upsampling(1, {{"size", 2}, {"interpolation", "linear"}}));
  const std::vector<float> y = linear->reference(line({0, 4, 8})).data;
  const std::vector<float> expected{0, 1, 3, 5, 7, 8};
  REQUIRE(y.size() == expected.size());
  for (size_t i = 0; i < y.size(); ++i) CHECK(y[i] == Approx(expected[i]));
}

TEST_CASE("upsampling arguments and errors", "[upsample][args]") {
  auto l = test::make_layer(upsampling(2, {{"size", {3, 1}}, {"interpolation", "bilinear"}}));
  auto* u = dynamic_cast<UpSamplingLayer*>(l.get());
  REQUIRE(u);
  CHECK(u->size()[0] == 3);
  CHECK(u->size()[1] == 1);
  CHECK(u->linear());
  CHECK(dynamic_cast<UpSamplingLayer*>(test::make_layer(upsampling(3, json::object())).get())->size()[2] == 2);
  auto keras1 = test::make_layer(json::parse(R"({"class_name": "UpSampling1D", "config": {"length": 4}})"));
  CHECK(dynamic_cast<UpSamplingLayer*>(keras1.get())->size()[0] == 4);

  auto refused = [](const json& spec, const std::string& words) {
    INFO(spec.dump());
    REQUIRE_THROWS_AS(test::make_layer(spec), UserError);
    REQUIRE_THROWS_WITH(test::make_layer(spec), Catch::Contains("UpSampling") && Catch::Contains(words));
  };
  refused(upsampling(2, {{"size", 0}}), "size");
  refused(upsampling(2, {{"size", {2, -1}}}), "size");
  refused(upsampling(2, {{"size", {2, 2, 2}}}), "size");
  refused(upsampling(2, {{"interpolation", "bicubic"}}), "Keras 3 mode convscope does not implement");
  refused(upsampling(1, {{"interpolation", "bilinear"}}), "'nearest' or 'linear'");
  refused(upsampling(3, {{"interpolation", "cubic"}}), "unknown");
}

TEST_CASE("upsampling on the GPU matches the CPU reference", "[upsample][gpu]") {
  struct Case { int rank; const char* config; std::vector<int64_t> spatial; int64_t batch, channels; };
  const Case cases[] = {
      {1, R"({"size": 3})", {5}, 2, 3},
      {1, R"({"size": 2, "interpolation": "linear"})", {1}, 1, 2},
      {1, R"({"size": 4, "interpolation": "linear"})", {7}, 3, 1},
      {2, R"({"size": [3, 1]})", {3, 5}, 2, 2},
      {2, R"({"size": 2, "interpolation": "bilinear"})", {5, 3}, 1, 3},
      {2, R"({"size": [4, 3], "interpolation": "bilinear"})", {1, 2}, 2, 1},
      {3, R"({"size": [1, 2, 3]})", {2, 3, 2}, 1, 2},
      {3, R"({"size": [2, 3, 2], "interpolation": "trilinear"})", {3, 2, 4}, 2, 1},
  };
  uint32_t seed = 70;
  for (const Case& c : cases) {
    for (const char* format : {"channels_last", "channels_first"}) {
      json config = json::parse(c.config);
      config["data_format"] = format;
      auto l = test::make_layer(upsampling(c.rank, config));
      Shape in;
      in.spatial_rank = c.rank;
      in.n = c.batch;
      in.c = c.channels;
      for (int a = 0; a < c.rank; ++a) in.spatial(a) = c.spatial[a];
      INFO(config.dump());
      test::require_gpu_matches_reference(*l, test::random_tensor(in, seed++), config.contains("interpolation") ? 1e-6 : 0.0);
    }
  }
}
