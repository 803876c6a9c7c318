#version 450
// LayerNormalization: every group (the elements of one sample that share their coordinates
// off the normalised axes) gets its mean, then its variance as the mean squared deviation
// (two passes, as tf.nn.moments), then y = (x - mean) / sqrt(variance + epsilon) * gamma + beta
// per member. THREADS invocations share a group and reduce in shared memory: many of them for
// a big group (a whole 33x47x5 sample), one for a group of three channels, so no lanes idle.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "layer_norm_params.h"
#include "tensor_type.glsl"

layout(constant_id = NORM_SPEC_THREADS) const uint THREADS = 1;

layout(std430, binding = 0) readonly buffer Src { TENSOR_T src[]; };
layout(std430, binding = 1) readonly buffer Gamma { float gamma[]; };
layout(std430, binding = 2) readonly buffer Beta { float beta[]; };
layout(std430, binding = 3) writeonly buffer Dst { TENSOR_T dst[]; };

shared float partial[WORKGROUP_WIDTH];

int offset_of(int index, ivec3 divisor, ivec3 size, ivec3 stride) {
  int at = 0;
  for (int r = 0; r < 3; ++r) {
    if (size[r] == 1) continue;
    const int q = quotient(index, divisor[r]);
    at += (q - quotient(q, size[r]) * size[r]) * stride[r];
  }
  return at;
}

int member_offset(int j) { return offset_of(j, p.member_divisor, p.member_size, p.member_stride); }

// The sum of `v` over the THREADS invocations of this group. Every invocation of the
// workgroup calls it (the barriers need uniform control flow), live group or not.
float group_sum(float v, uint lane, uint first) {
  const uint me = gl_LocalInvocationID.x;
  partial[me] = v;
  barrier();
  for (uint s = THREADS / 2; s > 0; s /= 2) {
    if (lane < s) partial[me] += partial[me + s];
    barrier();
  }
  const float total = partial[first];
  barrier();  // before the next call overwrites it
  return total;
}

void main() {
  const uint lane = gl_LocalInvocationID.x % THREADS;
  const uint first = gl_LocalInvocationID.x - lane;
  const int g = int(linear_group() * (WORKGROUP_WIDTH / THREADS) + gl_LocalInvocationID.x / THREADS);
  const bool live = g < p.groups;
  const int base = live ? offset_of(g, p.group_divisor, p.group_size, p.group_stride) : 0;
  const int n = live ? p.members : 0;

  float s = 0.0;
  for (int j = int(lane); j < n; j += int(THREADS)) s += float(src[base + member_offset(j)]);
  const float mean = group_sum(s, lane, first) / float(p.members);

  float ss = 0.0;
  for (int j = int(lane); j < n; j += int(THREADS)) {
    const float d = float(src[base + member_offset(j)]) - mean;
    ss += d * d;
  }
  const float inv = inversesqrt(group_sum(ss, lane, first) / float(p.members) + p.epsilon);

  for (int j = int(lane); j < n; j += int(THREADS)) {
    const int at = base + member_offset(j);
    const float x = float(src[at]);
    const float y = p.rms_scaling != 0 ? x * inv * gamma[j] : (x - mean) * inv * gamma[j] + beta[j];
    dst[at] = TENSOR_T(y);
  }
}
