// LearnableCrop on the GPU: the boxes (a weight, or the head's prediction), the forward
// sampling, and the backward pass to the input, the box and the head's weights.
#include <fmt/format.h>

#include "layers/learnable_crop/crop_dispatch.h"
#include "channel_mean_params.h"
#include "embedded_shaders.h"
#include "head_params.h"
#include "layers/learnable_crop/learnable_crop.h"

namespace convscope {

static_assert(sizeof(gpu::HeadParams) == shaders::crop_head_push_bytes);
static_assert(sizeof(gpu::HeadParams) == shaders::crop_head_backward_push_bytes);
static_assert(sizeof(gpu::ChannelMeanParams) == shaders::channel_mean_push_bytes);

namespace {

constexpr uint32_t kWorkgroup = 64;

int32_t i32(int64_t v) { return static_cast<int32_t>(v); }

gpu::HeadParams head_params(const Shape& in, double min_h, double min_w, uint64_t invocations) {
  gpu::HeadParams p{};
  p.size = {i32(in.w), i32(in.h), i32(in.c), i32(in.n)};
  p.min_height = static_cast<float>(min_h);
  p.min_width = static_cast<float>(min_w);
  p.invocations = static_cast<uint32_t>(invocations);
  return p;
}

}  // namespace

struct LearnableCropLayer::DeviceBoxes {
  const vk::Buffer* boxes = nullptr;
  bool per_sample = false;
  // Predicted mode only: what the head's backward pass needs again.
  const vk::Buffer* means = nullptr;
  const vk::Buffer* squashed = nullptr;
  const vk::Buffer* kernel = nullptr;
};

LearnableCropLayer::DeviceBoxes LearnableCropLayer::record_boxes(vk::Sequence& seq, const DeviceTensor& input) const {
  const Shape& s = input.shape;
  DeviceBoxes d;
  if (source_ == BoxSource::Weight) {
    const auto box = weight_box();
    const std::vector<float> value{static_cast<float>(box[0]), static_cast<float>(box[1]), static_cast<float>(box[2]),
                                   static_cast<float>(box[3])};
    d.boxes = &seq.constant(value);
    return d;
  }
  require_weights();
  d.per_sample = true;
  d.means = &seq.scratch(static_cast<VkDeviceSize>(s.n * s.c) * sizeof(float));
  gpu::ChannelMeanParams mean{};
  mean.plane_size = i32(s.h * s.w);
  mean.planes = i32(s.n * s.c);
  seq.dispatch(seq.context().pipeline(shaders::channel_mean, vk::workgroup_width(kWorkgroup)),
               {&input.buffer, d.means}, mean, static_cast<uint64_t>(s.n * s.c), label() + " (feature means)");
  d.kernel = &seq.constant(weights()[0].data);
  const vk::Buffer& bias = seq.constant(weights()[1].data);
  d.boxes = &seq.scratch(static_cast<VkDeviceSize>(s.n) * 4 * sizeof(float));
  d.squashed = &seq.scratch(static_cast<VkDeviceSize>(s.n) * 4 * sizeof(float));
  seq.dispatch_elements(seq.context().pipeline(shaders::crop_head, vk::workgroup_width(kWorkgroup)),
                        {d.means, d.kernel, &bias, d.boxes, d.squashed}, head_params(s, min_h_, min_w_, s.n),
                        static_cast<uint64_t>(s.n), label() + " (box head)");
  return d;
}

void LearnableCropLayer::record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const {
  require_fp32_tensors(seq.context(), label());
  const DeviceBoxes d = record_boxes(seq, input);
  crop_gpu::sample(seq, input.buffer, input.shape, {d.boxes, d.per_sample}, output.buffer, out_h_, out_w_, label());
}

CropGradients LearnableCropLayer::backward(vk::Context& ctx, const Tensor& input, const Tensor& grad_output) const {
  require_fp32_tensors(ctx, label());
  const Shape& s = input.shape;
  const DeviceTensor in = to_device(ctx, input, label());
  const DeviceTensor g_out = to_device(ctx, grad_output, label() + " (output gradient)");
  const DeviceTensor g_in = allocate(ctx, s, label() + " (input gradient)");
  vk::Sequence seq(ctx);
  const DeviceBoxes d = record_boxes(seq, in);

  const crop_gpu::Boxes boxes{d.boxes, d.per_sample};
  const vk::Buffer& box_grad = seq.scratch(static_cast<VkDeviceSize>(d.per_sample ? s.n : 1) * 4 * sizeof(float));
  crop_gpu::box_gradient(seq, in.buffer, s, boxes, g_out.buffer, out_h_, out_w_, box_grad, label() + " (box gradient)");

  const vk::Buffer* plane_grad = nullptr;
  const vk::Buffer* kernel_grad = nullptr;
  const vk::Buffer* bias_grad = nullptr;
  if (d.per_sample) {
    kernel_grad = &seq.scratch(static_cast<VkDeviceSize>(s.c) * 4 * sizeof(float));
    bias_grad = &seq.scratch(4 * sizeof(float));
    plane_grad = &seq.scratch(static_cast<VkDeviceSize>(s.n * s.c) * sizeof(float));
    const uint64_t work = static_cast<uint64_t>(s.c * 4 + 4 + s.n * s.c);
    seq.dispatch_elements(ctx.pipeline(shaders::crop_head_backward, vk::workgroup_width(kWorkgroup)),
                          {d.means, d.kernel, d.squashed, &box_grad, kernel_grad, bias_grad, plane_grad},
                          head_params(s, min_h_, min_w_, work), work, label() + " (head gradient)");
  } else {
    plane_grad = &seq.constant(std::vector<float>(static_cast<size_t>(s.n * s.c), 0.0f));
  }
  crop_gpu::input_gradient(seq, g_out.buffer, s, boxes, *plane_grad, g_in.buffer, out_h_, out_w_, label() + " (input gradient)");
  seq.submit();

  CropGradients out;
  out.input = to_host(ctx, g_in);
  if (d.per_sample) {
    out.weights.emplace_back(std::vector<int64_t>{s.c, 4});
    out.weights.back().data = vk::download(ctx, *kernel_grad, static_cast<size_t>(s.c * 4));
    out.weights.emplace_back(std::vector<int64_t>{4});
    out.weights.back().data = vk::download(ctx, *bias_grad, 4);
  } else {
    out.weights.emplace_back(std::vector<int64_t>{4});
    out.weights.back().data = vk::download(ctx, box_grad, 4);
  }
  return out;
}

}  // namespace convscope
