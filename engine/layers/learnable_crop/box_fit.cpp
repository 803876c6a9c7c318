#include "layers/learnable_crop/box_fit.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "layers/learnable_crop/crop_dispatch.h"
#include "vk/device_tensor.h"
#include "layers/conv/gaussian_blur.h"

namespace convscope {

namespace {

void check_box(const Box& b, const char* what) {
  if (!(b[2] > 0) || !(b[3] > 0))
    throw UserError(fmt::format("fit-crop: {}: ({}, {}, {}, {}) needs a positive height and width", what, b[0], b[1],
                                b[2], b[3]));
}

std::vector<float> to_floats(const Box& b) {
  return {static_cast<float>(b[0]), static_cast<float>(b[1]), static_cast<float>(b[2]), static_cast<float>(b[3])};
}

}  // namespace

BoxFitResult fit_box(vk::Context& ctx, const Tensor& image, const BoxFitOptions& o,
                     const std::function<void(const BoxFitProgress&)>& progress) {
  require_fp32_tensors(ctx, "fit-crop");
  check_box(o.target, "target box");
  check_box(o.init, "initial box");
  if (image.shape.n != 1) throw UserError("fit-crop: expects one image");
  if (o.steps < 1) throw UserError("fit-crop: --steps must be 1 or more");
  const int64_t out_h = o.output_size[0] > 0 ? o.output_size[0] : std::max<int64_t>(1, std::llround(o.target[2]));
  const int64_t out_w = o.output_size[1] > 0 ? o.output_size[1] : std::max<int64_t>(1, std::llround(o.target[3]));
  const Shape& shape = image.shape;
  const uint64_t count = static_cast<uint64_t>(shape.c * out_h * out_w);

  const DeviceTensor img = to_device(ctx, image, "fit-crop image");
  const vk::Buffer blurred(ctx, shape.size() * sizeof(float), vk::MemoryUse::Device);
  auto buffer = [&](uint64_t floats) { return vk::Buffer(ctx, floats * sizeof(float), vk::MemoryUse::Device); };
  const vk::Buffer target = buffer(count), prediction = buffer(count), grad = buffer(count);
  vk::Buffer box = buffer(4), box_grad = buffer(4), m = buffer(4), v = buffer(4), loss = buffer(1);
  vk::Buffer target_box = buffer(4);
  vk::upload(ctx, box, to_floats(o.init));
  vk::upload(ctx, target_box, to_floats(o.target));

  const std::vector<double> sigmas = o.sigmas.empty() ? std::vector<double>{0} : o.sigmas;
  const int stages = static_cast<int>(sigmas.size());
  BoxFitResult result;
  for (int stage = 0; stage < stages; ++stage) {
    const double sigma = sigmas[static_cast<size_t>(stage)];
    const vk::Buffer& source = sigma > 0 ? blurred : img.buffer;
    {
      vk::Sequence seq(ctx);
      if (sigma > 0) record_gaussian_blur(seq, img.buffer, shape, blurred, sigma, "blur");
      crop_gpu::sample(seq, source, shape, {&target_box, false}, target, out_h, out_w, "target patch");
      seq.submit();
    }
    // A fresh optimiser per stage: the smoothed landscape changes under it.
    vk::upload(ctx, m, std::vector<float>(4, 0.0f));
    vk::upload(ctx, v, std::vector<float>(4, 0.0f));
    const int stage_steps = o.steps / stages + (stage < o.steps % stages ? 1 : 0);
    for (int t = 1; t <= stage_steps; ++t) {
      // Step sizes follow the smoothing scale, and shrink within the stage to settle.
      crop_gpu::AdamSettings adam;
      const double scale = std::max(sigma, 1.0) * 0.5;
      adam.learning_rate = static_cast<float>(scale * (1.0 - 0.8 * (t - 1) / std::max(stage_steps - 1, 1)));
      adam.clamp_begin = 2, adam.clamp_end = 4, adam.lower = 1.0f;  // h, w stay at least one pixel
      vk::Sequence seq(ctx);
      crop_gpu::sample(seq, source, shape, {&box, false}, prediction, out_h, out_w, "crop");
      crop_gpu::mse(seq, prediction, target, count, grad, loss, "loss");
      crop_gpu::box_gradient(seq, source, shape, {&box, false}, grad, out_h, out_w, box_grad, "box gradient");
      crop_gpu::adam(seq, box, box_grad, m, v, 4, t, adam, "adam");
      seq.submit();
      ++result.steps;
      if (progress) {
        const auto b = vk::download(ctx, box, 4);
        progress({result.steps, sigma, vk::download(ctx, loss, 1)[0], {b[0], b[1], b[2], b[3]}});
      }
    }
  }
  // The loss of the final box on the unblurred image.
  {
    vk::Sequence seq(ctx);
    crop_gpu::sample(seq, img.buffer, shape, {&target_box, false}, target, out_h, out_w, "target patch");
    crop_gpu::sample(seq, img.buffer, shape, {&box, false}, prediction, out_h, out_w, "crop");
    crop_gpu::mse(seq, prediction, target, count, grad, loss, "loss");
    seq.submit();
  }
  const auto b = vk::download(ctx, box, 4);
  result.box = {b[0], b[1], b[2], b[3]};
  result.loss = vk::download(ctx, loss, 1)[0];
  return result;
}

}  // namespace convscope
