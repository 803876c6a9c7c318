// Push constants of activate.comp: one elementwise activation (the function itself is a
// specialization constant), its parameters, and the element count.
#ifndef CONVSCOPE_ACTIVATE_PARAMS_H
#define CONVSCOPE_ACTIVATE_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(ActivateParams) {
  float negative_slope;  // relu, leaky_relu
  float alpha;           // elu
  float max_value;       // relu, when has_max_value
  float threshold;       // relu
  int has_max_value;
  uint elements;
  uint pad0, pad1;
} CS_PUSH_INSTANCE;
CS_END

#endif
