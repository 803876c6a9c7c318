#include "layers/conv/conv_dense.h"

#include <fmt/format.h>

#include "core/error.h"
#include "embedded_shaders.h"

namespace convscope {

namespace {

constexpr int kChannels = 8;        // output channels per workgroup: OCB in the shader
constexpr int kColumns = 4;         // output columns per lane: PX
constexpr uint32_t kWorkgroup = 64;  // lanes per workgroup; a multiple of every subgroup size seen

}  // namespace

bool dense_applies(const vk::Context& ctx, const ConvConfig& config) {
  const auto& info = ctx.info();
  // Broadcast lanes 0..7 must exist in every subgroup, and subgroups must tile the workgroup.
  return !config.transposed && config.groups == 1 && ctx.options().specialize_geometry && info.subgroup_broadcast &&
         info.subgroup_size >= kChannels && kWorkgroup % info.subgroup_size == 0;
}

void record_dense(vk::Sequence& seq, const vk::Buffer& input, const vk::Buffer& output, const ConvWeights& weights,
                  gpu::ConvParams pc, const Shape& out, const std::string& label) {
  const int64_t cin = pc.channels.x, cout = pc.channels.y;
  const int64_t taps = static_cast<int64_t>(pc.kernel.x) * pc.kernel.y * pc.kernel.z;
  const int64_t blocks = (cout + kChannels - 1) / kChannels;

  // [channel block][in channel][taps][8]: the 8 weights a subgroup broadcasts are adjacent.
  std::vector<float> packed(static_cast<size_t>(blocks * cin * taps * kChannels), 0.0f);
  for (int64_t oc = 0; oc < cout; ++oc)
    for (int64_t ic = 0; ic < cin; ++ic)
      for (int64_t t = 0; t < taps; ++t)
        packed[static_cast<size_t>(((oc / kChannels * cin + ic) * taps + t) * kChannels + oc % kChannels)] =
            weights.kernel[static_cast<size_t>((oc * cin + ic) * taps + t)];

  const int64_t x_blocks = (out.w + kColumns - 1) / kColumns;
  const int64_t pixel_groups = (x_blocks * ((out.h + 1) / 2) * out.d + kWorkgroup - 1) / kWorkgroup;
  const uint64_t groups = static_cast<uint64_t>(pixel_groups * blocks * out.n);
  if (groups * kWorkgroup > UINT32_MAX) throw UserError(fmt::format("{}: the output is too large for one dispatch", label));
  pc.channels.z = static_cast<int32_t>(blocks);
  pc.channels.w = static_cast<int32_t>(x_blocks);
  pc.work = {static_cast<uint32_t>(pixel_groups), static_cast<uint32_t>(blocks), 0, 0};

  std::vector<uint32_t> spec{kWorkgroup, kColumns, 0, 0};
  for (const gpu::ivec4* v : {&pc.kernel, &pc.stride, &pc.dilation})
    for (int32_t value : {v->x, v->y, v->z}) spec.push_back(static_cast<uint32_t>(value));
  const auto& pipeline = seq.context().pipeline(shaders::conv_dense, spec);
  const vk::Buffer& w = seq.constant(packed);
  const vk::Buffer& b = seq.constant(weights.bias);
  seq.dispatch(pipeline, {&input, &w, &b, &output}, pc, groups, label);
}

}  // namespace convscope
