#version 450
// LearnableCrop forward: one output element per invocation.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "bilinear.glsl"
#include "crop_params.h"

layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer Boxes { vec4 boxes[]; };
layout(std430, binding = 2) writeonly buffer Output { float y[]; };

void main() {
  const uint id = linear_invocation();
  if (id >= p.invocations) return;
  const ivec4 I = p.in_size, O = p.out_size;
  const int j = int(id % uint(O.x));
  const int i = int((id / uint(O.x)) % uint(O.y));
  const int plane = int(id / uint(O.x * O.y));  // n * C + c
  const int n = plane / I.z;
  const vec2 s = sample_point(boxes[p.box_per_sample != 0u ? n : 0], i, j, O.yx);
  const ivec2 lo = ivec2(floor(s));
  const vec2 f = s - vec2(lo);
  float v = 0.0;
  for (int c = 0; c < 4; ++c) {
    const ivec2 q = lo + ivec2(c >> 1, c & 1);
    if (q.x < 0 || q.x >= I.y || q.y < 0 || q.y >= I.x) continue;
    const float w = ((c >> 1) == 1 ? f.x : 1.0 - f.x) * ((c & 1) == 1 ? f.y : 1.0 - f.y);
    v += w * x[(plane * I.y + q.x) * I.x + q.y];
  }
  y[id] = v;
}
