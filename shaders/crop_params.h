// Push constants of the LearnableCrop shaders (crop_*.comp) and the fitting helpers.
#ifndef CONVSCOPE_CROP_PARAMS_H
#define CONVSCOPE_CROP_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
// crop_sample, crop_grad_input, crop_grad_box
CS_PUSH_CONSTANTS(CropParams) {
  ivec4 in_size;   // (W, H, C, N)
  ivec4 out_size;  // (OW, OH, C, N)
  uint box_per_sample;  // 1: sample n uses box n; 0: the batch shares box 0
  int chunks;           // crop_grad_box: workgroups per sample, each summing a chunk of its outputs
  uint invocations;     // crop_sample, crop_grad_input
  uint pad0;
} CS_PUSH_INSTANCE;
CS_END

#endif
