// Weights carried across a switch of the input between C channels and 1 (grayscale on and
// off): a kernel that sums over channels does on one gray channel exactly what it did on the
// gray image's C equal channels; a depthwise kernel keeps its blur; and back from 1 to C the
// filter acts on the channels' mean.
#include <catch2/catch.hpp>

#include "layer_check.h"
#include "layers/channel_adapt.h"

using namespace convscope;
using nlohmann::json;

namespace {

Shape image(int64_t c) {
  Shape s;
  s.c = c, s.h = 9, s.w = 8;
  return s;
}

// A C-channel image whose channels all hold the one-channel `gray`.
Tensor replicated(const Tensor& gray, int64_t c) {
  Tensor t(image(c));
  for (int64_t k = 0; k < c; ++k)
    for (int64_t y = 0; y < t.shape.h; ++y)
      for (int64_t x = 0; x < t.shape.w; ++x) t.at(0, k, 0, y, x) = gray.at(0, 0, 0, y, x);
  return t;
}

Tensor channel_mean(const Tensor& rgb) {
  Tensor t(image(1));
  for (int64_t y = 0; y < t.shape.h; ++y)
    for (int64_t x = 0; x < t.shape.w; ++x) {
      double s = 0;
      for (int64_t k = 0; k < rgb.shape.c; ++k) s += rgb.at(0, k, 0, y, x);
      t.at(0, 0, 0, y, x) = static_cast<float>(s / static_cast<double>(rgb.shape.c));
    }
  return t;
}

}  // namespace

TEST_CASE("kernels adapted from C channels to 1 compute on a gray image what they did on its C equal channels", "[conv]") {
  const Tensor gray = test::random_tensor(image(1), 1);
  for (const char* spec : {R"({"class_name": "Conv2D", "config": {"filters": 4, "kernel_size": 3}})",
                           R"({"class_name": "Conv2DTranspose", "config": {"filters": 2, "kernel_size": 3, "strides": 2}})",
                           R"({"class_name": "SeparableConv2D", "config": {"filters": 2, "kernel_size": 3, "depth_multiplier": 2}})"}) {
    INFO(spec);
    auto rgb_layer = test::make_layer(json::parse(spec));
    std::vector<NdArray> w;
    for (const auto& s : rgb_layer->weight_shapes(image(3))) w.push_back(test::random_array(s, 7 + static_cast<uint32_t>(w.size())));
    if (rgb_layer->hints().kernel_layout == KernelLayout::Depthwise) {
      // Exact for a separable layer when its depthwise kernels agree across channels (a blur).
      NdArray& dw = w[0];
      const size_t c = static_cast<size_t>(dw.shape[2]), dm = static_cast<size_t>(dw.shape[3]);
      for (size_t t = 0; t < dw.size() / (c * dm); ++t)
        for (size_t k = 1; k < c; ++k)
          for (size_t m = 0; m < dm; ++m) dw.data[(t * c + k) * dm + m] = dw.data[t * c * dm + m];
    }
    rgb_layer->set_weights(image(3), w);
    auto gray_layer = rgb_layer->clone();
    const auto adapted = adapt_to_channels(*gray_layer, w, image(1));
    REQUIRE(adapted);
    gray_layer->set_weights(image(1), *adapted);
    CHECK(test::max_relative_error(gray_layer->reference(gray), rgb_layer->reference(replicated(gray, 3))) < 1e-5);

    // Back to 3 channels: the filter on the channels' mean, and equal to the original on a gray image.
    const auto back = adapt_to_channels(*rgb_layer, *adapted, image(3));
    REQUIRE(back);
    auto again = rgb_layer->clone();
    again->set_weights(image(3), *back);
    const Tensor rgb = test::random_tensor(image(3), 3);
    CHECK(test::max_relative_error(again->reference(rgb), gray_layer->reference(channel_mean(rgb))) < 1e-5);
  }
}

TEST_CASE("a depthwise kernel adapted to one channel is the mean of its per-channel kernels", "[conv]") {
  auto layer = test::make_layer(json::parse(R"({"class_name": "DepthwiseConv2D", "config": {"kernel_size": 3, "depth_multiplier": 2}})"));
  NdArray k = test::random_array({3, 3, 1, 2}, 5);
  NdArray b = test::random_array({2}, 6);
  // The same kernel and bias on all three channels: the adapted layer gives what each channel gave.
  NdArray k3({3, 3, 3, 2}), b3({6});
  for (size_t t = 0; t < 9; ++t)
    for (size_t c = 0; c < 3; ++c)
      for (size_t m = 0; m < 2; ++m) k3.data[(t * 3 + c) * 2 + m] = k.data[t * 2 + m];
  for (size_t c = 0; c < 3; ++c)
    for (size_t m = 0; m < 2; ++m) b3.data[c * 2 + m] = b.data[m];
  const auto adapted = adapt_to_channels(*layer, {k3, b3}, image(1));
  REQUIRE(adapted);
  CHECK((*adapted)[0].data == k.data);
  CHECK((*adapted)[1].data == b.data);
  const auto back = adapt_to_channels(*layer, *adapted, image(3));
  REQUIRE(back);
  CHECK((*back)[0].data == k3.data);
  CHECK((*back)[1].data == b3.data);
}

TEST_CASE("weights are not adapted where channels are not what changed", "[conv]") {
  auto layer = test::make_layer(json::parse(R"({"class_name": "Conv2D", "config": {"filters": 4, "kernel_size": 3}})"));
  const Shape two = image(2);
  const std::vector<NdArray> w{test::random_array({3, 3, 4, 4}, 1), test::random_array({4}, 2)};
  CHECK_FALSE(adapt_to_channels(*layer, w, two));  // 4 -> 2: neither side is one channel
  auto crop = test::make_layer(json::parse(R"({"class_name": "LearnableCrop", "config": {"output_size": [4, 4],
      "box_source": "predicted"}})"));
  CHECK_FALSE(adapt_to_channels(*crop, {test::random_array({3, 4}, 1), test::random_array({4}, 2)}, image(1)));
}
