#pragma once
// Output lengths and padding of sliding windows per spatial axis: convolutions, and pooling
// to come (../shared/SEMANTICS.md).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace convscope {

enum class Padding { Valid, Same, Causal, Full };

std::optional<Padding> parse_padding(std::string_view name);  // case-insensitive
std::string_view to_string(Padding p);

struct AxisGeometry {
  int64_t kernel = 1, stride = 1, dilation = 1;
  // Convolution: output o reads input o*stride - offset + t*dilation.
  // Transposed: input i, tap t write output i*stride + t*dilation - offset.
  int64_t offset = 0;
  int64_t out = 1;

  int64_t effective_kernel() const { return dilation * (kernel - 1) + 1; }
};

// The geometry of one axis for input length n; nullopt-free: errors are reported by the
// caller, which knows the layer's name (out <= 0 means the kernel does not fit).
AxisGeometry conv_axis(int64_t n, int64_t kernel, int64_t stride, int64_t dilation, Padding padding);
AxisGeometry transposed_axis(int64_t n, int64_t kernel, int64_t stride, int64_t dilation, Padding padding,
                             std::optional<int64_t> output_padding);

}  // namespace convscope
