// Push constants of channel_mean.comp: the mean of each (sample, channel) plane.
#ifndef CONVSCOPE_CHANNEL_MEAN_PARAMS_H
#define CONVSCOPE_CHANNEL_MEAN_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(ChannelMeanParams) {
  int plane_size;  // H x W
  int planes;      // N x C
  uint pad0, pad1;
} CS_PUSH_INSTANCE;
CS_END

#endif
