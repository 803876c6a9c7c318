#version 450
// Backward of crop_head.comp. From the box gradients of each sample it produces, one value
// per invocation: the kernel gradient (C x 4), the bias gradient (4), and the gradient each
// input plane receives through its mean (N x C, added uniformly to the plane by crop_grad_input).
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "head_params.h"

layout(std430, binding = 0) readonly buffer Means { float g[]; };
layout(std430, binding = 1) readonly buffer Kernel { float w[]; };
layout(std430, binding = 2) readonly buffer Squashed { vec4 squashed[]; };
layout(std430, binding = 3) readonly buffer BoxGrad { vec4 box_grad[]; };
layout(std430, binding = 4) writeonly buffer KernelGrad { float w_grad[]; };
layout(std430, binding = 5) writeonly buffer BiasGrad { float b_grad[]; };
layout(std430, binding = 6) writeonly buffer PlaneGrad { float plane_grad[]; };

// d loss / d z for sample n, through the box formulas of crop_head.comp.
vec4 dz(int n) {
  const vec4 s = squashed[n], gb = box_grad[n];  // gb = d loss / d (y0, x0, h, w)
  const float H = float(p.size.y), W = float(p.size.x);
  const float h = p.min_height + (H - p.min_height) * s.z;
  const float wd = p.min_width + (W - p.min_width) * s.w;
  const vec4 ds = vec4(gb.x * (H - h), gb.y * (W - wd), (gb.z - gb.x * s.x) * (H - p.min_height),
                       (gb.w - gb.y * s.y) * (W - p.min_width));
  return ds * s * (vec4(1.0) - s);
}

void main() {
  const uint id = linear_invocation();
  if (id >= p.invocations) return;
  const int C = p.size.z, N = p.size.w;
  const int i = int(id);
  if (i < C * 4) {
    const int c = i / 4, k = i % 4;
    float sum = 0.0;
    for (int n = 0; n < N; ++n) sum += g[n * C + c] * dz(n)[k];
    w_grad[i] = sum;
  } else if (i < C * 4 + 4) {
    float sum = 0.0;
    for (int n = 0; n < N; ++n) sum += dz(n)[i - C * 4];
    b_grad[i - C * 4] = sum;
  } else {
    const int plane = i - C * 4 - 4, n = plane / C, c = plane % C;
    const vec4 d = dz(n);
    plane_grad[plane] = dot(d, vec4(w[c * 4], w[c * 4 + 1], w[c * 4 + 2], w[c * 4 + 3])) / float(p.size.x * p.size.y);
  }
}
