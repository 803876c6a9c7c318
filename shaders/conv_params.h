// Push constants of the convolution shaders: conv.comp (every kind: 1D/2D/3D, grouped,
// depthwise, transposed), conv_dense.comp and conv_depthwise.comp. Spatial vectors are
// (x, y, z) = (W, H, D).
#ifndef CONVSCOPE_CONV_PARAMS_H
#define CONVSCOPE_CONV_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(ConvParams) {
  ivec4 in_size;   // (W, H, D, channels)
  ivec4 out_size;  // (W, H, D, channels) of what this dispatch computes
  ivec3 kernel;
  int groups;
  ivec3 stride;
  int in_per_group;  // input channels per group
  ivec3 dilation;
  int out_per_group;  // output channels per group
  ivec3 offset;  // padding before the input (conv), or the crop of the output (transposed)
  int channel_blocks;  // register blocks of output channels per group
  // conv_dense: the whole output a transposed convolution's stride phase writes into
  ivec3 real_out_size;
  int x_blocks;  // blocks (conv) or tiles (conv_dense, conv_depthwise) across an output row
  uint invocations;   // conv: the invocations that compute something
  uint pixel_groups;  // conv_dense, conv_depthwise: workgroups covering one output channel
  uint pad0, pad1;
} CS_PUSH_INSTANCE;
CS_END

#endif
