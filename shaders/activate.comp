#version 450
// dst = activation(src) for every element: the activation layers, and the activation of a
// convolution as a pass of its own (in place: src and dst the same buffer). One pipeline per
// function, chosen by a specialization constant, so each holds only its own maths.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "activation.glsl"
#include "activate_params.h"
#include "tensor_type.glsl"

layout(constant_id = ACT_SPEC_FUNCTION) const int FUNCTION = ACT_LINEAR;

// No readonly / writeonly: both may be bound to one buffer, and each invocation reads its
// element before writing it.
layout(std430, binding = 0) buffer Src { TENSOR_T src[]; };
layout(std430, binding = 1) buffer Dst { TENSOR_T dst[]; };

void main() {
  const uint i = linear_invocation();
  if (i >= p.elements) return;
  dst[i] = TENSOR_T(activate(FUNCTION, float(src[i]), p.negative_slope, p.alpha, p.has_max_value != 0, p.max_value,
                             p.threshold));
}
