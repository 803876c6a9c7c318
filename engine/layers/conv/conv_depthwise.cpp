#include "layers/conv/conv_depthwise.h"

#include "embedded_shaders.h"
#include "layers/conv/conv_tile.h"
#include "vk/device_tensor.h"

namespace convscope {

bool depthwise_applies(const ConvConfig& config, const Shape& input) {
  return !config.transposed && config.groups == input.c && config.groups > 1;
}

void record_depthwise(vk::Sequence& seq, const vk::Buffer& input, const vk::Buffer& output, const ConvWeights& weights,
                      gpu::ConvParams pc, const Shape& out, const ActivationSpec& activation, const std::string& label) {
  const TileGrid grid = tile_grid(out, static_cast<uint64_t>(out.c * out.n), label);
  pc.x_blocks = static_cast<int32_t>(grid.x_blocks);
  pc.pixel_groups = static_cast<uint32_t>(grid.pixel_groups);
  const vk::SpecConstants spec = tile_spec(pc, seq.context().options().specialize_geometry, activation);
  const auto& pipeline = seq.context().pipeline(tensor_shader(seq.context(), shaders::conv_depthwise, shaders::conv_depthwise_fp16), spec);
  const vk::Buffer& w = seq.constant(weights.kernel);
  const vk::Buffer& b = seq.constant(weights.bias);
  seq.dispatch(pipeline, {&input, &w, &b, &output}, pc, static_cast<uint64_t>(grid.pixel_groups * out.c * out.n), label);
}

}  // namespace convscope
