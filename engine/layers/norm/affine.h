#pragma once
// The per-element multiply-add that BatchNormalization (at inference), Rescaling and
// Normalization reduce to: y = x * scale + shift, scale and shift varying along some
// canonical axes (shaders/affine.comp). Each layer folds its own formula into the two.
#include <functional>
#include <string>

#include "core/tensor.h"
#include "layers/norm/norm_axes.h"
#include "vk/device_tensor.h"
#include "vk/sequence.h"

namespace convscope {

// `scale` and `shift` must have the same dims, each 1 or the tensor's size.
void record_affine(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output,
                   const CanonicalParam& scale, const CanonicalParam& shift, const std::string& label);

// The CPU side: out = f(x, coordinates) for every element, in double; the output keeps the
// input's shape and format.
Tensor map_elements(const Tensor& input, const std::function<double(double, const CanonicalDims&)>& f);

}  // namespace convscope
