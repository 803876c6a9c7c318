// ConvCore's GPU side: fills the push constants every convolution shader shares, then
// records the dense kernel (conv_dense.comp) or the depthwise one (conv_depthwise.comp)
// where they apply, else the general one (conv.comp: grouped, dilated transposed), each
// applying an elementwise activation in its output stage; a softmax follows as a pass.
#include <fmt/format.h>

#include "core/error.h"
#include "embedded_shaders.h"
#include "layers/conv/conv_core.h"
#include "layers/activation/activation_pass.h"
#include "layers/conv/conv_dense.h"
#include "layers/conv/conv_depthwise.h"
#include "layers/conv/conv_tile.h"

namespace convscope {

namespace {

constexpr int kColumnsPerInvocation = 4;

// Output channels per register block: as many as the group has, up to 4, so depthwise
// layers (one channel per group) waste no lanes.
int channel_block(int64_t out_per_group) { return out_per_group >= 4 ? 4 : out_per_group >= 2 ? 2 : 1; }

int32_t i32(int64_t v) { return static_cast<int32_t>(v); }

gpu::ivec4 size_of(const Shape& s) { return {i32(s.w), i32(s.h), i32(s.d), i32(s.c)}; }

// conv.comp: each invocation a block of up to 4 output channels x 4 columns.
void record_general(vk::Sequence& seq, const vk::Buffer& input, const vk::Buffer& output, const ConvWeights& weights,
                    gpu::ConvParams pc, const std::array<int64_t, 3>& k, const Shape& out, bool transposed,
                    const ActivationSpec& activation, const std::string& label) {
  const int64_t groups = pc.groups, cin_g = pc.in_per_group, cout_g = pc.out_per_group;
  const int block = channel_block(cout_g);
  const int64_t blocks_g = (cout_g + block - 1) / block;
  const int64_t taps = k[0] * k[1] * k[2];

  // [group block][in per group][taps][block lane]: one block's weights for a tap are adjacent.
  std::vector<float> packed(static_cast<size_t>(groups * blocks_g * cin_g * taps * block), 0.0f);
  for (int64_t oc = 0; oc < out.c; ++oc) {
    const int64_t g = oc / cout_g, within = oc % cout_g;
    const int64_t b = g * blocks_g + within / block, lane = within % block;
    for (int64_t icg = 0; icg < cin_g; ++icg)
      for (int64_t t = 0; t < taps; ++t)
        packed[static_cast<size_t>(((b * cin_g + icg) * taps + t) * block + lane)] =
            weights.kernel[static_cast<size_t>((oc * cin_g + icg) * taps + t)];
  }
  const int64_t x_blocks = (out.w + kColumnsPerInvocation - 1) / kColumnsPerInvocation;
  const uint64_t total = static_cast<uint64_t>(out.n * groups * blocks_g * out.d * out.h * x_blocks);
  if (total > UINT32_MAX) throw UserError(fmt::format("{}: the output is too large for one dispatch", label));
  pc.channel_blocks = static_cast<int32_t>(blocks_g);
  pc.x_blocks = static_cast<int32_t>(x_blocks);
  pc.invocations = static_cast<uint32_t>(total);

  const vk::Buffer& w = seq.constant(packed);
  const vk::Buffer& b = seq.constant(weights.bias);
  vk::SpecConstants spec = vk::workgroup_width(64);
  spec.set(CONV_SPEC_OC_BLOCK, block).set(CONV_SPEC_PX_BLOCK, kColumnsPerInvocation);
  spec.set(CONV_SPEC_TRANSPOSED, transposed);
  if (seq.context().options().specialize_geometry) bake_geometry(spec, pc);
  set_stage_activation(spec, activation);
  const auto& pipeline = seq.context().pipeline(tensor_shader(seq.context(), shaders::conv, shaders::conv_fp16), spec);
  seq.dispatch_elements(pipeline, {&input, &w, &b, &output}, pc, total, label);
}

}  // namespace

void ConvCore::record(vk::Sequence& seq, const vk::Buffer& input, const Shape& in, const vk::Buffer& output,
                      const ConvWeights& weights) const {
  const ConvPlan p = plan(in);
  const Shape& out = p.output;
  const auto k = canonical_kernel();
  const int64_t groups = config_.groups;

  AxisGeometry ax[3];
  for (int a = 0; a < config_.rank; ++a) ax[3 - config_.rank + a] = p.axes[a];  // canonical (z, y, x)
  const auto xyz = [&ax](int64_t AxisGeometry::*field) -> gpu::ivec3 {
    return {i32(ax[2].*field), i32(ax[1].*field), i32(ax[0].*field)};
  };
  gpu::ConvParams pc{};
  pc.in_size = size_of(in);
  pc.out_size = size_of(out);
  pc.kernel = {i32(k[2]), i32(k[1]), i32(k[0])};
  pc.stride = xyz(&AxisGeometry::stride);
  pc.dilation = xyz(&AxisGeometry::dilation);
  pc.offset = xyz(&AxisGeometry::offset);
  pc.groups = i32(groups);
  pc.in_per_group = i32(in.c / groups);
  pc.out_per_group = i32(out.c / groups);

  // An elementwise activation is applied by the kernel as it writes each output; softmax and
  // log_softmax read a whole axis, so they follow as a pass.
  const ActivationSpec& act = config_.activation;
  if (dense_applies(seq.context(), config_)) record_dense(seq, input, output, weights, pc, out, config_.transposed, act, label_);
  else if (depthwise_applies(config_, in)) record_depthwise(seq, input, output, weights, pc, out, act, label_);
  else record_general(seq, input, output, weights, pc, k, out, config_.transposed, act, label_);
  if (act.elementwise()) return;
  Shape activated = out;
  activated.format = config_.format;
  record_activation(seq, output, activated, act, label_);
}

}  // namespace convscope
