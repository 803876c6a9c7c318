#pragma once
// Keras axes on canonical tensors. A canonical tensor is laid out (N, C, D, H, W) whatever
// its Keras axis order; layers that take a Keras axis (BatchNormalization's `axis`,
// Concatenate's, Softmax's, Permute's `dims`) or follow Keras' element order (Flatten,
// Reshape) map through here, reading the order from Shape::format.
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/tensor.h"

namespace convscope {

// Canonical axes, in memory order: 0 = N, 1 = C, 2 = D, 3 = H, 4 = W.
constexpr int kCanonicalAxes = 5;
using CanonicalDims = std::array<int64_t, kCanonicalAxes>;

CanonicalDims canonical_dims(const Shape& s);
// Elements between neighbours along each canonical axis (row-major in N, C, D, H, W).
CanonicalDims canonical_strides(const Shape& s);

// keras_order(s)[i] is the canonical axis of Keras axis i (0 = batch), in s.format:
// channels_last rank 2 -> {N, H, W, C} = {0, 3, 4, 1}; channels_first -> {0, 1, 3, 4}.
std::vector<int> keras_order(const Shape& s);

// The canonical axis of Keras axis `axis` (negative counts from the end, as Python), or
// nullopt when it is outside the tensor's Keras rank.
std::optional<int> canonical_axis(const Shape& s, int64_t axis);

// Python's normalisation of `axis` for a tensor of `rank` axes: -1 -> rank - 1; nullopt
// outside [-rank, rank).
std::optional<int> normalized_axis(int64_t axis, int rank);

// The shape with canonical dims `dims` (rank and format as `like`).
Shape with_dims(const Shape& like, const CanonicalDims& dims);

}  // namespace convscope
