#include "layers/learnable_crop/crop_dispatch.h"

#include "adam_params.h"
#include "crop_params.h"
#include "embedded_shaders.h"
#include "mse_params.h"
#include "sum_rows_params.h"

namespace convscope::crop_gpu {

static_assert(sizeof(gpu::CropParams) == shaders::crop_sample_push_bytes);
static_assert(sizeof(gpu::CropParams) == shaders::crop_grad_input_push_bytes);
static_assert(sizeof(gpu::CropParams) == shaders::crop_grad_box_push_bytes);
static_assert(sizeof(gpu::SumRowsParams) == shaders::sum_rows_push_bytes);
static_assert(sizeof(gpu::MseParams) == shaders::mse_push_bytes);
static_assert(sizeof(gpu::AdamParams) == shaders::adam_push_bytes);

namespace {

constexpr uint32_t kWorkgroup = 64;  // the reductions' shared arrays are this wide
constexpr int kPerInvocation = 16;   // outputs each invocation of crop_grad_box sums

int32_t i32(int64_t v) { return static_cast<int32_t>(v); }

gpu::CropParams crop_params(const Shape& in, int64_t out_h, int64_t out_w, bool per_sample, uint64_t invocations) {
  gpu::CropParams p{};
  p.in_size = {i32(in.w), i32(in.h), i32(in.c), i32(in.n)};
  p.out_size = {i32(out_w), i32(out_h), i32(in.c), i32(in.n)};
  p.box_per_sample = per_sample ? 1 : 0;
  p.invocations = static_cast<uint32_t>(invocations);
  return p;
}

const vk::ComputePipeline& pipeline(vk::Sequence& seq, const vk::ShaderCode& shader,
                                    const vk::SpecConstants& spec = vk::workgroup_width(kWorkgroup)) {
  return seq.context().pipeline(shader, spec);
}

}  // namespace

void sample(vk::Sequence& seq, const vk::Buffer& input, const Shape& in, Boxes boxes, const vk::Buffer& output,
            int64_t out_h, int64_t out_w, const std::string& label) {
  const uint64_t total = static_cast<uint64_t>(in.n * in.c * out_h * out_w);
  seq.dispatch_elements(pipeline(seq, shaders::crop_sample), {&input, boxes.buffer, &output},
                        crop_params(in, out_h, out_w, boxes.per_sample, total), total, label);
}

void box_gradient(vk::Sequence& seq, const vk::Buffer& input, const Shape& in, Boxes boxes, const vk::Buffer& grad_output,
                  int64_t out_h, int64_t out_w, const vk::Buffer& box_grad, const std::string& label) {
  // Per-chunk partial sums, then the chunks (and, for a shared box, the samples) added up.
  const int64_t per_sample = in.c * out_h * out_w;
  const int64_t chunks = (per_sample + kWorkgroup * kPerInvocation - 1) / (kWorkgroup * kPerInvocation);
  gpu::CropParams p = crop_params(in, out_h, out_w, boxes.per_sample, 0);
  p.chunks = i32(chunks);
  const vk::Buffer& partials = seq.scratch(static_cast<VkDeviceSize>(in.n * chunks) * 4 * sizeof(float));
  const vk::SpecConstants spec = vk::workgroup_width(kWorkgroup).set(CROP_SPEC_PER_INVOCATION, kPerInvocation);
  seq.dispatch(pipeline(seq, shaders::crop_grad_box, spec), {&input, boxes.buffer, &grad_output, &partials},
               p, static_cast<uint64_t>(in.n * chunks), label);
  const int64_t segments = boxes.per_sample ? in.n : 1;
  sum_rows(seq, partials, box_grad, segments, in.n * chunks / segments, 4, label + " (sum)");
}

void input_gradient(vk::Sequence& seq, const vk::Buffer& grad_output, const Shape& in, Boxes boxes,
                    const vk::Buffer& plane_extra, const vk::Buffer& grad_input, int64_t out_h, int64_t out_w,
                    const std::string& label) {
  seq.dispatch_elements(pipeline(seq, shaders::crop_grad_input), {&grad_output, boxes.buffer, &plane_extra, &grad_input},
                        crop_params(in, out_h, out_w, boxes.per_sample, in.size()), in.size(), label);
}

void sum_rows(vk::Sequence& seq, const vk::Buffer& in, const vk::Buffer& out, int64_t segments, int64_t rows,
              int64_t width, const std::string& label) {
  gpu::SumRowsParams p{};
  p.rows = i32(rows);
  p.width = i32(width);
  p.invocations = static_cast<uint32_t>(segments * width);
  seq.dispatch_elements(pipeline(seq, shaders::sum_rows), {&in, &out}, p, static_cast<uint64_t>(segments * width), label);
}

void mse(vk::Sequence& seq, const vk::Buffer& prediction, const vk::Buffer& target, uint64_t count,
         const vk::Buffer& grad, const vk::Buffer& loss, const std::string& label) {
  const uint64_t groups = (count + kWorkgroup - 1) / kWorkgroup;
  const vk::Buffer& partials = seq.scratch(groups * sizeof(float));
  gpu::MseParams p{};
  p.elements = i32(static_cast<int64_t>(count));
  p.groups = static_cast<uint32_t>(groups);
  seq.dispatch(pipeline(seq, shaders::mse), {&prediction, &target, &grad, &partials}, p, groups, label);
  sum_rows(seq, partials, loss, 1, static_cast<int64_t>(groups), 1, label + " (sum)");
}

void adam(vk::Sequence& seq, const vk::Buffer& params, const vk::Buffer& grads, const vk::Buffer& m,
          const vk::Buffer& v, int64_t count, int32_t step, const AdamSettings& s, const std::string& label) {
  gpu::AdamParams p{};
  p.learning_rate = s.learning_rate;
  p.beta1 = s.beta1;
  p.beta2 = s.beta2;
  p.epsilon = s.epsilon;
  p.parameters = i32(count);
  p.step = step;
  p.clamp_first = s.clamp_begin;
  p.clamp_end = s.clamp_end;
  p.lower_bound = s.lower;
  seq.dispatch_elements(pipeline(seq, shaders::adam), {&params, &grads, &m, &v}, p, static_cast<uint64_t>(count), label);
}

}  // namespace convscope::crop_gpu
