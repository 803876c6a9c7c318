// Push constants of mse.comp: the mean squared difference and its gradient.
#ifndef CONVSCOPE_MSE_PARAMS_H
#define CONVSCOPE_MSE_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(MseParams) {
  int elements;
  uint groups;  // workgroups that write a partial loss
  uint pad0, pad1;
} CS_PUSH_INSTANCE;
CS_END

#endif
