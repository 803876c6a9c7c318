#include "layers/conv/conv_depthwise.h"

#include <fmt/format.h>

#include "core/error.h"
#include "embedded_shaders.h"

namespace convscope {

namespace {

constexpr int kColumns = 4;          // output columns per lane: PX in conv_tile.glsl
constexpr uint32_t kWorkgroup = 64;  // lanes per workgroup

}  // namespace

bool depthwise_applies(const ConvConfig& config, const Shape& input) {
  return !config.transposed && config.groups == input.c && config.groups > 1;
}

void record_depthwise(vk::Sequence& seq, const vk::Buffer& input, const vk::Buffer& output, const ConvWeights& weights,
                      gpu::ConvParams pc, const Shape& out, const std::string& label) {
  const int64_t x_blocks = (out.w + kColumns - 1) / kColumns;
  const int64_t pixel_groups = (x_blocks * ((out.h + 1) / 2) * out.d + kWorkgroup - 1) / kWorkgroup;
  const uint64_t groups = static_cast<uint64_t>(pixel_groups * out.c * out.n);
  if (groups * kWorkgroup > UINT32_MAX) throw UserError(fmt::format("{}: the output is too large for one dispatch", label));
  pc.channels.w = static_cast<int32_t>(x_blocks);
  pc.work = {static_cast<uint32_t>(pixel_groups), 0, 0, 0};

  std::vector<uint32_t> spec{kWorkgroup, 0, 0, 0};
  const bool bake = seq.context().options().specialize_geometry;
  for (const gpu::ivec4* v : {&pc.kernel, &pc.stride, &pc.dilation})
    for (int32_t value : {v->x, v->y, v->z}) spec.push_back(static_cast<uint32_t>(bake ? value : -1));
  const auto& pipeline = seq.context().pipeline(shaders::conv_depthwise, spec);
  const vk::Buffer& w = seq.constant(weights.kernel);
  const vk::Buffer& b = seq.constant(weights.bias);
  seq.dispatch(pipeline, {&input, &w, &b, &output}, pc, groups, label);
}

}  // namespace convscope
