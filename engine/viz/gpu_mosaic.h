#pragma once
// feature_mosaic (viz/mosaic.h) drawn on the GPU from a tensor that is already there, so a
// front end can show every layer's maps without reading them back. Pixel for pixel the same
// picture as feature_mosaic with RangeMode::Layer.
#include <cstdint>
#include <utility>

#include "core/tensor.h"
#include "viz/colormap.h"
#include "viz/mosaic.h"
#include "vk/sequence.h"

namespace convscope {

enum class RangeMode {
  Layer,    // the finite min/max of all shown values, as feature_mosaic (mosaic_range)
  Channel,  // each channel's own finite min/max, so faint channels show their structure
  Fixed,    // the range given, used as it is (also for Diverging)
};

// Records into `seq` the colour ranges of batch item `batch` of `tensor` (canonical layout,
// `shape`) into a small scratch buffer, then the mosaic into `rgba`: layout.width x
// layout.height pixels, row-major, one uint32 each with R in the low byte and A = 255.
// Computed ranges are made symmetric about 0 for Diverging; constant data is drawn in the
// middle colour; gaps and unused cells are kMosaicGapColour. Rank 2 tiles show H x W, rank 3
// the middle depth slice; rank 1 plots are drawn by feature_mosaic on the CPU only.
// Throws UserError for a 1D shape, an empty tensor, a batch index out of range, a fixed range
// that is not finite or has lo > hi, a tensor too large to index in 32 bits, or a picture too
// large (mosaic_layout); Error when `tensor` or `rgba` is smaller than it must be.
MosaicLayout record_gpu_mosaic(vk::Sequence& seq, const vk::Buffer& tensor, const Shape& shape, int64_t batch,
                               Colormap cmap, RangeMode mode, std::pair<float, float> fixed_range,
                               const vk::Buffer& rgba, const MosaicOptions& opts = {});

// The size `rgba` must have for record_gpu_mosaic; throws as it does for the shape.
VkDeviceSize gpu_mosaic_bytes(const Shape& shape, const MosaicOptions& opts = {});

}  // namespace convscope
