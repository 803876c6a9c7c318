// Push constants of the reduction and optimisation helpers: sum_rows, channel_mean, mse, adam.
#ifndef CONVSCOPE_REDUCE_PARAMS_H
#define CONVSCOPE_REDUCE_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(ReduceParams) {
  // sum_rows: (rows, width, segments, 0); channel_mean: (plane size, planes, 0, 0);
  // mse: (elements, 0, 0, 0); adam: (parameters, clamp first, clamp end, step)
  ivec4 shape;
  vec4 values;  // adam: (learning rate, beta1, beta2, epsilon)
  vec4 more;    // adam: (lower bound for clamped parameters, 0, 0, 0)
  uvec4 work;   // (invocations, 0, 0, 0)
} CS_PUSH_INSTANCE;
CS_END

#endif
