#version 450
// Resizing and CenterCrop's resize: each output pixel samples a window of the input as
// tf.image.resize does with half-pixel centres and no antialiasing. Nearest reads window
// pixel min(floor((o + 0.5) * scale), n - 1); bilinear reads floor(s) and ceil(s) of
// s = (o + 0.5) * scale - 0.5, clamped to the window, and interpolates top-left to
// bottom-right in TensorFlow's order. Window pixels off the input read the fill value
// (Resizing's pad_to_aspect_ratio).
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "resize_params.h"
#include "tensor_type.glsl"

layout(std430, binding = 0) readonly buffer Src { TENSOR_T src[]; };
layout(std430, binding = 1) writeonly buffer Dst { TENSOR_T dst[]; };

float fetch(int plane, int wy, int wx) {
  const int y = wy + p.window.y, x = wx + p.window.x;
  if (y < 0 || y >= p.src_size.y || x < 0 || x >= p.src_size.x) return p.scale.z;
  return float(src[(plane * p.src_size.y + y) * p.src_size.x + x]);
}

// Window indices (lo, hi) and the weight of hi for output index o of an axis.
void taps(int o, float scale, int n, out int lo, out int hi, out float lerp) {
  if (p.bilinear == 0) {
    lo = hi = min(int(floor((float(o) + 0.5) * scale)), n - 1);
    lerp = 0.0;
    return;
  }
  const float s = (float(o) + 0.5) * scale - 0.5;
  const float f = floor(s);
  lo = max(int(f), 0);
  hi = min(int(ceil(s)), n - 1);
  lerp = s - f;
}

void main() {
  const uint i = linear_invocation();
  if (i >= p.elements) return;
  const int x = int(i % uint(p.dst_size.x));
  const int row = int(i / uint(p.dst_size.x));
  const int y = row % p.dst_size.y, plane = row / p.dst_size.y;
  int x0, x1, y0, y1;
  float lx, ly;
  taps(x, p.scale.x, p.window.z, x0, x1, lx);
  taps(y, p.scale.y, p.window.w, y0, y1, ly);
  float v;
  if (p.bilinear == 0) {
    v = fetch(plane, y0, x0);
  } else {
    const float top_left = fetch(plane, y0, x0), top_right = fetch(plane, y0, x1);
    const float bottom_left = fetch(plane, y1, x0), bottom_right = fetch(plane, y1, x1);
    const float top = top_left + (top_right - top_left) * lx;
    const float bottom = bottom_left + (bottom_right - bottom_left) * lx;
    v = top + (bottom - top) * ly;
  }
  dst[i] = TENSOR_T(v);
}
