// Push constants of layer_norm.comp: each group of elements normalised by its own mean and
// variance, then scaled and shifted per member.
#ifndef CONVSCOPE_LAYER_NORM_PARAMS_H
#define CONVSCOPE_LAYER_NORM_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(LayerNormParams) {
  // Group g starts at offset sum over runs r of ((g / group_divisor[r]) % group_size[r]) *
  // group_stride[r]; member j of a group sits the same way further on, through the member
  // runs (layers/norm/norm_axes.h, IndexRuns). Unused runs have size 1.
  ivec3 group_divisor;
  int groups;
  ivec3 group_size;
  int members;
  ivec3 group_stride;
  float epsilon;
  ivec3 member_divisor;
  int rms_scaling;  // 1: x * gamma / sqrt(variance + epsilon), no mean subtracted, no beta (Keras 3)
  ivec3 member_size;
  uint pad0;
  ivec3 member_stride;
  uint pad1;
} CS_PUSH_INSTANCE;
CS_END

#endif
