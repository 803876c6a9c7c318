#pragma once
// The C++ side of shaders/conv_tile.glsl, which the dense and depthwise kernels share: the
// tile a lane computes, the grid of such tiles, and the geometry specialization constants.
#include <cstdint>
#include <string>

#include "conv_params.h"
#include "core/tensor.h"
#include "layers/activation/activation.h"
#include "vk/spec_constants.h"

namespace convscope {

constexpr int kTileColumns = 4;           // PX in conv_tile.glsl
constexpr int kTileRows = 2;              // output rows per lane
constexpr uint32_t kTileWorkgroup = 64;   // lanes per workgroup; a multiple of every subgroup size seen

struct TileGrid {
  int64_t x_blocks = 0;      // tiles across a row
  int64_t pixel_groups = 0;  // workgroups covering one channel's (D, H, W)
};

// The tiles covering one channel of `out`. The dispatch runs them for `channel_sets` sets of
// channels (blocks x batch); UserError naming `label` when that passes 2^32 invocations.
TileGrid tile_grid(const Shape& out, uint64_t channel_sets, const std::string& label);

// Kernel size, strides and dilation of `pc` baked in (CONV_SPEC_KX...), as conv.comp and
// conv_tile.glsl read them.
void bake_geometry(vk::SpecConstants& spec, const gpu::ConvParams& pc);

// The specialization constants of a conv_tile.glsl kernel: the workgroup width, when `bake`
// the geometry (without it the shader reads the geometry from the push constants), and the
// elementwise `activation` its output stage applies (activation_stage.glsl).
vk::SpecConstants tile_spec(const gpu::ConvParams& pc, bool bake, const ActivationSpec& activation);

}  // namespace convscope
