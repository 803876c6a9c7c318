// Push constants of activate.comp: an activation applied in place.
#ifndef CONVSCOPE_ACTIVATE_PARAMS_H
#define CONVSCOPE_ACTIVATE_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(ActivateParams) {
  ivec4 op;    // (activation id as activation.glsl, 0, 0, 0)
  uvec4 work;  // (elements, 0, 0, 0)
} CS_PUSH_INSTANCE;
CS_END

#endif
