// Push constants of merge.comp: out = op(a, b) / divisor over the output's Keras axes (at
// most 5, batch first), each operand read through its own strides (0 where it broadcasts).
#ifndef CONVSCOPE_MERGE_PARAMS_H
#define CONVSCOPE_MERGE_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(MergeParams) {
  // Axes 0-3 in the vector, axis 4 in the uint after; axes past the rank have size 1.
  uvec4 dims;
  uvec4 a_strides;
  uvec4 b_strides;
  uvec4 out_strides;
  uint dims4, a_stride4, b_stride4, out_stride4;
  uint elements;
  float divisor;  // Average's input count on its last pass, else 1
  uint pad0, pad1;
} CS_PUSH_INSTANCE;
CS_END

#endif
