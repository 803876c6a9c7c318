#version 450
// y = x * scale[p] + shift[p] per element: BatchNormalization at inference, Rescaling and
// Normalization, whose parameters vary along some axes (channels, say) and broadcast over the
// rest. The host folds each layer's formula into one scale and shift per parameter position
// (in double), so every layer is this one multiply-add.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "affine_params.h"
#include "tensor_type.glsl"
#include "spec_ids.h"

layout(std430, binding = 0) readonly buffer Src { TENSOR_T src[]; };
layout(std430, binding = 1) readonly buffer Scale { float scale[]; };
layout(std430, binding = 2) readonly buffer Shift { float shift[]; };
layout(std430, binding = 3) writeonly buffer Dst { TENSOR_T dst[]; };
// The same source and destination seen as vec4s, for QUADS: bound again at 4 and 5.
layout(std430, binding = 4) readonly buffer Src4 { TENSOR4_T src4[]; };
layout(std430, binding = 5) writeonly buffer Dst4 { TENSOR4_T dst4[]; };

// Every run's divisor is a multiple of 4 (a per-channel parameter over maps of a size
// divisible by 4, the usual BatchNormalization): elements 4i to 4i + 3 share their parameter,
// so invocation i does them as one vec4 and the index maths runs once for four; the last
// elements % 4 get an invocation each.
layout(constant_id = AFFINE_SPEC_QUADS) const bool QUADS = false;

// The parameter position of element e. quotient() instead of integer division: lavapipe
// divides integers lane by lane.
int param_at(uint e) {
  int at = 0;
  for (int r = 0; r < 3; ++r) {
    if (p.size[r] == 1) continue;
    const int q = quotient(int(e), p.divisor[r]);
    at += (q - quotient(q, p.size[r]) * p.size[r]) * p.stride[r];
  }
  return at;
}

void main() {
  uint i = linear_invocation();
  if (QUADS) {
    const uint quads = p.elements / 4u;
    if (i < quads) {
      const int at = param_at(i * 4u);
      dst4[i] = TENSOR4_T(vec4(src4[i]) * scale[at] + shift[at]);
      return;
    }
    i = quads * 4u + (i - quads);
  }
  if (i >= p.elements) return;
  const int at = param_at(i);
  dst[i] = TENSOR_T(float(src[i]) * scale[at] + shift[at]);
}
