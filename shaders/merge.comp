#version 450
// One step of a merge: out = op(a, b), with numpy broadcasting through zero strides. A merge
// of n inputs runs n - 1 steps, the later ones reading the output as `a` (each invocation
// reads its element before writing it, so the aliasing is safe).
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "merge_params.h"
#include "spec_ids.h"
#include "tensor_type.glsl"

// 0 add, 1 subtract, 2 multiply, 3 maximum, 4 minimum: a constant, so no switch per element.
layout(constant_id = MERGE_SPEC_OP) const int OP = 0;
// No broadcasting: element i of both operands is element i of the output, and the index
// maths (five integer divisions, which lavapipe splits lane by lane) goes. Invocation i then
// does elements 4i to 4i + 3 as one vec4; the last elements % 4 get an invocation each.
layout(constant_id = MERGE_SPEC_SAME) const bool SAME = false;

layout(std430, binding = 0) readonly buffer A { TENSOR_T a[]; };
layout(std430, binding = 1) readonly buffer B { TENSOR_T b[]; };
layout(std430, binding = 2) buffer Out { TENSOR_T dst[]; };
// The same three buffers seen as vec4s, for SAME: bound again at 3, 4, 5.
layout(std430, binding = 3) readonly buffer A4 { TENSOR4_T a4[]; };
layout(std430, binding = 4) readonly buffer B4 { TENSOR4_T b4[]; };
layout(std430, binding = 5) buffer Out4 { TENSOR4_T dst4[]; };

vec4 combine(vec4 x, vec4 y) {
  if (OP == 0) return x + y;
  if (OP == 1) return x - y;
  if (OP == 2) return x * y;
  if (OP == 3) return max(x, y);
  return min(x, y);
}

float combine(float x, float y) { return combine(vec4(x), vec4(y)).x; }

void main() {
  uint i = linear_invocation();
  if (SAME) {
    const uint quads = p.elements / 4u;
    if (i < quads) {
      dst4[i] = TENSOR4_T(combine(vec4(a4[i]), vec4(b4[i])) / p.divisor);
    } else {
      const uint e = quads * 4u + (i - quads);
      if (e < p.elements) dst[e] = TENSOR_T(combine(float(a[e]), float(b[e])) / p.divisor);
    }
    return;
  }
  if (i >= p.elements) return;
  const uint dims[5] = uint[5](p.dims.x, p.dims.y, p.dims.z, p.dims.w, p.dims4);
  const uint sa[5] = uint[5](p.a_strides.x, p.a_strides.y, p.a_strides.z, p.a_strides.w, p.a_stride4);
  const uint sb[5] = uint[5](p.b_strides.x, p.b_strides.y, p.b_strides.z, p.b_strides.w, p.b_stride4);
  const uint so[5] = uint[5](p.out_strides.x, p.out_strides.y, p.out_strides.z, p.out_strides.w, p.out_stride4);
  uint ia = 0u, ib = 0u, io = 0u;
  for (int k = 4; k >= 0; --k) {  // innermost axis last in Keras order
    const uint q = i / dims[k], r = i - q * dims[k];
    ia += r * sa[k];
    ib += r * sb[k];
    io += r * so[k];
    i = q;
  }
  dst[io] = TENSOR_T(combine(float(a[ia]), float(b[ib])) / p.divisor);
}
