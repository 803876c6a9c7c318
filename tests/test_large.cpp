// Tensors near the largest one storage buffer holds (capped at 96 MiB, which is most of
// lavapipe's 128 MiB): element indices pass 2^24, where float index maths would drift, and the
// dispatches need more workgroups than one grid row allows. Each layer still equals its CPU
// reference exactly.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "gpu.h"
#include "layer_check.h"

using namespace convscope;

TEST_CASE("tensors of about a storage buffer's size run and equal the reference", "[vk][reliability]") {
  vk::Context& ctx = test::gpu();
  const double limit = std::min<double>(ctx.info().max_storage_buffer_range, 128.0 * 1024 * 1024);
  // Square 3-channel images whose padded form still fits in 3/4 of the limit.
  const auto side = static_cast<int64_t>(std::sqrt(limit * 0.75 / (3 * 4))) - 8;
  const Shape shape{1, 3, 1, side, side, 2};
  INFO("input " << side << " x " << side << " x 3, " << shape.size() * 4 / 1048576.0 << " MiB");
  REQUIRE(shape.size() > (size_t{1} << 24));
  const Tensor input = test::random_tensor(shape, 17);

  const auto pad = test::make_layer({{"class_name", "ZeroPadding2D"}, {"config", {{"padding", {{1, 2}, {3, 4}}}}}});
  test::require_gpu_matches_reference(ctx, *pad, input, 0.0);
  const auto crop = test::make_layer({{"class_name", "Cropping2D"}, {"config", {{"cropping", {{0, 5}, {2, 0}}}}}});
  test::require_gpu_matches_reference(ctx, *crop, input, 0.0);
  const auto depthwise = test::make_layer(
      {{"class_name", "DepthwiseConv2D"}, {"config", {{"kernel_size", 3}, {"padding", "same"}, {"strides", 2}}}});
  depthwise->set_weights(shape, {test::random_array({3, 3, 3, 1}, 3), test::random_array({3}, 4)});
  test::require_gpu_matches_reference(ctx, *depthwise, input, 1e-5);
}
