#version 450
// PReLU: dst = src > 0 ? src : alpha * src, alpha indexed by the element's (x, y, z, c) times
// its strides (0 along shared axes, and along the batch). alpha stays float32 in either
// tensor type, as other weights do.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "prelu_params.h"
#include "tensor_type.glsl"

layout(std430, binding = 0) readonly buffer Src { TENSOR_T src[]; };
layout(std430, binding = 1) readonly buffer Alpha { float alpha[]; };
layout(std430, binding = 2) writeonly buffer Dst { TENSOR_T dst[]; };

void main() {
  const uint i = linear_invocation();
  if (i >= p.elements) return;
  int rest = int(i);
  int a = 0;
  for (int axis = 0; axis < 4; ++axis) {
    const int q = quotient(rest, p.size[axis]);
    a += (rest - q * p.size[axis]) * p.alpha_stride[axis];
    rest = q;
  }
  const float v = float(src[i]);
  dst[i] = TENSOR_T(v > 0.0 ? v : alpha[a] * v);
}
