// Push constants of crop_head.comp and crop_head_backward.comp: the box predicted from the
// features' global average by a linear head and a sigmoid.
#ifndef CONVSCOPE_HEAD_PARAMS_H
#define CONVSCOPE_HEAD_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(HeadParams) {
  ivec4 size;  // (W, H, C, N) of the input
  float min_height, min_width;  // of the box, in pixels
  uint invocations;
  uint pad0;
} CS_PUSH_INSTANCE;
CS_END

#endif
