#version 450
// feature_mosaic (engine/viz/mosaic.h) drawn on the GPU, one invocation per pixel: tiles laid
// out by mosaic_layout, each value coloured by its mosaic_level over its range record
// (value_range.comp), packed RGBA8 with R in the low byte.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "mosaic_params.h"

layout(std430, binding = 0) readonly buffer Src { float src[]; };
layout(std430, binding = 1) readonly buffer Ranges { vec4 ranges[]; };
// The kLevels colours of the colormap's levels, then the gap colour; built by the engine.
layout(std430, binding = 2) readonly buffer Palette { uint palette[]; };
layout(std430, binding = 3) writeonly buffer Pixels { uint pixels[]; };

const int kLevels = 257;  // kMosaicLevels
const int kTop = kLevels - 1;
const float kHalfStep = 1.0 / float(2 * kTop);  // folded by the compiler; a power of two, exact

// mosaic_level of engine/viz/mosaic.cpp step for step, so that the GPU picks the same level
// for every value: only subtractions and products, which Vulkan rounds correctly, and NaN and
// infinities told apart by their bits, which no fast-math assumption can remove.
int level_of(float v, float lo, float hi) {
  const uint bits = floatBitsToUint(v), magnitude = bits & 0x7fffffffu;
  if (magnitude > 0x7f800000u) return 0;
  if (magnitude == 0x7f800000u) return (bits >> 31) == 0u ? kTop : 0;
  if (!(hi > lo)) return v > hi ? kTop : (v < lo ? 0 : kTop / 2);
  const float offset = v - lo, span = hi - lo;
  int reached = 0, unreached = kTop + 1;
  while (unreached - reached > 1) {
    const int mid = (reached + unreached) / 2;
    const float threshold = float(2 * mid - 1) * kHalfStep;
    if (offset >= span * threshold)
      reached = mid;
    else
      unreached = mid;
  }
  return reached;
}

void main() {
  const uint i = linear_invocation();
  if (i >= p.work.x) return;
  const ivec2 pixel = ivec2(int(i % uint(p.grid.y)), int(i / uint(p.grid.y)));
  const ivec2 cell = p.tile.xy + p.tile.w;  // a tile and the gap after it
  const ivec2 in_tile = pixel % cell;
  const int c = (pixel.y / cell.y) * p.grid.x + pixel.x / cell.x;
  if (in_tile.x >= p.tile.x || in_tile.y >= p.tile.y || c >= int(p.source.w)) {
    pixels[i] = palette[kLevels];
    return;
  }
  const ivec2 e = in_tile * p.grid.w / p.tile.z;
  const float v = src[p.source.x + uint(c) * p.source.y + uint(e.y * p.grid.z + e.x)];
  const vec4 range = ranges[p.range.x + (p.range.y != 0u ? uint(c) : 0u)];
  float lo = range.x, hi = range.y;
  if (p.range.z != 0u) {
    const float m = max(-lo, hi);
    lo = -m;
    hi = m;
  }
  pixels[i] = palette[level_of(v, lo, hi)];
}
