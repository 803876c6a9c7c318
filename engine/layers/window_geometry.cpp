#include "layers/window_geometry.h"

#include <algorithm>
#include <cctype>

namespace convscope {

std::optional<Padding> parse_padding(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "valid") return Padding::Valid;
  if (lower == "same") return Padding::Same;
  if (lower == "causal") return Padding::Causal;
  if (lower == "full") return Padding::Full;
  return std::nullopt;
}

std::string_view to_string(Padding p) {
  switch (p) {
    case Padding::Valid: return "valid";
    case Padding::Same: return "same";
    case Padding::Causal: return "causal";
    case Padding::Full: return "full";
  }
  return "valid";
}

namespace {
int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
}  // namespace

AxisGeometry conv_axis(int64_t n, int64_t kernel, int64_t stride, int64_t dilation, Padding padding) {
  AxisGeometry g{kernel, stride, dilation, 0, 0};
  const int64_t k_eff = g.effective_kernel();
  switch (padding) {
    case Padding::Valid:
      g.out = n >= k_eff ? (n - k_eff) / stride + 1 : 0;
      break;
    case Padding::Same: {
      g.out = ceil_div(n, stride);
      const int64_t total = std::max<int64_t>((g.out - 1) * stride + k_eff - n, 0);
      g.offset = total / 2;  // the odd zero goes after (bottom/right), as TensorFlow does
      break;
    }
    case Padding::Causal:
      g.out = ceil_div(n, stride);
      g.offset = k_eff - 1;
      break;
    case Padding::Full:
      g.out = ceil_div(n + k_eff - 1, stride);
      g.offset = k_eff - 1;
      break;
  }
  return g;
}

AxisGeometry transposed_axis(int64_t n, int64_t kernel, int64_t stride, int64_t dilation, Padding padding,
                             std::optional<int64_t> output_padding) {
  AxisGeometry g{kernel, stride, dilation, 0, 0};
  const int64_t k_eff = g.effective_kernel();
  if (padding == Padding::Same) {
    g.out = output_padding ? (n - 1) * stride + (k_eff % 2) + *output_padding : n * stride;
    g.offset = std::max<int64_t>((n - 1) * stride + k_eff - g.out, 0) / 2;
  } else {
    g.out = output_padding ? (n - 1) * stride + k_eff + *output_padding : (n - 1) * stride + std::max(k_eff, stride);
  }
  return g;
}

}  // namespace convscope
