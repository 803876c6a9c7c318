#pragma once
// What a layer tells a front end about itself, so the app draws and offers the right things
// without knowing layer classes: which weight array is a kernel to draw and how its channel
// axes pair up, and whether it has a box that can be fitted.
#include <cstddef>
#include <optional>

namespace convscope {

// How a kernel array (taps first, then two channel axes a and b) connects channels.
enum class KernelLayout {
  Dense,       // (k..., in per group, filters): output j reads every input of its group
  Transposed,  // (k..., filters, in): the transpose of Dense
  Depthwise,   // (k..., in, depth_multiplier): output c*dm + m reads input c alone
};

struct LayerHints {
  // weights()[kernel_array] is a kernel to draw and to fill with presets (identity, Sobel...).
  std::optional<size_t> kernel_array;
  KernelLayout kernel_layout = KernelLayout::Dense;
  // weights()[pointwise_array] is a 1x1 kernel mixing channels after the kernel (separable).
  std::optional<size_t> pointwise_array;
  bool transposed = false;
  bool depthwise = false;
  // weights()[0] is a box (y0, x0, h, w) that LearnableCrop's fit can move.
  bool fittable_box = false;
};

}  // namespace convscope
