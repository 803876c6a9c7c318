#pragma once
// The engine's canonical tensor: float32, layout (N, C, D, H, W). 1D tensors have unit D and
// H, 2D tensors unit D, so every layer indexes one 5D layout whatever Keras' data_format was.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/ndarray.h"

namespace convscope {

enum class DataFormat { ChannelsLast, ChannelsFirst };

std::string_view to_string(DataFormat f);

struct Shape {
  int64_t n = 1, c = 1, d = 1, h = 1, w = 1;
  // 1, 2 or 3: which of D, H, W are real axes; 0 for a Keras (batch, features) tensor, the
  // features in C (Dense, Flatten, global pooling).
  int spatial_rank = 2;
  // How the canonical axes read as Keras' (batch first): (N, spatial..., C) or (N, C,
  // spatial...). Spatial layers write their own data_format here; the layers that take a
  // Keras axis (BatchNormalization, Softmax, Concatenate, Flatten, Dense, ...) read it.
  DataFormat format = DataFormat::ChannelsLast;

  size_t size() const { return static_cast<size_t>(n * c * d * h * w); }
  // Spatial axis i in Keras order: rank 3 -> (d, h, w), rank 2 -> (h, w), rank 1 -> (w).
  int64_t spatial(int i) const;
  int64_t& spatial(int i);
  // The Keras shape with batch, in the given data format: (N, H, W, C) or (N, C, H, W).
  std::vector<int64_t> keras(DataFormat f) const;
  std::vector<int64_t> keras() const { return keras(format); }
  int keras_rank() const { return spatial_rank + 2; }
  bool operator==(const Shape&) const = default;
};

// Builds a canonical shape from a Keras shape (batch first) in the given data format.
Shape shape_from_keras(const std::vector<int64_t>& keras_shape, int spatial_rank, DataFormat f);
// The same with the spatial rank the Keras rank gives (2 -> 0, ..., 5 -> 3); UserError from
// `who` for ranks convscope's tensors cannot hold.
Shape shape_from_keras(const std::vector<int64_t>& keras_shape, DataFormat f, std::string_view who);

// The limits every shape keeps to, whatever a file or a layer's arguments ask for: no axis
// past the GPU kernels' 32-bit indices, no tensor past 2^48 elements (far beyond any device).
// Within them, sizes times strides or kernels, element counts and byte counts are exact in
// 64 bits, so shape rules need no overflow checks of their own.
constexpr int64_t kMaxAxis = 2147483647;
constexpr int64_t kMaxElements = int64_t{1} << 48;

// The element count of `dims`, or nullopt past kMaxElements (found without overflowing).
std::optional<int64_t> bounded_count(std::span<const int64_t> dims);

// UserError "<who>: <what> (1, 9000000000, 3) ..." when `s` breaks a limit; `f` is the order
// its axes are shown in.
void check_shape_limits(const Shape& s, DataFormat f, std::string_view who, std::string_view what);

struct Tensor {
  Shape shape;
  std::vector<float> data;

  Tensor() = default;
  explicit Tensor(const Shape& s) : shape(s), data(s.size(), 0.0f) {}

  size_t index(int64_t n, int64_t c, int64_t z, int64_t y, int64_t x) const {
    return static_cast<size_t>((((n * shape.c + c) * shape.d + z) * shape.h + y) * shape.w + x);
  }
  float& at(int64_t n, int64_t c, int64_t z, int64_t y, int64_t x) { return data[index(n, c, z, y, x)]; }
  float at(int64_t n, int64_t c, int64_t z, int64_t y, int64_t x) const { return data[index(n, c, z, y, x)]; }
};

// Keras array (batch first, `f` layout) -> canonical tensor. `who` names the layer or
// file in the error raised when the rank does not fit.
Tensor from_keras(const NdArray& a, int spatial_rank, DataFormat f, std::string_view who);
NdArray to_keras(const Tensor& t, DataFormat f);

}  // namespace convscope
