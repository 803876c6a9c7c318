#pragma once
// Cropping, zero padding and upsampling are one mechanism: an index remap per spatial axis
// (shaders/remap.comp). Layers describe their axes; this records the dispatch.
#include <array>
#include <string>

#include "vk/device_tensor.h"
#include "vk/sequence.h"

namespace convscope {

struct RemapAxis {
  int64_t offset = 0;   // nearest: input = floor((o + offset) / factor); negative offsets pad
  int64_t factor = 1;   // whole upsampling factor
  bool linear = false;  // half-pixel linear interpolation instead of nearest
};

// `axes` in Keras order (D, H, W for 3D; `spatial_rank` of them).
void record_remap(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output,
                  const std::array<RemapAxis, 3>& axes, int spatial_rank, const std::string& label);

}  // namespace convscope
