// ContextOptions::fp16_storage (`--fp16`): tensors kept on the device as 16-bit floats, with
// 32-bit arithmetic. Every kernel that moves tensors has an fp16 variant; each is checked
// against the float64 reference of the same (16-bit rounded) input, within what rounding the
// output to 16 bits allows. Layers that need float32 refuse with their name.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <memory>

#include "core/error.h"
#include "core/half.h"
#include "gpu.h"
#include "layer_check.h"
#include "vk/device_tensor.h"

using namespace convscope;
using json = nlohmann::json;

namespace {

Shape image(int64_t n, int64_t c, int64_t h, int64_t w) {
  Shape s;
  s.n = n, s.c = c, s.h = h, s.w = w;
  return s;
}

// A context keeping tensors in 16 bits, or none where the device cannot.
std::unique_ptr<vk::Context> fp16_context() {
  if (!test::gpu().info().fp16_storage) return nullptr;
  vk::ContextOptions o = test::gpu_options();
  o.fp16_storage = true;
  return std::make_unique<vk::Context>(o);
}

Tensor rounded_to_half(Tensor t) {
  t.data = from_half(to_half(t.data));
  return t;
}

}  // namespace

TEST_CASE("to_half rounds to nearest even and keeps infinities, NaN and subnormals", "[fp16]") {
  const float tie_low = 1.0f + std::ldexp(1.0f, -11);        // halfway between 1 and the next half
  const float tie_high = 1.0f + 3.0f * std::ldexp(1.0f, -11);  // halfway, rounds up to even
  const std::vector<float> in = {0.0f, 1.0f, -2.5f, 65504.0f, 65520.0f, tie_low, tie_high, std::ldexp(1.0f, -24),
                                 std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN()};
  const std::vector<float> out = from_half(to_half(in));
  CHECK(out[0] == 0.0f);
  CHECK(out[1] == 1.0f);
  CHECK(out[2] == -2.5f);
  CHECK(out[3] == 65504.0f);   // the largest half
  CHECK(std::isinf(out[4]));   // rounds past it
  CHECK(out[5] == 1.0f);       // tie to the even neighbour
  CHECK(out[6] == 1.0f + std::ldexp(1.0f, -9));
  CHECK(out[7] == std::ldexp(1.0f, -24));  // the smallest subnormal survives
  CHECK(std::isinf(out[8]));
  CHECK(std::isnan(out[9]));
}

TEST_CASE("with fp16 storage every kind of kernel stays within half precision of the reference", "[fp16][vk]") {
  const auto fp16 = fp16_context();
  if (!fp16) {
    SUCCEED("this device has no 16-bit storage buffers");
    return;
  }
  vk::Context& ctx = *fp16;
  const DeviceTensor t = allocate(ctx, image(1, 3, 5, 7), "t");
  CHECK(t.fp16);
  CHECK(t.buffer.size() == 3 * 5 * 7 * 2);

  struct Case {
    json spec;
    Shape input;
  };
  const std::vector<Case> cases = {
      {{{"class_name", "Conv2D"}, {"config", {{"filters", 10}, {"kernel_size", 3}, {"padding", "same"}}}}, image(2, 3, 9, 11)},
      {{{"class_name", "Conv2D"}, {"config", {{"filters", 4}, {"kernel_size", 3}, {"strides", 2}, {"activation", "relu"}}}},
       image(1, 5, 10, 9)},
      {{{"class_name", "Conv2D"}, {"config", {{"filters", 4}, {"kernel_size", 3}, {"groups", 2}}}}, image(1, 4, 8, 8)},
      {{{"class_name", "DepthwiseConv2D"}, {"config", {{"kernel_size", 5}, {"depth_multiplier", 2}, {"padding", "same"}}}},
       image(1, 3, 9, 13)},
      {{{"class_name", "SeparableConv2D"}, {"config", {{"filters", 6}, {"kernel_size", 3}}}}, image(1, 3, 8, 10)},
      {{{"class_name", "Conv2DTranspose"}, {"config", {{"filters", 5}, {"kernel_size", 4}, {"strides", 2}, {"padding", "same"}}}},
       image(1, 3, 6, 7)},
      {{{"class_name", "Conv2DTranspose"}, {"config", {{"filters", 2}, {"kernel_size", 3}, {"dilation_rate", 2}}}},
       image(1, 3, 5, 6)},
      {{{"class_name", "Cropping2D"}, {"config", {{"cropping", {{1, 2}, {3, 0}}}}}}, image(2, 3, 9, 11)},
      {{{"class_name", "ZeroPadding2D"}, {"config", {{"padding", {{2, 1}, {0, 3}}}}}}, image(2, 3, 9, 11)},
      {{{"class_name", "UpSampling2D"}, {"config", {{"size", {2, 3}}}}}, image(1, 3, 5, 6)},
      {{{"class_name", "UpSampling2D"}, {"config", {{"size", 2}, {"interpolation", "bilinear"}}}}, image(1, 3, 5, 6)},
  };
  uint32_t seed = 1;
  for (const Case& c : cases) {
    INFO(c.spec.dump());
    auto layer = test::make_layer(c.spec);
    std::vector<NdArray> weights;
    for (const auto& s : layer->weight_shapes(c.input)) weights.push_back(test::random_array(s, seed++));
    layer->set_weights(c.input, std::move(weights));
    const Tensor input = test::random_tensor(c.input, seed++);
    const Tensor out = test::run_on_gpu(ctx, *layer, input);
    // The device sees the input rounded to 16 bits; the output is rounded once more, by at
    // most half a unit in the last place, 2^-11 relative.
    const Tensor expected = layer->reference(rounded_to_half(input));
    CHECK(test::max_relative_error(out, expected) <= 1e-3);
    CHECK(out.data == from_half(to_half(out.data)));  // every value came back through 16 bits
  }
}

TEST_CASE("layers whose shaders read float32 only refuse fp16 storage by name", "[fp16][vk]") {
  const auto fp16 = fp16_context();
  if (!fp16) {
    SUCCEED("this device has no 16-bit storage buffers");
    return;
  }
  vk::Context& ctx = *fp16;
  auto layer = test::make_layer(
      json::parse(R"({"class_name": "LearnableCrop", "config": {"name": "lc", "output_size": [4, 4]}})"));
  const Shape in = image(1, 3, 8, 8);
  layer->set_weights(in, layer->initial_weights(in, 1));
  REQUIRE_THROWS_AS(test::run_on_gpu(ctx, *layer, test::random_tensor(in, 3)), UserError);
  REQUIRE_THROWS_WITH(test::run_on_gpu(ctx, *layer, test::random_tensor(in, 3)),
                      Catch::Contains("'lc'") && Catch::Contains("float32 tensors only"));
}
