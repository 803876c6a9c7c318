// Push constants of the GPU feature mosaic (engine/viz/gpu_mosaic.h), shared by
// value_range.comp, which finds the colour ranges, and mosaic.comp, which draws the tiles.
#ifndef CONVSCOPE_MOSAIC_PARAMS_H
#define CONVSCOPE_MOSAIC_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(MosaicParams) {
  // Channel c's shown map is the plane of plane_size values from element first + c * channel_stride.
  uint first, channel_stride, plane_size, channels;
  // As mosaic_layout, in pixels: tile pixel (ty, tx) shows element (ty, tx) * step / scale of its map.
  int tile_width, tile_height, scale, gap;
  int columns;    // tiles per mosaic row
  int width;      // of the mosaic, in pixels
  int map_width;  // elements per row of a map
  int step;
  uint first_range;      // the range record of channel 0 (value_range.comp's output)
  uint range_per_channel;  // 1: channel c uses record first_range + c
  uint symmetric;        // 1: the range is made symmetric about 0 (Diverging)
  uint pixels;           // mosaic.comp's invocations
} CS_PUSH_INSTANCE;
CS_END

#endif
