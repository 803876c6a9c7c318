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

layout(std430, binding = 0) readonly buffer A { TENSOR_T a[]; };
layout(std430, binding = 1) readonly buffer B { TENSOR_T b[]; };
layout(std430, binding = 2) buffer Out { TENSOR_T dst[]; };

void main() {
  uint i = linear_invocation();
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
  const float x = float(a[ia]), y = float(b[ib]);
  float v;
  if (OP == 0) v = x + y;
  else if (OP == 1) v = x - y;
  else if (OP == 2) v = x * y;
  else if (OP == 3) v = max(x, y);
  else v = min(x, y);
  dst[io] = TENSOR_T(v / p.divisor);
}
