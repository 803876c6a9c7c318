// Push constants of conv.comp: every convolution kind (1D/2D/3D, grouped, depthwise,
// transposed) in one block. Spatial vectors are (x, y, z) = (W, H, D).
#ifndef CONVSCOPE_CONV_PARAMS_H
#define CONVSCOPE_CONV_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(ConvParams) {
  ivec4 in_size;   // (W, H, D, channels)
  ivec4 out_size;  // (W, H, D, channels)
  ivec4 kernel;    // (kx, ky, kz, groups)
  ivec4 stride;    // (sx, sy, sz, batch)
  ivec4 dilation;  // (dx, dy, dz, activation id, see activation.glsl)
  ivec4 offset;    // (x, y, z, conv_dense: the real output's D): padding before (conv) or output crop (transposed)
  ivec4 channels;  // (in per group, out per group, output-channel blocks per group, x blocks)
  uvec4 work;      // conv: (invocations, 0, 0, 0); conv_dense: (pixel groups, channel blocks, real W, real H)
} CS_PUSH_INSTANCE;
CS_END

#endif
