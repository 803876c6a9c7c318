#include "layers/conv/conv_tile.h"

#include <fmt/format.h>

#include "core/error.h"
#include "layers/activation/activation_pass.h"

namespace convscope {

TileGrid tile_grid(const Shape& out, uint64_t channel_sets, const std::string& label) {
  TileGrid g;
  g.x_blocks = (out.w + kTileColumns - 1) / kTileColumns;
  g.pixel_groups = (g.x_blocks * ((out.h + kTileRows - 1) / kTileRows) * out.d + kTileWorkgroup - 1) / kTileWorkgroup;
  if (static_cast<uint64_t>(g.pixel_groups) * channel_sets * kTileWorkgroup > UINT32_MAX)
    throw UserError(fmt::format("{}: the output is too large for one dispatch", label));
  return g;
}

void bake_geometry(vk::SpecConstants& spec, const gpu::ConvParams& pc) {
  spec.set(CONV_SPEC_KX, pc.kernel.x).set(CONV_SPEC_KY, pc.kernel.y).set(CONV_SPEC_KZ, pc.kernel.z);
  spec.set(CONV_SPEC_SX, pc.stride.x).set(CONV_SPEC_SY, pc.stride.y).set(CONV_SPEC_SZ, pc.stride.z);
  spec.set(CONV_SPEC_DX, pc.dilation.x).set(CONV_SPEC_DY, pc.dilation.y).set(CONV_SPEC_DZ, pc.dilation.z);
}

vk::SpecConstants tile_spec(const gpu::ConvParams& pc, bool bake, const ActivationSpec& activation) {
  vk::SpecConstants spec = vk::workgroup_width(kTileWorkgroup);
  if (bake) bake_geometry(spec, pc);
  set_stage_activation(spec, activation);
  return spec;
}

}  // namespace convscope
