// LearnableCrop's backward pass on the CPU, in double: the reference the GPU shaders are
// tested against (alongside PyTorch autograd golden values and finite differences).
#include <cmath>

#include "layers/learnable_crop/learnable_crop.h"

namespace convscope {

CropGradients LearnableCropLayer::reference_backward(const Tensor& input, const Tensor& grad_output) const {
  const Shape& s = input.shape;
  const auto bx = boxes(input);
  const double OH = static_cast<double>(out_h_), OW = static_cast<double>(out_w_);
  std::vector<double> grad_in(s.size(), 0.0);
  std::vector<std::array<double, 4>> grad_box(static_cast<size_t>(s.n), {0, 0, 0, 0});
  auto in_at = [&](int64_t n, int64_t c, int64_t y, int64_t x) {
    return y < 0 || y >= s.h || x < 0 || x >= s.w ? 0.0 : static_cast<double>(input.at(n, c, 0, y, x));
  };

  for (int64_t n = 0; n < s.n; ++n) {
    const auto [y0, x0, h, w] = bx[static_cast<size_t>(n)];
    for (int64_t c = 0; c < s.c; ++c)
      for (int64_t i = 0; i < out_h_; ++i)
        for (int64_t j = 0; j < out_w_; ++j) {
          const double g = grad_output.at(n, c, 0, i, j);
          const double y = y0 + (static_cast<double>(i) + 0.5) * h / OH - 0.5;
          const double x = x0 + (static_cast<double>(j) + 0.5) * w / OW - 0.5;
          const int64_t iy = static_cast<int64_t>(std::floor(y)), ix = static_cast<int64_t>(std::floor(x));
          const double fy = y - static_cast<double>(iy), fx = x - static_cast<double>(ix);
          for (int corner = 0; corner < 4; ++corner) {
            const int64_t yy = iy + (corner >> 1), xx = ix + (corner & 1);
            if (yy < 0 || yy >= s.h || xx < 0 || xx >= s.w) continue;
            const double wy = (corner >> 1) ? fy : 1 - fy, wx = (corner & 1) ? fx : 1 - fx;
            grad_in[input.index(n, c, 0, yy, xx)] += g * wy * wx;
          }
          const double v00 = in_at(n, c, iy, ix), v01 = in_at(n, c, iy, ix + 1);
          const double v10 = in_at(n, c, iy + 1, ix), v11 = in_at(n, c, iy + 1, ix + 1);
          const double dy = (1 - fx) * (v10 - v00) + fx * (v11 - v01);
          const double dx = (1 - fy) * (v01 - v00) + fy * (v11 - v10);
          auto& gb = grad_box[static_cast<size_t>(n)];
          gb[0] += g * dy;
          gb[1] += g * dx;
          gb[2] += g * dy * (static_cast<double>(i) + 0.5) / OH;
          gb[3] += g * dx * (static_cast<double>(j) + 0.5) / OW;
        }
  }

  CropGradients out;
  if (source_ == BoxSource::Weight) {
    NdArray box({4});
    for (int k = 0; k < 4; ++k) {
      double sum = 0;
      for (const auto& gb : grad_box) sum += gb[k];  // the box is shared by the batch
      box.data[k] = static_cast<float>(sum);
    }
    out.weights.push_back(std::move(box));
  } else {
    // Through the head: box <- sigmoid(z) <- z = mean . W + b, as in shaders/crop_head.comp.
    const NdArray& W = weights()[0];
    const double H = static_cast<double>(s.h), Wd = static_cast<double>(s.w);
    NdArray gW({s.c, 4}), gb({4});
    std::vector<double> dW(static_cast<size_t>(s.c * 4), 0.0), db(4, 0.0);
    const auto sqs = squashed(input);
    const auto means = plane_means(input);
    for (int64_t n = 0; n < s.n; ++n) {
      const double h = bx[static_cast<size_t>(n)][2], w = bx[static_cast<size_t>(n)][3];
      const auto& sq = sqs[static_cast<size_t>(n)];
      const auto& g = grad_box[static_cast<size_t>(n)];
      // d box / d sigmoid outputs: y0 = (H - h) s0, h = mh + (H - mh) s2, and likewise in x.
      const double ds[4] = {g[0] * (H - h), g[1] * (Wd - w), (g[2] - g[0] * sq[0]) * (H - min_h_),
                            (g[3] - g[1] * sq[1]) * (Wd - min_w_)};
      double dz[4];
      for (int k = 0; k < 4; ++k) dz[k] = ds[k] * sq[k] * (1 - sq[k]);
      for (int64_t c = 0; c < s.c; ++c) {
        const double mean = means[static_cast<size_t>(n * s.c + c)];
        double through_mean = 0;
        for (int k = 0; k < 4; ++k) {
          dW[static_cast<size_t>(c * 4 + k)] += mean * dz[k];
          through_mean += W.data[static_cast<size_t>(c * 4 + k)] * dz[k];
        }
        for (int64_t y = 0; y < s.h; ++y)
          for (int64_t x = 0; x < s.w; ++x) grad_in[input.index(n, c, 0, y, x)] += through_mean / (H * Wd);
      }
      for (int k = 0; k < 4; ++k) db[k] += dz[k];
    }
    for (size_t i = 0; i < dW.size(); ++i) gW.data[i] = static_cast<float>(dW[i]);
    for (int k = 0; k < 4; ++k) gb.data[k] = static_cast<float>(db[k]);
    out.weights.push_back(std::move(gW));
    out.weights.push_back(std::move(gb));
  }
  out.input = Tensor(s);
  for (size_t i = 0; i < grad_in.size(); ++i) out.input.data[i] = static_cast<float>(grad_in[i]);
  return out;
}

}  // namespace convscope
