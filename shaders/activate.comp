#version 450
// v = activation(v) in place, for every element: the dense convolution's activation, as a
// pass of its own. lavapipe runs every case of activate()'s switch (exp, log, erf...) on each
// call, whatever the value, so one call per element here is far cheaper than the 64 calls a
// lane of conv_dense.comp would make inline.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "activation.glsl"
#include "activate_params.h"
#include "tensor_type.glsl"

layout(std430, binding = 0) buffer Data { TENSOR_T v[]; };

void main() {
  const uint i = linear_invocation();
  if (i >= p.elements) return;
  v[i] = TENSOR_T(activate(p.activation, float(v[i])));
}
