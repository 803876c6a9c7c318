#version 450
// LearnableCrop backward, with respect to the input: one input element per invocation
// gathers the outputs whose sample point lies within a pixel of it (weight 1 - |distance|
// per axis), so no atomics are needed. `extra` adds a per-(sample, channel) term: the
// gradient that reaches the input through the predicted box's global average.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "bilinear.glsl"
#include "crop_params.h"

layout(std430, binding = 0) readonly buffer GradOut { float gy[]; };
layout(std430, binding = 1) readonly buffer Boxes { vec4 boxes[]; };
layout(std430, binding = 2) readonly buffer Extra { float extra[]; };
layout(std430, binding = 3) writeonly buffer GradIn { float gx[]; };

// The outputs k in [0, count) whose sample coordinate start + k * step lies within 1 of `at`.
ivec2 reach(float at, float start, float step, int count) {
  const int first = max(int(floor((at - 1.0 - start) / step)), 0);
  const int last = min(int(ceil((at + 1.0 - start) / step)), count - 1);
  return ivec2(first, last);
}

void main() {
  const uint id = linear_invocation();
  if (id >= p.invocations) return;
  const ivec4 I = p.in_size, O = p.out_size;
  const int xx = int(id % uint(I.x));
  const int yy = int((id / uint(I.x)) % uint(I.y));
  const int plane = int(id / uint(I.x * I.y));
  const int n = plane / I.z;
  const vec4 box = boxes[p.box_per_sample != 0u ? n : 0];
  const vec2 step = vec2(box.z / float(O.y), box.w / float(O.x));
  const vec2 start = sample_point(box, 0, 0, O.yx);
  float sum = extra[plane];
  if (step.x > 0.0 && step.y > 0.0) {
    const ivec2 rows = reach(float(yy), start.x, step.x, O.y);
    const ivec2 cols = reach(float(xx), start.y, step.y, O.x);
    for (int i = rows.x; i <= rows.y; ++i) {
      const float wy = max(1.0 - abs(start.x + float(i) * step.x - float(yy)), 0.0);
      if (wy == 0.0) continue;
      for (int j = cols.x; j <= cols.y; ++j) {
        const float wx = max(1.0 - abs(start.y + float(j) * step.y - float(xx)), 0.0);
        sum += wy * wx * gy[(plane * O.y + i) * O.x + j];
      }
    }
  }
  gx[id] = sum;
}
