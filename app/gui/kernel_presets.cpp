#include "app/gui/kernel_presets.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <map>

#include "core/error.h"

namespace convscope::gui {

const std::vector<std::string>& kernel_preset_names() {
  static const std::vector<std::string> names = {"identity", "box blur", "gaussian", "sobel x", "sobel y",
                                                 "laplacian", "sharpen", "emboss", "glorot uniform"};
  return names;
}

namespace {

// The k_h x k_w pattern of a preset; 3x3 ones are centred in larger kernels.
std::vector<double> pattern(const std::string& name, int64_t kh, int64_t kw) {
  std::vector<double> p(static_cast<size_t>(kh * kw), 0.0);
  auto at = [&](int64_t y, int64_t x) -> double& { return p[static_cast<size_t>(y * kw + x)]; };
  if (name == "identity") {
    at(kh / 2, kw / 2) = 1;
    return p;
  }
  if (name == "box blur") {
    for (double& v : p) v = 1.0 / static_cast<double>(kh * kw);
    return p;
  }
  if (name == "gaussian") {
    const double sy = std::max(kh / 4.0, 0.5), sx = std::max(kw / 4.0, 0.5);
    double total = 0;
    for (int64_t y = 0; y < kh; ++y)
      for (int64_t x = 0; x < kw; ++x)
        total += at(y, x) = std::exp(-0.5 * (std::pow((y - (kh - 1) / 2.0) / sy, 2) + std::pow((x - (kw - 1) / 2.0) / sx, 2)));
    for (double& v : p) v /= total;
    return p;
  }
  static const std::map<std::string, std::array<double, 9>> three = {
      {"sobel x", {-1, 0, 1, -2, 0, 2, -1, 0, 1}},  {"sobel y", {-1, -2, -1, 0, 0, 0, 1, 2, 1}},
      {"laplacian", {0, 1, 0, 1, -4, 1, 0, 1, 0}},  {"sharpen", {0, -1, 0, -1, 5, -1, 0, -1, 0}},
      {"emboss", {-2, -1, 0, -1, 1, 1, 0, 1, 2}},
  };
  auto it = three.find(name);
  if (it == three.end()) throw UserError(fmt::format("weights: unknown preset '{}'", name));
  if (kh < 3 || kw < 3)
    throw UserError(fmt::format("weights: the {} preset is 3x3; the kernel is {}x{}", name, kh, kw));
  for (int64_t y = 0; y < 3; ++y)
    for (int64_t x = 0; x < 3; ++x) at(kh / 2 - 1 + y, kw / 2 - 1 + x) = it->second[static_cast<size_t>(y * 3 + x)];
  return p;
}

}  // namespace

std::vector<NdArray> kernel_preset(const Layer& layer, const Shape& input, const std::string& name, uint64_t seed) {
  if (name == "glorot uniform") return layer.initial_weights(input, seed);
  std::vector<NdArray> weights = layer.initial_weights(input, seed);
  for (size_t i = 1; i < weights.size(); ++i)
    if (weights[i].shape.size() == 1) std::fill(weights[i].data.begin(), weights[i].data.end(), 0.0f);  // biases
  const std::optional<size_t> kernel = layer.hints().kernel_array;
  if (!kernel || weights.at(*kernel).shape.size() != 4)
    throw UserError(fmt::format("{}: weights: presets fill 2D kernels; this layer has none", layer.label()));
  NdArray& k = weights[*kernel];  // (kh, kw, a, b): Keras layouts keep the taps first
  const int64_t kh = k.shape[0], kw = k.shape[1], a = k.shape[2], b = k.shape[3];
  const auto p = pattern(name, kh, kw);
  std::fill(k.data.begin(), k.data.end(), 0.0f);
  // Depthwise (k, k, in, dm): every pair. Dense (k, k, in, out) and transposed (k, k, out,
  // in): the pairs where the output reads "its" input channel.
  const LayerHints hints = layer.hints();
  const KernelLayout layout = hints.kernel_layout;
  for (int64_t t = 0; t < kh * kw; ++t)
    for (int64_t i = 0; i < a; ++i)
      for (int64_t j = 0; j < b; ++j) {
        const bool on = layout == KernelLayout::Depthwise || (layout == KernelLayout::Transposed ? i % b == j : j % a == i);
        if (on) k.data[static_cast<size_t>((t * a + i) * b + j)] = static_cast<float>(p[static_cast<size_t>(t)]);
      }
  if (hints.pointwise_array && weights.at(*hints.pointwise_array).shape.size() == 4) {  // separable: pointwise identity-ish
    NdArray& pw = weights[*hints.pointwise_array];
    std::fill(pw.data.begin(), pw.data.end(), 0.0f);
    const int64_t mid = pw.shape[2], out = pw.shape[3];
    for (int64_t j = 0; j < out; ++j) pw.data[static_cast<size_t>((j % mid) * out + j)] = 1.0f;
  }
  return weights;
}

}  // namespace convscope::gui
