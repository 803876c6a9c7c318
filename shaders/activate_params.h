// Push constants of activate.comp: an activation applied in place.
#ifndef CONVSCOPE_ACTIVATE_PARAMS_H
#define CONVSCOPE_ACTIVATE_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(ActivateParams) {
  int activation;  // numbered as activation.glsl
  uint elements;
  uint pad0, pad1;
} CS_PUSH_INSTANCE;
CS_END

#endif
