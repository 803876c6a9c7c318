// Push constants of remap.comp: cropping, zero padding and upsampling as one index remap.
#ifndef CONVSCOPE_REMAP_PARAMS_H
#define CONVSCOPE_REMAP_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(RemapParams) {
  ivec4 src_size;  // (W, H, D, N*C) of the input
  ivec4 dst_size;  // (W, H, D, N*C) of the output
  // Nearest axes read input floor((o + offset) / factor), zero outside.
  ivec3 offset;
  // Axes whose bit is set (1 = x, 2 = y, 4 = z) interpolate instead, with half-pixel centres.
  int linear;
  ivec3 factor;  // whole upsampling factors, 1 for crop and pad
  uint elements;  // of the output
} CS_PUSH_INSTANCE;
CS_END

#endif
