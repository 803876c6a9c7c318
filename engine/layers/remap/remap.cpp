#include "layers/remap/remap.h"

#include <fmt/format.h>

#include "core/error.h"
#include "embedded_shaders.h"
#include "layers/remap/remap_copies.h"
#include "remap_params.h"

namespace convscope {

static_assert(sizeof(gpu::RemapParams) == shaders::remap_push_bytes, "remap_params.h and the SPIR-V disagree");

namespace {
gpu::ivec4 sizes(const Shape& s) {
  return {static_cast<int32_t>(s.w), static_cast<int32_t>(s.h), static_cast<int32_t>(s.d), static_cast<int32_t>(s.n * s.c)};
}
}  // namespace

void record_remap(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output,
                  const std::array<RemapAxis, 3>& axes, int spatial_rank, const std::string& label) {
  if (output.shape.size() > UINT32_MAX) throw UserError(fmt::format("{}: the output is too large for one dispatch", label));
  int32_t offset[3] = {0, 0, 0}, factor[3] = {1, 1, 1}, linear = 0;  // canonical (x, y, z)
  for (int a = 0; a < spatial_rank; ++a) {
    const int c = spatial_rank - 1 - a;
    offset[c] = static_cast<int32_t>(axes[a].offset);
    factor[c] = static_cast<int32_t>(axes[a].factor);
    if (axes[a].linear) linear |= 1 << c;
  }
  if (linear == 0 && factor[0] == 1 && factor[1] == 1 && factor[2] == 1) {
    record_row_copies(seq, input, output, {offset[0], offset[1], offset[2]}, label);
    return;
  }
  gpu::RemapParams p{};
  p.src_size = sizes(input.shape);
  p.dst_size = sizes(output.shape);
  p.offset = {offset[0], offset[1], offset[2]};
  p.linear = linear;
  p.factor = {factor[0], factor[1], factor[2]};
  p.elements = static_cast<uint32_t>(output.shape.size());
  vk::SpecConstants spec = vk::workgroup_width(64);
  if (seq.context().options().specialize_geometry) {
    spec.set(REMAP_SPEC_OX, p.dst_size.x).set(REMAP_SPEC_OY, p.dst_size.y).set(REMAP_SPEC_OZ, p.dst_size.z);
    spec.set(REMAP_SPEC_FX, factor[0]).set(REMAP_SPEC_FY, factor[1]).set(REMAP_SPEC_FZ, factor[2]);
    spec.set(REMAP_SPEC_LINEAR, linear);
  }
  const auto& pipeline = seq.context().pipeline(tensor_shader(seq.context(), shaders::remap, shaders::remap_fp16), spec);
  seq.dispatch_elements(pipeline, {&input.buffer, &output.buffer}, p, output.shape.size(), label);
}

}  // namespace convscope
