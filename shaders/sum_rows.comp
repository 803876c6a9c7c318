#version 450
// out[segment][column] = sum over rows of in[segment][row][column]: the last step of the
// chunked reductions (box gradients, losses). Rows are few, so one invocation loops them.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "sum_rows_params.h"

layout(std430, binding = 0) readonly buffer In { float src[]; };
layout(std430, binding = 1) writeonly buffer Out { float dst[]; };

void main() {
  const uint id = linear_invocation();
  if (id >= p.invocations) return;
  const int rows = p.rows, width = p.width;
  const int segment = int(id) / width, column = int(id) % width;
  float sum = 0.0;
  for (int r = 0; r < rows; ++r) sum += src[(segment * rows + r) * width + column];
  dst[id] = sum;
}
