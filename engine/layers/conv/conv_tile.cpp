#include "layers/conv/conv_tile.h"

#include <fmt/format.h>

#include "core/error.h"

namespace convscope {

TileGrid tile_grid(const Shape& out, uint64_t channel_sets, const std::string& label) {
  TileGrid g;
  g.x_blocks = (out.w + kTileColumns - 1) / kTileColumns;
  g.pixel_groups = (g.x_blocks * ((out.h + kTileRows - 1) / kTileRows) * out.d + kTileWorkgroup - 1) / kTileWorkgroup;
  if (static_cast<uint64_t>(g.pixel_groups) * channel_sets * kTileWorkgroup > UINT32_MAX)
    throw UserError(fmt::format("{}: the output is too large for one dispatch", label));
  return g;
}

std::vector<uint32_t> tile_spec(const gpu::ConvParams& pc, bool bake) {
  std::vector<uint32_t> spec{kTileWorkgroup, 0, 0, 0};
  for (const gpu::ivec3* v : {&pc.kernel, &pc.stride, &pc.dilation})
    for (int32_t value : {v->x, v->y, v->z}) spec.push_back(static_cast<uint32_t>(bake ? value : -1));
  return spec;
}

}  // namespace convscope
