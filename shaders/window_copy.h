// Push constants of window_copy.comp: crop and zero-pad are one index remap.
#ifndef CONVSCOPE_WINDOW_COPY_H
#define CONVSCOPE_WINDOW_COPY_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(WindowCopyParams) {
  ivec4 src_size;  // (W, H, D, N*C) of the input
  ivec4 dst_size;  // (W, H, D, N*C) of the output
  ivec4 offset;    // (x, y, z, 0): output (x, y, z) reads input (x, y, z) + offset; negative pads
  uint total;      // output elements
  uint unused0, unused1, unused2;
} CS_PUSH_INSTANCE;
CS_END

#endif
