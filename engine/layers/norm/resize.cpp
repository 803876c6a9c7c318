#include "layers/norm/resize.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "embedded_shaders.h"
#include "resize_params.h"

namespace convscope {

static_assert(sizeof(gpu::ResizeParams) == shaders::resize_push_bytes, "resize_params.h and the SPIR-V disagree");

namespace {

// int(a / b) for a, b > 0, the division in float32 (TensorFlow's tf.cast of a float32
// quotient) or in double (Python's int(float(a) / b)).
int64_t truncated_quotient(int64_t a, int64_t b, bool float32) {
  if (float32) return static_cast<int64_t>(static_cast<float>(a) / static_cast<float>(b));
  return static_cast<int64_t>(static_cast<double>(a) / static_cast<double>(b));
}

}  // namespace

std::array<ResizeAxis, 2> aspect_window(int64_t h, int64_t w, int64_t th, int64_t tw, AspectWindow how, bool float32) {
  std::array<ResizeAxis, 2> axes{ResizeAxis{h, 0, h, th}, ResizeAxis{w, 0, w, tw}};
  if (how == AspectWindow::Whole) return axes;
  const int64_t want_h = truncated_quotient(w * th, tw, float32), want_w = truncated_quotient(h * tw, th, float32);
  if (how == AspectWindow::Crop) {
    const int64_t ch = std::max<int64_t>(std::min(h, want_h), 1), cw = std::max<int64_t>(std::min(w, want_w), 1);
    axes[0].offset = (h - ch) / 2;
    axes[0].window = ch;
    axes[1].offset = (w - cw) / 2;
    axes[1].window = cw;
  } else {
    // The TensorFlow backend pads int((pad - n) / 2) on each side, only when that is positive.
    const int64_t ph = (std::max(h, want_h) - h) / 2, pw = (std::max(w, want_w) - w) / 2;
    axes[0].offset = -ph;
    axes[0].window = h + 2 * ph;
    axes[1].offset = -pw;
    axes[1].window = w + 2 * pw;
  }
  return axes;
}

ResizeTaps resize_taps(const ResizeAxis& a, int64_t o, ResizeMode mode) {
  const float scale = a.scale();
  // As tensorflow/core/kernels/image: the scaled position in float32, floored.
  if (mode == ResizeMode::Nearest) {
    const int64_t k = std::min(static_cast<int64_t>(std::floor((static_cast<float>(o) + 0.5f) * scale)), a.window - 1);
    return {k, k, 0.0};
  }
  const float s = (static_cast<float>(o) + 0.5f) * scale - 0.5f;
  const float f = std::floor(s);
  return {std::max(static_cast<int64_t>(f), int64_t{0}), std::min(static_cast<int64_t>(std::ceil(s)), a.window - 1),
          static_cast<double>(s) - static_cast<double>(f)};
}

Tensor resize_reference(const Tensor& in, const Shape& output, const ResizePlan& plan) {
  Tensor out(output);
  const Shape& s = in.shape;
  const ResizeAxis &ry = plan.axes[0], &rx = plan.axes[1];
  auto fetch = [&](int64_t n, int64_t c, int64_t z, int64_t wy, int64_t wx) -> double {
    const int64_t y = wy + ry.offset, x = wx + rx.offset;
    if (y < 0 || y >= s.h || x < 0 || x >= s.w) return plan.fill;
    return in.at(n, c, z, y, x);
  };
  for (int64_t n = 0; n < output.n; ++n)
    for (int64_t c = 0; c < output.c; ++c)
      for (int64_t z = 0; z < output.d; ++z)
        for (int64_t y = 0; y < output.h; ++y) {
          const ResizeTaps ty = resize_taps(ry, y, plan.mode);
          for (int64_t x = 0; x < output.w; ++x) {
            const ResizeTaps tx = resize_taps(rx, x, plan.mode);
            const double top = (1 - tx.lerp) * fetch(n, c, z, ty.lo, tx.lo) + tx.lerp * fetch(n, c, z, ty.lo, tx.hi);
            const double bottom = (1 - tx.lerp) * fetch(n, c, z, ty.hi, tx.lo) + tx.lerp * fetch(n, c, z, ty.hi, tx.hi);
            out.at(n, c, z, y, x) = static_cast<float>((1 - ty.lerp) * top + ty.lerp * bottom);
          }
        }
  return out;
}

void record_resize(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output, const ResizePlan& plan,
                   const std::string& label) {
  if (output.shape.size() > INT32_MAX || input.shape.size() > INT32_MAX)
    throw UserError(fmt::format("{}: the tensors are too large for one dispatch", label));
  const ResizeAxis &ry = plan.axes[0], &rx = plan.axes[1];
  const auto i32 = [](int64_t v) { return static_cast<int32_t>(v); };
  gpu::ResizeParams p{};
  const Shape &is = input.shape, &os = output.shape;
  p.src_size = {i32(is.w), i32(is.h), i32(is.n * is.c * is.d), 0};
  p.window = {i32(rx.offset), i32(ry.offset), i32(rx.window), i32(ry.window)};
  p.dst_size = {i32(os.w), i32(os.h), i32(os.n * os.c * os.d)};
  p.elements = static_cast<uint32_t>(os.size());
  p.scale = {rx.scale(), ry.scale(), plan.fill, 0.0f};
  p.bilinear = plan.mode == ResizeMode::Bilinear ? 1 : 0;
  const auto& pipeline =
      seq.context().pipeline(tensor_shader(seq.context(), shaders::resize, shaders::resize_fp16), vk::workgroup_width(64));
  seq.dispatch_elements(pipeline, {&input.buffer, &output.buffer}, p, os.size(), label);
}

std::pair<int64_t, int64_t> resize_source(const ResizeAxis& a, ResizeMode mode, std::pair<int64_t, int64_t> out) {
  const ResizeTaps first = resize_taps(a, out.first, mode), last = resize_taps(a, out.second, mode);
  int64_t lo = first.lo + a.offset, hi = (last.lerp > 0 ? last.hi : last.lo) + a.offset;
  lo = std::max<int64_t>(lo, 0);
  hi = std::min<int64_t>(hi, a.in - 1);
  if (lo > hi) return {1, 0};
  return {lo, hi};
}

}  // namespace convscope
