#version 450
// The colour ranges of the GPU feature mosaic: the finite minimum and maximum of each
// channel's shown map (STAGE 0, one workgroup per channel, record c), then of all channels
// together (STAGE 1, one workgroup merging records 0..C-1 into record C). A record is
// (lo, hi, 1, 0), or all zeros when it saw nothing finite. WORKGROUP_WIDTH: a power of two.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "mosaic_params.h"

layout(constant_id = MOSAIC_SPEC_STAGE) const uint STAGE = 0;

layout(std430, binding = 0) readonly buffer Src { float src[]; };
layout(std430, binding = 1) buffer Ranges { vec4 ranges[]; };

shared float los[WORKGROUP_WIDTH];
shared float his[WORKGROUP_WIDTH];
shared uint founds[WORKGROUP_WIDTH];

// This invocation's part of the range so far.
float lo = 0.0, hi = 0.0;
bool found = false;

void take(float l, float h) {
  lo = found ? min(lo, l) : l;
  hi = found ? max(hi, h) : h;
  found = true;
}

// Infinities and NaN are left out, as mosaic_range does on the CPU. Tested on the bits: a
// Vulkan implementation may assume that arithmetic never meets them.
bool finite(float v) { return (floatBitsToUint(v) & 0x7f800000u) != 0x7f800000u; }

void main() {
  const uint lane = gl_LocalInvocationID.x, group = linear_group(), channels = p.channels;
  if (STAGE == 0) {
    if (group < channels) {
      const uint first = p.first + group * p.channel_stride;
      for (uint e = lane; e < p.plane_size; e += WORKGROUP_WIDTH) {
        const float v = src[first + e];
        if (finite(v)) take(v, v);
      }
    }
  } else {
    for (uint c = lane; c < channels; c += WORKGROUP_WIDTH)
      if (ranges[c].z != 0.0) take(ranges[c].x, ranges[c].y);
  }
  los[lane] = lo;
  his[lane] = hi;
  founds[lane] = found ? 1u : 0u;
  barrier();
  for (uint stride = WORKGROUP_WIDTH / 2; stride > 0; stride /= 2) {
    if (lane < stride && founds[lane + stride] != 0u) {
      take(los[lane + stride], his[lane + stride]);  // lane's own entry is its local state
      los[lane] = lo;
      his[lane] = hi;
      founds[lane] = 1u;
    }
    barrier();
  }
  if (lane != 0) return;
  const vec4 record = found ? vec4(lo, hi, 1.0, 0.0) : vec4(0.0);
  if (STAGE == 1)
    ranges[channels] = record;
  else if (group < channels)
    ranges[group] = record;
}
