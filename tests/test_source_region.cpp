// Layer::source_region: the input positions an output pixel depends on, which the app
// highlights. Checked against brute force: perturb each input position and see which
// change the output pixel (bounding box per axis, since dilation leaves gaps).
#include <catch2/catch.hpp>

#include "layer_check.h"

using namespace convscope;
using nlohmann::json;

namespace {

// Bounding box of the input positions (y, x) whose perturbation changes output (oy, ox).
Layer::Region brute_force(const Layer& layer, const Tensor& x, int64_t oy, int64_t ox) {
  const Tensor base = layer.reference(x);
  Layer::Region r{{{INT64_MAX, INT64_MIN}, {INT64_MAX, INT64_MIN}, {0, 0}}};
  for (int64_t y = 0; y < x.shape.h; ++y)
    for (int64_t xx = 0; xx < x.shape.w; ++xx) {
      Tensor p = x;
      for (int64_t c = 0; c < x.shape.c; ++c) p.at(0, c, 0, y, xx) += 1.0f;
      const Tensor out = layer.reference(p);
      bool changed = false;
      for (int64_t c = 0; c < out.shape.c; ++c) changed |= out.at(0, c, 0, oy, ox) != base.at(0, c, 0, oy, ox);
      if (!changed) continue;
      r[0] = {std::min(r[0].first, y), std::max(r[0].second, y)};
      r[1] = {std::min(r[1].first, xx), std::max(r[1].second, xx)};
    }
  return r;
}

}  // namespace

TEST_CASE("source regions are exactly what each output pixel reads", "[conv][crop][upsample][learnable_crop]") {
  const char* specs[] = {
      R"({"class_name": "Conv2D", "config": {"filters": 2, "kernel_size": [3, 2], "strides": 2, "dilation_rate": [2, 1], "padding": "same"}})",
      R"({"class_name": "Conv2D", "config": {"filters": 1, "kernel_size": 3, "padding": "valid"}})",
      R"({"class_name": "Conv2DTranspose", "config": {"filters": 2, "kernel_size": [3, 4], "strides": [2, 3], "padding": "same"}})",
      R"({"class_name": "DepthwiseConv2D", "config": {"kernel_size": 2, "strides": [1, 2], "padding": "valid"}})",
      R"({"class_name": "SeparableConv2D", "config": {"filters": 2, "kernel_size": 3, "padding": "same"}})",
      R"({"class_name": "Cropping2D", "config": {"cropping": [[1, 2], [2, 0]]}})",
      R"({"class_name": "ZeroPadding2D", "config": {"padding": [[2, 1], [0, 3]]}})",
      R"({"class_name": "UpSampling2D", "config": {"size": [2, 3], "interpolation": "bilinear"}})",
      R"({"class_name": "UpSampling2D", "config": {"size": [3, 2]}})",
  };
  Shape in;
  in.n = 1, in.c = 2, in.h = 7, in.w = 6;
  const Tensor x = test::random_tensor(in, 3);
  uint32_t seed = 10;
  for (const char* spec : specs) {
    INFO(spec);
    auto layer = test::make_layer(json::parse(spec));
    std::vector<NdArray> weights;
    for (const auto& s : layer->weight_shapes(in)) weights.push_back(test::random_array(s, seed++));
    layer->set_weights(in, weights);
    const Shape out = layer->output_shape(in);
    for (int64_t oy = 0; oy < out.h; oy += 2)
      for (int64_t ox = 0; ox < out.w; ox += 2) {
        INFO("output (" << oy << ", " << ox << ")");
        const Layer::Region expected = brute_force(*layer, x, oy, ox);
        const Layer::Region got = layer->source_region(in, {{{oy, oy}, {ox, ox}, {0, 0}}});
        const bool none = expected[0].first > expected[0].second;  // the pixel reads only padding
        if (none) {
          CHECK((got[0].first > got[0].second || got[1].first > got[1].second));
        } else {
          CHECK(got[0] == expected[0]);
          CHECK(got[1] == expected[1]);
        }
      }
  }
}

TEST_CASE("a LearnableCrop box's source region covers the pixels its samples touch", "[learnable_crop]") {
  Shape in;
  in.n = 1, in.c = 1, in.h = 9, in.w = 11;
  const Tensor x = test::random_tensor(in, 4);
  auto layer = test::make_layer(json::parse(R"({"class_name": "LearnableCrop", "config": {"output_size": [4, 5]}})"));
  NdArray box({4});
  box.data = {1.3f, 2.6f, 5.2f, 6.7f};
  layer->set_weights(in, {box});
  for (int64_t oy = 0; oy < 4; ++oy)
    for (int64_t ox = 0; ox < 5; ++ox) {
      const Layer::Region expected = brute_force(*layer, x, oy, ox);
      const Layer::Region got = layer->source_region(in, {{{oy, oy}, {ox, ox}, {0, 0}}});
      INFO("output (" << oy << ", " << ox << ")");
      CHECK(got[0] == expected[0]);
      CHECK(got[1] == expected[1]);
    }
}
