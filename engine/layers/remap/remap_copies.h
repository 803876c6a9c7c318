#pragma once
// Cropping and zero padding move whole rows unchanged, so they can run on the transfer path:
// one buffer copy region per output row run, one fill per gap of zeros between them. Every
// driver runs copies at memory speed; a compute shader on lavapipe moves one element per lane
// with a bounds-checked load and store, an order of magnitude slower.
#include <vulkan/vulkan.h>

#include <array>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "vk/device_tensor.h"
#include "vk/sequence.h"

namespace convscope {

struct RowCopies {
  std::vector<VkBufferCopy> copies;                     // byte offsets, in output order
  std::vector<std::pair<VkDeviceSize, VkDeviceSize>> zeros;  // (offset, size) in bytes
};

// The copies and fills that turn `in` into `out` when output element o reads input o + offset
// per canonical axis (x, y, z), zero outside, for elements of `element_bytes`. Adjacent runs
// merge, so an uncropped axis costs nothing.
// Records plan_row_copies for `input` -> `output` on the transfer path, timed under `label`.
void record_row_copies(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output,
                       const std::array<int64_t, 3>& offset, const std::string& label);

RowCopies plan_row_copies(const Shape& in, const Shape& out, const std::array<int64_t, 3>& offset,
                          VkDeviceSize element_bytes = sizeof(float));

}  // namespace convscope
