#version 450
// Softmax or log_softmax over any set of axes: one invocation per row (a position of the
// axes kept), which reads its members three times: the max, then the sum of exp(x - max)
// (compensated: a row may hold a whole image), then the outputs. In place when src and dst
// are one buffer (a convolution's output): a member is read before it is written, and no
// two rows share a member.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "softmax_params.h"
#include "tensor_type.glsl"

layout(constant_id = SOFTMAX_SPEC_LOG) const bool LOG_SOFTMAX = false;

layout(std430, binding = 0) buffer Src { TENSOR_T src[]; };
layout(std430, binding = 1) buffer Dst { TENSOR_T dst[]; };

// Runs `body` with `at` set to each member's index, in memory order.
#define FOR_EACH_MEMBER(body)                                                      \
  for (int k = 0; k < p.member_count.z; ++k)                                       \
    for (int j = 0; j < p.member_count.y; ++j)                                     \
      for (int i = 0; i < p.member_count.x; ++i) {                                 \
        const uint at = start + uint(k * p.member_stride.z + j * p.member_stride.y + i * p.member_stride.x); \
        body                                                                       \
      }

void main() {
  const uint row = linear_invocation();
  if (row >= p.rows) return;
  uint start = 0;
  int rest = int(row);
  for (int g = 0; g < 3; ++g) {
    const int q = quotient(rest, p.row_count[g]);
    start += uint((rest - q * p.row_count[g]) * p.row_stride[g]);
    rest = q;
  }

  float top = -3.402823466e38;
  FOR_EACH_MEMBER(top = max(top, float(src[at]));)

  precise float sum = 0.0, lost = 0.0;  // Kahan: lost holds what the last addition rounded away
  FOR_EACH_MEMBER(
    precise float term = exp(float(src[at]) - top) - lost;
    precise float next = sum + term;
    lost = (next - sum) - term;
    sum = next;
  )

  if (LOG_SOFTMAX) {
    // (x - max) - log(sum), in that order: x - (max + log(sum)) would round at the scale of x.
    const float log_sum = log(sum);
    FOR_EACH_MEMBER(precise float shifted = float(src[at]) - top; dst[at] = TENSOR_T(shifted - log_sum);)
  } else {
    const float scale = 1.0 / sum;
    FOR_EACH_MEMBER(dst[at] = TENSOR_T(exp(float(src[at]) - top) * scale);)
  }
}
