#version 450
// out[o, u, i] = bias[u] + sum_k in[o, k, i] * kernel[k, u]: Keras' Dense on the last Keras
// axis, which a canonical tensor holds between `outer` and `inner` elements. One invocation
// per output; neighbouring invocations share u and read neighbouring inputs when inner > 1
// (a channels_last image: Dense on C per pixel), or share the input row when inner is 1.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "dense_params.h"
#include "tensor_type.glsl"

layout(std430, binding = 0) readonly buffer In { TENSOR_T src[]; };
layout(std430, binding = 1) readonly buffer Kernel { float kernel[]; };
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, binding = 3) writeonly buffer Out { TENSOR_T dst[]; };

void main() {
  const uint o = linear_invocation();
  if (o >= p.outer * p.units * p.inner) return;
  const uint i = o % p.inner, u = (o / p.inner) % p.units, outer = o / (p.inner * p.units);
  const uint base = outer * p.features * p.inner + i;
  float acc = p.has_bias != 0u ? bias[u] : 0.0;
  for (uint k = 0u; k < p.features; ++k) acc += float(src[base + k * p.inner]) * kernel[k * p.units + u];
  dst[o] = TENSOR_T(acc);
}
