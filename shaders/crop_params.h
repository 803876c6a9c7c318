// Push constants of the LearnableCrop shaders (crop_*.comp) and the fitting helpers.
#ifndef CONVSCOPE_CROP_PARAMS_H
#define CONVSCOPE_CROP_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
// crop_sample, crop_grad_input, crop_grad_box
CS_PUSH_CONSTANTS(CropParams) {
  ivec4 in_size;   // (W, H, C, N)
  ivec4 out_size;  // (OW, OH, C, N)
  // (box stride: 0 = one box shared by the batch, 4 = one per sample; chunks per sample for
  // crop_grad_box's reduction; 0, 0)
  ivec4 mode;
  uvec4 work;      // (invocations, 0, 0, 0)
} CS_PUSH_INSTANCE;
CS_END

#endif
