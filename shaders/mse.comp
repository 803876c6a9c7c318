#version 450
// Mean squared difference: its gradient for each element, and per-workgroup partial losses
// (sum_rows.comp finishes the sum).
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "mse_params.h"

layout(std430, binding = 0) readonly buffer Prediction { float pred[]; };
layout(std430, binding = 1) readonly buffer Target { float target[]; };
layout(std430, binding = 2) writeonly buffer Grad { float grad[]; };
layout(std430, binding = 3) writeonly buffer Partials { float partials[]; };

shared float sums[WORKGROUP_WIDTH];

void main() {
  const uint id = linear_invocation();
  const int count = p.elements;
  float loss = 0.0;
  if (id < uint(count)) {
    const float d = pred[id] - target[id];
    grad[id] = 2.0 * d / float(count);
    loss = d * d / float(count);
  }
  sums[gl_LocalInvocationID.x] = loss;
  barrier();
  for (uint stride = WORKGROUP_WIDTH / 2; stride > 0; stride /= 2) {
    if (gl_LocalInvocationID.x < stride) sums[gl_LocalInvocationID.x] += sums[gl_LocalInvocationID.x + stride];
    barrier();
  }
  if (gl_LocalInvocationID.x == 0 && linear_group() < p.groups) partials[linear_group()] = sums[0];
}
