#version 450
// The mean of each (sample, channel) plane: one workgroup per plane, reduced in shared memory.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "channel_mean_params.h"

layout(std430, binding = 0) readonly buffer In { float src[]; };
layout(std430, binding = 1) writeonly buffer Out { float means[]; };

shared float sums[WORKGROUP_WIDTH];

void main() {
  const int plane = int(linear_group());
  const int size = p.plane_size;
  float acc = 0.0;
  if (plane < p.planes)
    for (int e = int(gl_LocalInvocationID.x); e < size; e += int(WORKGROUP_WIDTH)) acc += src[plane * size + e];
  sums[gl_LocalInvocationID.x] = acc;
  barrier();
  for (uint stride = WORKGROUP_WIDTH / 2; stride > 0; stride /= 2) {
    if (gl_LocalInvocationID.x < stride) sums[gl_LocalInvocationID.x] += sums[gl_LocalInvocationID.x + stride];
    barrier();
  }
  if (gl_LocalInvocationID.x == 0 && plane < p.planes) means[plane] = sums[0] / float(size);
}
