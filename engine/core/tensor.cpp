#include "core/tensor.h"

#include <fmt/format.h>

#include "core/error.h"

namespace convscope {

std::string_view to_string(DataFormat f) {
  return f == DataFormat::ChannelsLast ? "channels_last" : "channels_first";
}

int64_t Shape::spatial(int i) const { return const_cast<Shape*>(this)->spatial(i); }

int64_t& Shape::spatial(int i) {
  int64_t* axes[3] = {&d, &h, &w};
  return *axes[3 - spatial_rank + i];
}

std::vector<int64_t> Shape::keras(DataFormat f) const {
  std::vector<int64_t> k{n};
  if (f == DataFormat::ChannelsFirst) k.push_back(c);
  for (int i = 0; i < spatial_rank; ++i) k.push_back(spatial(i));
  if (f == DataFormat::ChannelsLast) k.push_back(c);
  return k;
}

Shape shape_from_keras(const std::vector<int64_t>& k, int spatial_rank, DataFormat f) {
  Shape s;
  s.spatial_rank = spatial_rank;
  s.format = f;
  s.n = k[0];
  s.c = f == DataFormat::ChannelsLast ? k.back() : k[1];
  const size_t first = f == DataFormat::ChannelsLast ? 1 : 2;
  for (int i = 0; i < spatial_rank; ++i) s.spatial(i) = k[first + i];
  return s;
}

Shape shape_from_keras(const std::vector<int64_t>& k, DataFormat f, std::string_view who) {
  if (k.size() < 2 || k.size() > 5)
    throw UserError(fmt::format("{}: a tensor of shape {} has {} axes; convscope's tensors have 2 to 5, the batch "
                                "included",
                                who, shape_string(k), k.size()));
  return shape_from_keras(k, static_cast<int>(k.size()) - 2, f);
}

std::optional<int64_t> bounded_count(std::span<const int64_t> dims) {
  for (int64_t d : dims)
    if (d <= 0) return 0;
  int64_t n = 1;
  for (int64_t d : dims) {
    if (n > kMaxElements / d) return std::nullopt;
    n *= d;
  }
  return n;
}

void check_shape_limits(const Shape& s, DataFormat f, std::string_view who, std::string_view what) {
  const std::vector<int64_t> k = s.keras(f);
  for (int64_t d : k)
    if (d > kMaxAxis)
      throw UserError(fmt::format("{}: {} {} has an axis of {} elements; the GPU kernels index at most {}", who, what,
                                  shape_string(k), d, kMaxAxis));
  if (!bounded_count(k))
    throw UserError(fmt::format("{}: {} {} has more than 2^48 elements, beyond any device", who, what, shape_string(k)));
}

namespace {

// Calls fn(canonical_index, keras_index) for every element; one walk serves both directions.
template <typename Fn>
void for_each_element(const Shape& s, DataFormat f, Fn&& fn) {
  const bool last = f == DataFormat::ChannelsLast;
  size_t canonical = 0;
  for (int64_t n = 0; n < s.n; ++n)
    for (int64_t c = 0; c < s.c; ++c)
      for (int64_t z = 0; z < s.d; ++z)
        for (int64_t y = 0; y < s.h; ++y)
          for (int64_t x = 0; x < s.w; ++x, ++canonical) {
            const int64_t spatial = (z * s.h + y) * s.w + x;
            const int64_t plane = s.d * s.h * s.w;
            const int64_t keras = last ? (n * plane + spatial) * s.c + c : (n * s.c + c) * plane + spatial;
            fn(canonical, static_cast<size_t>(keras));
          }
}

}  // namespace

Tensor from_keras(const NdArray& a, int spatial_rank, DataFormat f, std::string_view who) {
  const int want = spatial_rank + 2;
  if (a.rank() != want) {
    const char* axes = spatial_rank == 0   ? "(batch, features)"
                       : spatial_rank == 1   ? (f == DataFormat::ChannelsLast ? "(batch, steps, channels)" : "(batch, channels, steps)")
                       : spatial_rank == 2 ? (f == DataFormat::ChannelsLast ? "(batch, rows, cols, channels)" : "(batch, channels, rows, cols)")
                                           : (f == DataFormat::ChannelsLast ? "(batch, depth, rows, cols, channels)" : "(batch, channels, depth, rows, cols)");
    throw UserError(fmt::format("{}: input has shape {} but {} expects {} dimensions {}", who,
                                shape_string(a.shape), to_string(f), want, axes));
  }
  for (int64_t d : a.shape)
    if (d <= 0) throw UserError(fmt::format("{}: input shape {} has an empty axis", who, shape_string(a.shape)));
  Tensor t(shape_from_keras(a.shape, spatial_rank, f));
  for_each_element(t.shape, f, [&](size_t ci, size_t ki) { t.data[ci] = a.data[ki]; });
  return t;
}

NdArray to_keras(const Tensor& t, DataFormat f) {
  NdArray a(t.shape.keras(f));
  for_each_element(t.shape, f, [&](size_t ci, size_t ki) { a.data[ki] = t.data[ci]; });
  return a;
}

}  // namespace convscope
