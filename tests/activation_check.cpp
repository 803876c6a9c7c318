#include "activation_check.h"

#include <catch2/catch.hpp>

#include "gpu.h"
#include "layer_check.h"
#include "vk/device_tensor.h"
#include "vk/sequence.h"

namespace convscope::test {

Shape activation_shape(int rank, DataFormat f, int64_t batch, int64_t channels, std::vector<int64_t> spatial) {
  Shape s;
  s.spatial_rank = rank;
  s.format = f;
  s.n = batch;
  s.c = channels;
  for (int a = 0; a < rank; ++a) s.spatial(a) = spatial[static_cast<size_t>(a)];
  return s;
}

std::vector<Shape> awkward_shapes() {
  constexpr DataFormat last = DataFormat::ChannelsLast, first = DataFormat::ChannelsFirst;
  return {
      activation_shape(0, last, 3, 7),          activation_shape(0, last, 1, 1),
      activation_shape(1, last, 2, 3, {5}),     activation_shape(1, first, 1, 4, {9}),
      activation_shape(2, last, 2, 3, {5, 7}),  activation_shape(2, first, 1, 5, {3, 4}),
      activation_shape(3, last, 1, 2, {3, 4, 5}), activation_shape(3, first, 2, 3, {2, 3, 3}),
  };
}

Tensor extreme_tensor(const Shape& shape, uint32_t seed) {
  Tensor t = random_tensor(shape, seed);
  for (float& v : t.data) v *= 4.0f;
  const float extremes[] = {-80.0f, 80.0f, -20.0f, 20.0f, -1e-3f, 1e-3f, 0.0f, 88.0f, -3.0f, 3.0f, 6.0f, -2.5f, 2.5f};
  for (size_t i = 0; i < std::size(extremes) && i < t.data.size(); ++i) t.data[i] = extremes[i];
  return t;
}

Tensor run_recorded(vk::Context& ctx, const Layer& layer, const Tensor& input) {
  const DeviceTensor in = to_device(ctx, input, "input");
  const DeviceTensor out = allocate(ctx, layer.output_shape(input.shape), "output");
  vk::Sequence seq(ctx);
  layer.record(seq, in, out);
  seq.submit();
  require_validation_clean(ctx);
  return to_host(ctx, out);
}

void require_recorded_matches_reference(vk::Context& ctx, const Layer& layer, const Tensor& input, double tolerance) {
  const Tensor expected = layer.reference(input);
  const Tensor actual = run_recorded(ctx, layer, input);
  const double err = max_relative_error(actual, expected);
  INFO(layer.label() << " on input " << shape_string(input.shape.keras()) << " " << to_string(input.shape.format)
                     << ": max error " << err);
  REQUIRE(err <= tolerance);
}

std::unique_ptr<Layer> activation_layer(const std::string& cls, nlohmann::json config) {
  config["name"] = "a";
  return make_layer({{"class_name", cls}, {"config", config}});
}

}  // namespace convscope::test
