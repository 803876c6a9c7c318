// Push constants of global_pool.comp: the max or mean of each (sample, channel) plane.
#ifndef CONVSCOPE_GLOBAL_POOL_PARAMS_H
#define CONVSCOPE_GLOBAL_POOL_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(GlobalPoolParams) {
  uint plane_size;  // D x H x W
  uint planes;      // N x C
  uint pad0, pad1;
} CS_PUSH_INSTANCE;
CS_END

#endif
