#include "layers/conv/conv_dense.h"

#include <array>

#include "embedded_shaders.h"
#include "layers/conv/conv_tile.h"
#include "vk/device_tensor.h"

namespace convscope {

namespace {

constexpr int kChannels = 8;  // output channels per workgroup: the broadcast lanes 0..7

// One dispatch of conv_dense.comp: a stride-1-or-more dense convolution of the whole input
// whose output (size `out`) lands at every `out_stride`-th position of the real output from
// `phase` on. Vectors are canonical (x, y, z).
struct DensePass {
  gpu::ConvParams pc;
  std::vector<float> kernel;  // [oc][ic][kz][ky][kx] with pc.kernel's sizes
  Shape out;
  std::array<int32_t, 3> out_stride{1, 1, 1}, phase{0, 0, 0};
};

void record_pass(vk::Sequence& seq, const vk::Buffer& input, const vk::Buffer& output, const std::vector<float>& bias,
                 DensePass pass, const Shape& real_out, const ActivationSpec& activation, const std::string& label) {
  gpu::ConvParams& pc = pass.pc;
  const Shape& out = pass.out;
  if (out.size() == 0) return;
  const int64_t cin = pc.in_per_group, cout = pc.out_per_group;
  const int64_t taps = static_cast<int64_t>(pc.kernel.x) * pc.kernel.y * pc.kernel.z;
  const int64_t blocks = (cout + kChannels - 1) / kChannels;

  // [channel block][in channel][taps][8]: the 8 weights a subgroup broadcasts are adjacent.
  // A pass with no taps (a stride phase no tap reaches) still writes the bias.
  std::vector<float> packed(static_cast<size_t>(std::max<int64_t>(blocks * cin * taps * kChannels, kChannels)), 0.0f);
  for (int64_t oc = 0; oc < cout; ++oc)
    for (int64_t ic = 0; ic < cin; ++ic)
      for (int64_t t = 0; t < taps; ++t)
        packed[static_cast<size_t>(((oc / kChannels * cin + ic) * taps + t) * kChannels + oc % kChannels)] =
            pass.kernel[static_cast<size_t>((oc * cin + ic) * taps + t)];

  const TileGrid grid = tile_grid(out, static_cast<uint64_t>(blocks * out.n), label);
  pc.out_size = {static_cast<int32_t>(out.w), static_cast<int32_t>(out.h), static_cast<int32_t>(out.d),
                 static_cast<int32_t>(out.c)};
  pc.channel_blocks = static_cast<int32_t>(blocks);
  pc.x_blocks = static_cast<int32_t>(grid.x_blocks);
  pc.real_out_size = {static_cast<int32_t>(real_out.w), static_cast<int32_t>(real_out.h), static_cast<int32_t>(real_out.d)};
  pc.pixel_groups = static_cast<uint32_t>(grid.pixel_groups);

  vk::SpecConstants spec = tile_spec(pc, seq.context().options().specialize_geometry, activation);
  const auto& [osx, osy, osz] = pass.out_stride;
  const auto& [rx, ry, rz] = pass.phase;
  spec.set(CONV_SPEC_OSX, osx).set(CONV_SPEC_OSY, osy).set(CONV_SPEC_OSZ, osz);
  spec.set(CONV_SPEC_RX, rx).set(CONV_SPEC_RY, ry).set(CONV_SPEC_RZ, rz);
  const auto& pipeline = seq.context().pipeline(tensor_shader(seq.context(), shaders::conv_dense, shaders::conv_dense_fp16), spec);
  const vk::Buffer& w = seq.constant(packed);
  const vk::Buffer& b = seq.constant(bias);
  seq.dispatch(pipeline, {&input, &w, &b, &output}, pc, static_cast<uint64_t>(grid.pixel_groups * blocks * out.n),
               label);
}

int32_t component(const gpu::ivec3& v, int axis) { return axis == 0 ? v.x : axis == 1 ? v.y : v.z; }
void set_component(gpu::ivec3& v, int axis, int32_t value) { (axis == 0 ? v.x : axis == 1 ? v.y : v.z) = value; }

// A transposed convolution at stride s writes output o = i*s + t - offset (dilation 1). The
// outputs o = s*q + r of one phase r take only the taps t = t0 + s*k, t0 = (r + offset) mod s,
// from inputs i = q + c - k, c = (r + offset - t0) / s: a stride-1 convolution with the flipped
// sub-kernel and padding K_r - 1 - c. One pass per phase does only the taps that land.
std::vector<DensePass> transposed_passes(const gpu::ConvParams& pc, const std::vector<float>& kernel,
                                         const Shape& out) {
  struct AxisPhase {
    int32_t r, t0, taps, pad, outputs;
  };
  std::array<std::vector<AxisPhase>, 3> axes;
  const int64_t real[3] = {out.w, out.h, out.d};
  for (int a = 0; a < 3; ++a) {
    const int32_t s = component(pc.stride, a), k = component(pc.kernel, a), off = component(pc.offset, a);
    for (int32_t r = 0; r < s; ++r) {
      const int32_t t0 = ((r + off) % s + s) % s;
      const int32_t taps = t0 < k ? (k - t0 + s - 1) / s : 0;
      const int32_t c = (r + off - t0) / s;  // exact: r + off - t0 is a multiple of s
      const int32_t outputs = r < real[a] ? static_cast<int32_t>((real[a] - r + s - 1) / s) : 0;
      axes[a].push_back({r, t0, taps, taps - 1 - c, outputs});
    }
  }
  const int64_t cin = pc.in_per_group, cout = pc.out_per_group;
  const int32_t kx = pc.kernel.x, ky = pc.kernel.y, kz = pc.kernel.z;
  std::vector<DensePass> passes;
  for (const AxisPhase& pz : axes[2])
    for (const AxisPhase& py : axes[1])
      for (const AxisPhase& px : axes[0]) {
        DensePass pass;
        pass.pc = pc;
        const AxisPhase* ph[3] = {&px, &py, &pz};
        for (int a = 0; a < 3; ++a) {
          set_component(pass.pc.kernel, a, ph[a]->taps);
          set_component(pass.pc.stride, a, 1);
          set_component(pass.pc.dilation, a, 1);
          set_component(pass.pc.offset, a, ph[a]->pad);
          pass.out_stride[static_cast<size_t>(a)] = component(pc.stride, a);
          pass.phase[static_cast<size_t>(a)] = ph[a]->r;
        }
        pass.out = out;
        pass.out.w = px.outputs, pass.out.h = py.outputs, pass.out.d = pz.outputs;
        // Sub-kernel tap j reads the full kernel's tap t0 + s * (taps - 1 - j): flipped.
        pass.kernel.assign(static_cast<size_t>(cout * cin * px.taps * py.taps * pz.taps), 0.0f);
        size_t at = 0;
        for (int64_t oc = 0; oc < cout; ++oc)
          for (int64_t ic = 0; ic < cin; ++ic)
            for (int32_t jz = 0; jz < pz.taps; ++jz)
              for (int32_t jy = 0; jy < py.taps; ++jy)
                for (int32_t jx = 0; jx < px.taps; ++jx) {
                  const int32_t tz = pz.t0 + pc.stride.z * (pz.taps - 1 - jz);
                  const int32_t ty = py.t0 + pc.stride.y * (py.taps - 1 - jy);
                  const int32_t tx = px.t0 + pc.stride.x * (px.taps - 1 - jx);
                  pass.kernel[at++] = kernel[static_cast<size_t>((((oc * cin + ic) * kz + tz) * ky + ty) * kx + tx)];
                }
        passes.push_back(std::move(pass));
      }
  return passes;
}

}  // namespace

bool dense_applies(const vk::Context& ctx, const ConvConfig& config) {
  const auto& info = ctx.info();
  // Transposed convolutions split into stride phases only without dilation.
  const bool dilated = config.dilation[0] > 1 || config.dilation[1] > 1 || config.dilation[2] > 1;
  // Broadcast lanes 0..7 must exist in every subgroup, and subgroups must tile the workgroup.
  // Stride phases are baked into their pipelines, so transposed ones need specialisation on.
  const bool phases = config.transposed && (dilated || !ctx.options().specialize_geometry);
  return !phases && config.groups == 1 && info.subgroup_broadcast && info.subgroup_size >= kChannels &&
         kTileWorkgroup % info.subgroup_size == 0;
}

void record_dense(vk::Sequence& seq, const vk::Buffer& input, const vk::Buffer& output, const ConvWeights& weights,
                  const gpu::ConvParams& pc, const Shape& out, bool transposed, const ActivationSpec& activation,
                  const std::string& label) {
  if (transposed) {
    for (DensePass& pass : transposed_passes(pc, weights.kernel, out))
      record_pass(seq, input, output, weights.bias, std::move(pass), out, activation, label);
    return;
  }
  DensePass pass;
  pass.pc = pc;
  pass.kernel = weights.kernel;
  pass.out = out;
  record_pass(seq, input, output, weights.bias, std::move(pass), out, activation, label);
}

}  // namespace convscope
