// Push constants of pool.comp: MaxPooling and AveragePooling windows in 1D, 2D and 3D.
#ifndef CONVSCOPE_POOL_PARAMS_H
#define CONVSCOPE_POOL_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(PoolParams) {
  ivec4 src_size;  // (W, H, D, N*C) of the input
  ivec4 dst_size;  // (W, H, D, N*C) of the output
  ivec3 pool;      // window size per axis (x, y, z)
  uint elements;   // of the output
  ivec3 strides;
  int pad0;
  // Padding before each axis ('same'): output o's window starts at input o * stride - offset.
  ivec3 offset;
  int pad1;
} CS_PUSH_INSTANCE;
CS_END

#endif
