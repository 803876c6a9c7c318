// Push constants of the GPU feature mosaic (engine/viz/gpu_mosaic.h), shared by
// value_range.comp, which finds the colour ranges, and mosaic.comp, which draws the tiles.
#ifndef CONVSCOPE_MOSAIC_PARAMS_H
#define CONVSCOPE_MOSAIC_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(MosaicParams) {
  // (first, channel stride, plane size, channels): channel c's shown map is the plane of
  // `plane size` values from element first + c * stride of the tensor
  uvec4 source;
  ivec4 tile;  // (tile width, tile height, scale, gap) in pixels, as mosaic_layout
  ivec4 grid;  // (columns, mosaic width, map width, step: every step-th element shown)
  // (range record of channel 0, 1 when each channel has a record of its own, 1 when the range
  // is made symmetric about 0 (Diverging), 0)
  uvec4 range;
  uvec4 work;  // (pixels, 0, 0, 0); value_range: unused
} CS_PUSH_INSTANCE;
CS_END

#endif
