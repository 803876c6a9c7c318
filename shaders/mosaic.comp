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
  // The largest level whose threshold offset reaches (thresholds rise with the level): start
  // from the rounded estimate and step to it with the CPU's own comparisons, so the answer is
  // the CPU's binary search's, in two or three comparisons instead of eight loop turns.
  int level = int(clamp(offset / span * float(kTop) + 0.5, 0.0, float(kTop)));  // clamped first: int(inf) is undefined
  while (level < kTop && offset >= span * (float(2 * (level + 1) - 1) * kHalfStep)) ++level;
  while (level > 0 && !(offset >= span * (float(2 * level - 1) * kHalfStep))) --level;
  return level;
}

void main() {
  const uint i = linear_invocation();
  if (i >= p.pixels) return;
  // quotient() (common.glsl) rather than / and %, which lavapipe divides lane by lane.
  const int py = quotient(int(i), p.width);
  const ivec2 pixel = ivec2(int(i) - py * p.width, py);
  const ivec2 tile = ivec2(p.tile_width, p.tile_height);
  const ivec2 cell = tile + p.gap;  // a tile and the gap after it
  const ivec2 cell_index = ivec2(quotient(pixel.x, cell.x), quotient(pixel.y, cell.y));
  const ivec2 in_tile = pixel - cell_index * cell;
  const int c = cell_index.y * p.columns + cell_index.x;
  if (in_tile.x >= tile.x || in_tile.y >= tile.y || c >= int(p.channels)) {
    pixels[i] = palette[kLevels];
    return;
  }
  const ivec2 e = ivec2(quotient(in_tile.x * p.step, p.scale), quotient(in_tile.y * p.step, p.scale));
  const float v = src[p.first + uint(c) * p.channel_stride + uint(e.y * p.map_width + e.x)];
  const vec4 range = ranges[p.first_range + (p.range_per_channel != 0u ? uint(c) : 0u)];
  float lo = range.x, hi = range.y;
  if (p.symmetric != 0u) {
    const float m = max(-lo, hi);
    lo = -m;
    hi = m;
  }
  pixels[i] = palette[level_of(v, lo, hi)];
}
