// Push constants of prelu.comp: PReLU with alpha broadcast over the axes it shares.
#ifndef CONVSCOPE_PRELU_PARAMS_H
#define CONVSCOPE_PRELU_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(PreluParams) {
  ivec4 size;          // (W, H, D, C) of the tensor
  ivec4 alpha_stride;  // alpha's element step along (W, H, D, C): 0 along the axes it is shared on
  uint elements;
  uint pad0, pad1, pad2;
} CS_PUSH_INSTANCE;
CS_END

#endif
