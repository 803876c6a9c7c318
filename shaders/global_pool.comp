#version 450
// GlobalMaxPooling and GlobalAveragePooling in 1D, 2D and 3D: the max or the mean of each
// (sample, channel) plane. One workgroup per plane: its invocations stride through the plane,
// then a tree in shared memory combines them, so a large map is read by many lanes at once.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "global_pool_params.h"
#include "tensor_type.glsl"

// The operation, baked into the pipeline (no per-element branch). The workgroup width is a
// power of two (the tree halves it).
layout(constant_id = GLOBAL_POOL_SPEC_AVERAGE) const int AVERAGE = 0;

layout(std430, binding = 0) readonly buffer Src { TENSOR_T src[]; };
layout(std430, binding = 1) writeonly buffer Dst { TENSOR_T dst[]; };

shared float partial[WORKGROUP_WIDTH];

float combine(float a, float b) { return AVERAGE != 0 ? a + b : max(a, b); }

void main() {
  const uint plane = linear_group();  // uniform over the workgroup: the barriers below are too
  const uint lane = gl_LocalInvocationID.x;
  float acc = AVERAGE != 0 ? 0.0 : uintBitsToFloat(0xff800000u);  // -inf
  if (plane < p.planes) {
    const uint base = plane * p.plane_size;
    for (uint e = lane; e < p.plane_size; e += WORKGROUP_WIDTH) acc = combine(acc, float(src[base + e]));
  }
  partial[lane] = acc;
  barrier();
  for (uint half_width = WORKGROUP_WIDTH / 2; half_width > 0; half_width /= 2) {
    if (lane < half_width) partial[lane] = combine(partial[lane], partial[lane + half_width]);
    barrier();
  }
  if (lane == 0 && plane < p.planes)
    dst[plane] = TENSOR_T(AVERAGE != 0 ? partial[0] / float(p.plane_size) : partial[0]);
}
