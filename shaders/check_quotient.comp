#version 450
// Not a layer: lets tests compare common.glsl's quotient() with integer division on the
// device, at dividends up to 2^31 - 1 that no test tensor could reach.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "check_quotient_params.h"

layout(std430, binding = 0) readonly buffer Pairs { ivec2 pairs[]; };  // (a, b)
layout(std430, binding = 1) writeonly buffer Quotients { int quotients[]; };

void main() {
  const uint i = linear_invocation();
  if (i >= p.count) return;
  quotients[i] = quotient(pairs[i].x, pairs[i].y);
}
