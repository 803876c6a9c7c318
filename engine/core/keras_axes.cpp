#include "core/keras_axes.h"

namespace convscope {

CanonicalDims canonical_dims(const Shape& s) { return {s.n, s.c, s.d, s.h, s.w}; }

CanonicalDims canonical_strides(const Shape& s) {
  CanonicalDims dims = canonical_dims(s), strides{};
  int64_t step = 1;
  for (int a = kCanonicalAxes - 1; a >= 0; --a) {
    strides[a] = step;
    step *= dims[a];
  }
  return strides;
}

std::vector<int> keras_order(const Shape& s) {
  std::vector<int> order{0};
  if (s.spatial_rank == 0 || s.format == DataFormat::ChannelsFirst) order.push_back(1);
  for (int i = 0; i < s.spatial_rank; ++i) order.push_back(kCanonicalAxes - s.spatial_rank + i);
  if (s.spatial_rank > 0 && s.format == DataFormat::ChannelsLast) order.push_back(1);
  return order;
}

std::optional<int> normalized_axis(int64_t axis, int rank) {
  if (axis < -rank || axis >= rank) return std::nullopt;
  return static_cast<int>(axis < 0 ? axis + rank : axis);
}

std::optional<int> canonical_axis(const Shape& s, int64_t axis) {
  const auto k = normalized_axis(axis, s.keras_rank());
  if (!k) return std::nullopt;
  return keras_order(s)[static_cast<size_t>(*k)];
}

Shape with_dims(const Shape& like, const CanonicalDims& d) {
  Shape s = like;
  s.n = d[0];
  s.c = d[1];
  s.d = d[2];
  s.h = d[3];
  s.w = d[4];
  return s;
}

}  // namespace convscope
