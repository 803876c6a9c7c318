// Push constants of adam.comp: one Adam step.
#ifndef CONVSCOPE_ADAM_PARAMS_H
#define CONVSCOPE_ADAM_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(AdamParams) {
  float learning_rate, beta1, beta2, epsilon;
  int parameters;
  int step;  // from 1, for the bias corrections
  // Parameters clamp_first .. clamp_end - 1 stay at least lower_bound.
  int clamp_first, clamp_end;
  float lower_bound;
  uint pad0, pad1, pad2;
} CS_PUSH_INSTANCE;
CS_END

#endif
