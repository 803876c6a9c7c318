#include "layers/pool/pool_gpu.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>

#include "core/error.h"
#include "embedded_shaders.h"
#include "global_pool_params.h"
#include "pool_params.h"

namespace convscope {

static_assert(sizeof(gpu::PoolParams) == shaders::pool_push_bytes, "pool_params.h and the SPIR-V disagree");
static_assert(sizeof(gpu::GlobalPoolParams) == shaders::global_pool_push_bytes,
              "global_pool_params.h and the SPIR-V disagree");

namespace {

gpu::ivec4 sizes(const Shape& s) {
  return {static_cast<int32_t>(s.w), static_cast<int32_t>(s.h), static_cast<int32_t>(s.d), static_cast<int32_t>(s.n * s.c)};
}

// The shaders index with 32-bit unsigned ints.
void require_indexable(const Shape& s, const std::string& label, std::string_view what) {
  if (s.size() > UINT32_MAX)
    throw UserError(fmt::format("{}: the {} has {} elements; the pooling kernels index at most {}", label, what,
                                s.size(), UINT32_MAX));
}

}  // namespace

void record_window_pool(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output, PoolOp op,
                        const std::array<AxisGeometry, 3>& axes, const std::string& label) {
  require_indexable(input.shape, label, "input");
  require_indexable(output.shape, label, "output");
  gpu::PoolParams p{};
  p.src_size = sizes(input.shape);
  p.dst_size = sizes(output.shape);
  // Canonical (D, H, W) -> the shader's (x, y, z).
  auto xyz = [&axes](auto field) {
    return gpu::ivec3{static_cast<int32_t>(field(axes[2])), static_cast<int32_t>(field(axes[1])),
                      static_cast<int32_t>(field(axes[0]))};
  };
  p.pool = xyz([](const AxisGeometry& g) { return g.kernel; });
  p.strides = xyz([](const AxisGeometry& g) { return g.stride; });
  p.offset = xyz([](const AxisGeometry& g) { return g.offset; });
  p.elements = static_cast<uint32_t>(output.shape.size());

  vk::SpecConstants spec = vk::workgroup_width(64);
  spec.set(POOL_SPEC_AVERAGE, op == PoolOp::Average ? 1 : 0);
  if (seq.context().options().specialize_geometry) {
    spec.set(POOL_SPEC_OX, p.dst_size.x).set(POOL_SPEC_OY, p.dst_size.y).set(POOL_SPEC_OZ, p.dst_size.z);
    spec.set(POOL_SPEC_KX, p.pool.x).set(POOL_SPEC_KY, p.pool.y).set(POOL_SPEC_KZ, p.pool.z);
    spec.set(POOL_SPEC_SX, p.strides.x).set(POOL_SPEC_SY, p.strides.y).set(POOL_SPEC_SZ, p.strides.z);
  }
  const auto& pipeline = seq.context().pipeline(tensor_shader(seq.context(), shaders::pool, shaders::pool_fp16), spec);
  seq.dispatch_elements(pipeline, {&input.buffer, &output.buffer}, p, output.shape.size(), label);
}

void record_global_pool(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output, PoolOp op,
                        const std::string& label) {
  require_indexable(input.shape, label, "input");
  const Shape& s = input.shape;
  gpu::GlobalPoolParams p{};
  p.plane_size = static_cast<uint32_t>(s.d * s.h * s.w);
  p.planes = static_cast<uint32_t>(s.n * s.c);
  // As many lanes as the plane has elements, a power of two (the shader's tree halves it)
  // between 16 and 128, which every Vulkan device allows: a 1x1 map does not keep 127 lanes idle.
  const uint32_t width = std::clamp<uint32_t>(std::bit_ceil(p.plane_size), 16, 128);
  const vk::SpecConstants spec =
      vk::workgroup_width(width).set(GLOBAL_POOL_SPEC_AVERAGE, op == PoolOp::Average ? 1 : 0);
  const auto& pipeline =
      seq.context().pipeline(tensor_shader(seq.context(), shaders::global_pool, shaders::global_pool_fp16), spec);
  seq.dispatch(pipeline, {&input.buffer, &output.buffer}, p, p.planes, label);
}

}  // namespace convscope
