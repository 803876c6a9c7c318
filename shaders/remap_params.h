// Push constants of remap.comp: cropping, zero padding and upsampling as one index remap.
#ifndef CONVSCOPE_REMAP_PARAMS_H
#define CONVSCOPE_REMAP_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(RemapParams) {
  ivec4 src_size;  // (W, H, D, N*C) of the input
  ivec4 dst_size;  // (W, H, D, N*C) of the output
  // (x, y, z, linear): nearest axes read input floor((o + offset) / factor), zero outside;
  // axes whose bit is set in `linear` (1 = x, 2 = y, 4 = z) interpolate with half-pixel centres.
  ivec4 offset;
  ivec4 factor;  // (x, y, z, 0), whole upsampling factors, 1 for crop and pad
  uvec4 work;    // (output elements, 0, 0, 0)
} CS_PUSH_INSTANCE;
CS_END

#endif
