// Push constants of affine.comp: y = x * scale + shift, the parameters per element.
#ifndef CONVSCOPE_AFFINE_PARAMS_H
#define CONVSCOPE_AFFINE_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(AffineParams) {
  // Element i reads parameter sum over runs r of ((i / divisor[r]) % size[r]) * stride[r]
  // (layers/norm/norm_axes.h, IndexRuns); unused runs have size 1.
  ivec3 divisor;
  uint elements;
  ivec3 size;
  uint pad0;
  ivec3 stride;
  uint pad1;
} CS_PUSH_INSTANCE;
CS_END

#endif
