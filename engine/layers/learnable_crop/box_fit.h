#pragma once
// Fitting a LearnableCrop box by gradient descent, entirely on the GPU: the crop cut from an
// image with a target box is the goal; from an initial box, Adam steps on the box follow the
// mean squared difference. Coarse to fine: the image is first blurred strongly (a far box
// still overlaps the blurred target, so the loss has a slope towards it), then less, then not.
#include <array>
#include <functional>
#include <vector>

#include "core/tensor.h"
#include "vk/context.h"

namespace convscope {

using Box = std::array<double, 4>;  // (y0, x0, h, w) in input pixels

struct BoxFitOptions {
  Box target{}, init{};
  std::array<int64_t, 2> output_size{0, 0};  // 0: the target box's size
  int steps = 400;
  std::vector<double> sigmas{8, 4, 2, 1, 0};  // blur per stage, pixels; 0 = the image itself
};

struct BoxFitProgress {
  int step = 0;
  double sigma = 0;
  double loss = 0;
  Box box{};
};

struct BoxFitResult {
  Box box{};
  double loss = 0;  // on the unblurred image
  int steps = 0;
};

// `image` is one (N = 1) image. UserError for boxes without positive size. `progress` is
// called after every step.
BoxFitResult fit_box(vk::Context& ctx, const Tensor& image, const BoxFitOptions& options,
                     const std::function<void(const BoxFitProgress&)>& progress = {});

}  // namespace convscope
