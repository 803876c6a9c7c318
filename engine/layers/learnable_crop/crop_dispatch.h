#pragma once
// The LearnableCrop shaders as recordable steps on plain buffers, shared by the layer's
// forward/backward and by the box fitter, which keeps its buffers across steps.
#include <string>

#include "core/tensor.h"
#include "vk/sequence.h"

namespace convscope::crop_gpu {

// Where the boxes are: one vec4 shared by the batch, or one per sample.
struct Boxes {
  const vk::Buffer* buffer = nullptr;
  bool per_sample = false;
};

void sample(vk::Sequence& seq, const vk::Buffer& input, const Shape& in, Boxes boxes, const vk::Buffer& output,
            int64_t out_h, int64_t out_w, const std::string& label);

// d loss / d box into `box_grad`: one (y0, x0, h, w) per sample, or their sum for a shared box.
void box_gradient(vk::Sequence& seq, const vk::Buffer& input, const Shape& in, Boxes boxes, const vk::Buffer& grad_output,
                  int64_t out_h, int64_t out_w, const vk::Buffer& box_grad, const std::string& label);

// d loss / d input, plus plane_extra[n * C + c] added to every element of its plane.
void input_gradient(vk::Sequence& seq, const vk::Buffer& grad_output, const Shape& in, Boxes boxes,
                    const vk::Buffer& plane_extra, const vk::Buffer& grad_input, int64_t out_h, int64_t out_w,
                    const std::string& label);

// out[segment][column] = sum over `rows` rows of in[segment][row][column].
void sum_rows(vk::Sequence& seq, const vk::Buffer& in, const vk::Buffer& out, int64_t segments, int64_t rows,
              int64_t width, const std::string& label);

// Mean squared difference of `count` elements: its gradient into `grad`, the loss into `loss` (1 float).
void mse(vk::Sequence& seq, const vk::Buffer& prediction, const vk::Buffer& target, uint64_t count,
         const vk::Buffer& grad, const vk::Buffer& loss, const std::string& label);

struct AdamSettings {
  float learning_rate = 0.01f, beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-8f;
  int32_t clamp_begin = 0, clamp_end = 0;  // parameters [begin, end) are kept >= lower
  float lower = 0;
};
// One Adam step (step counts from 1) on `count` parameters with moment buffers m and v.
void adam(vk::Sequence& seq, const vk::Buffer& params, const vk::Buffer& grads, const vk::Buffer& m,
          const vk::Buffer& v, int64_t count, int32_t step, const AdamSettings& settings, const std::string& label);

}  // namespace convscope::crop_gpu
