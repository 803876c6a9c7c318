// Push constants of softmax.comp: a tensor seen as rows (one per position of the axes kept)
// of members (the positions of the axes reduced), each axis set folded into at most three
// (count, stride) groups, innermost in .x. Unused groups have count 1.
#ifndef CONVSCOPE_SOFTMAX_PARAMS_H
#define CONVSCOPE_SOFTMAX_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(SoftmaxParams) {
  ivec4 row_count;  // the kept axes: where row r starts is r spelt in these counts, times the strides
  ivec4 row_stride;
  ivec4 member_count;  // the reduced axes
  ivec4 member_stride;
  uint rows;
  uint pad0, pad1, pad2;
} CS_PUSH_INSTANCE;
CS_END

#endif
