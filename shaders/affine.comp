#version 450
// y = x * scale[p] + shift[p] per element: BatchNormalization at inference, Rescaling and
// Normalization, whose parameters vary along some axes (channels, say) and broadcast over the
// rest. The host folds each layer's formula into one scale and shift per parameter position
// (in double), so every layer is this one multiply-add.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "affine_params.h"
#include "tensor_type.glsl"

layout(std430, binding = 0) readonly buffer Src { TENSOR_T src[]; };
layout(std430, binding = 1) readonly buffer Scale { float scale[]; };
layout(std430, binding = 2) readonly buffer Shift { float shift[]; };
layout(std430, binding = 3) writeonly buffer Dst { TENSOR_T dst[]; };

void main() {
  const uint i = linear_invocation();
  if (i >= p.elements) return;
  // quotient() instead of integer division: lavapipe divides integers lane by lane.
  int at = 0;
  for (int r = 0; r < 3; ++r) {
    if (p.size[r] == 1) continue;
    const int q = quotient(int(i), p.divisor[r]);
    at += (q - quotient(q, p.size[r]) * p.size[r]) * p.stride[r];
  }
  dst[i] = TENSOR_T(float(src[i]) * scale[at] + shift[at]);
}
