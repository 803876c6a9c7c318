#version 450
// LearnableCrop backward, with respect to the box: each workgroup sums the contributions of
// a chunk of one sample's outputs, d out / d (y0, x0, h, w) times the upstream gradient, into
// partials[sample][chunk]; sum_rows.comp adds the chunks up.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "bilinear.glsl"
#include "crop_params.h"

layout(constant_id = CROP_SPEC_PER_INVOCATION) const int PER_INVOCATION = 16;

layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer Boxes { vec4 boxes[]; };
layout(std430, binding = 2) readonly buffer GradOut { float gy[]; };
layout(std430, binding = 3) writeonly buffer Partials { vec4 partials[]; };

shared vec4 sums[WORKGROUP_WIDTH];

float at(int plane, ivec2 q, ivec4 I) {
  return q.x < 0 || q.x >= I.y || q.y < 0 || q.y >= I.x ? 0.0 : x[(plane * I.y + q.x) * I.x + q.y];
}

void main() {
  const int group = int(linear_group());
  const int chunks = p.chunks;
  const ivec4 I = p.in_size, O = p.out_size;
  const int n = group / chunks, chunk = group % chunks;
  const int per_sample = I.z * O.y * O.x;
  vec4 acc = vec4(0.0);
  if (n < I.w) {
    const vec4 box = boxes[p.box_per_sample != 0u ? n : 0];
    const int begin = chunk * int(WORKGROUP_WIDTH) * PER_INVOCATION;
    for (int k = 0; k < PER_INVOCATION; ++k) {
      const int e = begin + k * int(WORKGROUP_WIDTH) + int(gl_LocalInvocationID.x);
      if (e >= per_sample) break;
      const int j = e % O.x, i = (e / O.x) % O.y, c = e / (O.x * O.y);
      const int plane = n * I.z + c;
      const vec2 s = sample_point(box, i, j, O.yx);
      const ivec2 lo = ivec2(floor(s));
      const vec2 f = s - vec2(lo);
      const float v00 = at(plane, lo, I), v01 = at(plane, lo + ivec2(0, 1), I);
      const float v10 = at(plane, lo + ivec2(1, 0), I), v11 = at(plane, lo + ivec2(1, 1), I);
      // Derivatives of the bilinear value along the sample's y and x.
      const float dy = (1.0 - f.y) * (v10 - v00) + f.y * (v11 - v01);
      const float dx = (1.0 - f.x) * (v01 - v00) + f.x * (v11 - v10);
      const float g = gy[(plane * O.y + i) * O.x + j];
      acc += g * vec4(dy, dx, dy * (float(i) + 0.5) / float(O.y), dx * (float(j) + 0.5) / float(O.x));
    }
  }
  sums[gl_LocalInvocationID.x] = acc;
  barrier();
  for (uint stride = WORKGROUP_WIDTH / 2; stride > 0; stride /= 2) {
    if (gl_LocalInvocationID.x < stride) sums[gl_LocalInvocationID.x] += sums[gl_LocalInvocationID.x + stride];
    barrier();
  }
  if (gl_LocalInvocationID.x == 0 && n < I.w) partials[group] = sums[0];
}
