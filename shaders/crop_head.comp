#version 450
// LearnableCrop's predicted box, one sample per invocation: z = mean-features . W + b,
// s = sigmoid(z); h = mh + (H - mh) s2, w = mw + (W - mw) s3, y0 = (H - h) s0, x0 = (W - w) s1,
// so the box always lies inside the image and is at least the minimum size.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "head_params.h"

layout(std430, binding = 0) readonly buffer Means { float g[]; };
layout(std430, binding = 1) readonly buffer Kernel { float w[]; };
layout(std430, binding = 2) readonly buffer Bias { vec4 b; };
layout(std430, binding = 3) writeonly buffer Boxes { vec4 boxes[]; };
layout(std430, binding = 4) writeonly buffer Squashed { vec4 squashed[]; };

void main() {
  const uint n = linear_invocation();
  if (n >= p.invocations) return;
  const int C = p.size.z;
  vec4 z = b;
  for (int c = 0; c < C; ++c) z += g[int(n) * C + c] * vec4(w[c * 4], w[c * 4 + 1], w[c * 4 + 2], w[c * 4 + 3]);
  const vec4 s = 1.0 / (1.0 + exp(-z));
  const float H = float(p.size.y), W = float(p.size.x);
  const float h = p.min_height + (H - p.min_height) * s.z;
  const float wd = p.min_width + (W - p.min_width) * s.w;
  boxes[n] = vec4((H - h) * s.x, (W - wd) * s.y, h, wd);
  squashed[n] = s;
}
