#version 450
// Cropping and ZeroPadding in 1D, 2D and 3D: every output element reads the input at its
// own position plus a signed offset, or is zero where that falls outside the input.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "window_copy.h"

layout(std430, binding = 0) readonly buffer Src { float src[]; };
layout(std430, binding = 1) writeonly buffer Dst { float dst[]; };

void main() {
  const uint i = linear_invocation();
  if (i >= p.total) return;
  const ivec4 o = p.dst_size;
  const int x = int(i % uint(o.x));
  const int y = int((i / uint(o.x)) % uint(o.y));
  const int z = int((i / uint(o.x * o.y)) % uint(o.z));
  const int plane = int(i / uint(o.x * o.y * o.z));
  const ivec3 s = ivec3(x, y, z) + p.offset.xyz;
  const bool inside = all(greaterThanEqual(s, ivec3(0))) && all(lessThan(s, p.src_size.xyz));
  float v = 0.0;
  if (inside) v = src[((plane * p.src_size.z + s.z) * p.src_size.y + s.y) * p.src_size.x + s.x];
  dst[i] = v;
}
