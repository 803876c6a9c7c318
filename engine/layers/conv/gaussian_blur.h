#pragma once
// Gaussian smoothing of every channel, as two depthwise convolution passes on the GPU
// (the conv core with a (k, 1) and a (1, k) kernel, 'same' zero padding).
#include <string>

#include "core/tensor.h"
#include "vk/sequence.h"

namespace convscope {

// sigma in pixels, > 0; the kernel reaches 3 sigma either side.
void record_gaussian_blur(vk::Sequence& seq, const vk::Buffer& input, const Shape& shape, const vk::Buffer& output,
                          double sigma, const std::string& label);

}  // namespace convscope
