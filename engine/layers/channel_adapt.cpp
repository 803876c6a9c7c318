#include "layers/channel_adapt.h"

namespace convscope {

namespace {

enum class Reads { Sum, One };  // outputs sum over the axis's channels, or each reads one

// `a` along `axis`, whose length is channels x block (index c * block + m), from `from`
// channels to `to`, one of them 1.
NdArray resize_channels(const NdArray& a, int axis, int64_t from, int64_t to, Reads reads) {
  const int64_t block = a.shape[static_cast<size_t>(axis)] / from;
  std::vector<int64_t> shape = a.shape;
  shape[static_cast<size_t>(axis)] = to * block;
  NdArray out(shape);
  int64_t outer = 1, inner = 1;
  for (int k = 0; k < axis; ++k) outer *= a.shape[static_cast<size_t>(k)];
  for (size_t k = static_cast<size_t>(axis) + 1; k < a.shape.size(); ++k) inner *= a.shape[k];
  // Element (outer o, channel c, block m, inner i) of an array whose axis has `len` entries.
  const auto at = [&](int64_t len, int64_t o, int64_t c, int64_t m, int64_t i) {
    return static_cast<size_t>(((o * len + c * block + m) * inner) + i);
  };
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t m = 0; m < block; ++m)
      for (int64_t i = 0; i < inner; ++i) {
        if (to == 1) {
          double sum = 0;
          for (int64_t c = 0; c < from; ++c) sum += a.data[at(from * block, o, c, m, i)];
          out.data[at(block, o, 0, m, i)] = static_cast<float>(reads == Reads::Sum ? sum : sum / from);
        } else {
          const float v = a.data[at(block, o, 0, m, i)];
          for (int64_t c = 0; c < to; ++c)
            out.data[at(to * block, o, c, m, i)] = reads == Reads::Sum ? v / static_cast<float>(to) : v;
        }
      }
  return out;
}

}  // namespace

std::optional<std::vector<NdArray>> adapt_to_channels(const Layer& layer, const std::vector<NdArray>& weights,
                                                      const Shape& input) {
  const auto wanted = layer.weight_shapes(input);
  const LayerHints hints = layer.hints();
  if (wanted.size() != weights.size() || !hints.kernel_array) return std::nullopt;
  std::vector<NdArray> out;
  for (size_t k = 0; k < weights.size(); ++k) {
    const NdArray& w = weights[k];
    if (w.shape == wanted[k]) {
      out.push_back(w);
      continue;
    }
    if (w.shape.size() != wanted[k].size()) return std::nullopt;
    int axis = -1;
    for (size_t a = 0; a < w.shape.size(); ++a)
      if (w.shape[a] != wanted[k][a]) {
        if (axis >= 0) return std::nullopt;  // more than the channel axis changed
        axis = static_cast<int>(a);
      }
    const int last = static_cast<int>(w.shape.size()) - 1;
    // Which axis reads the input's channels, and how, from the layer's own description.
    Reads reads;
    if (k == *hints.kernel_array) {
      const bool transposed = hints.kernel_layout == KernelLayout::Transposed;
      if (axis != (transposed ? last : last - 1)) return std::nullopt;
      reads = hints.kernel_layout == KernelLayout::Depthwise ? Reads::One : Reads::Sum;
    } else if (hints.pointwise_array && k == *hints.pointwise_array) {
      if (axis != last - 1) return std::nullopt;
      reads = Reads::Sum;
    } else if (hints.depthwise && w.shape.size() == 1) {
      reads = Reads::One;  // a depthwise bias: one per (channel, multiplier)
    } else {
      return std::nullopt;
    }
    // The axis holds channels x a block (the depth multiplier) in both, the same block.
    const int64_t len = w.shape[static_cast<size_t>(axis)], target = wanted[k][static_cast<size_t>(axis)];
    if (input.c == 1) {  // C -> 1: len = C x block, target = block
      if (len % target != 0 || len / target < 2) return std::nullopt;
      out.push_back(resize_channels(w, axis, len / target, 1, reads));
    } else {  // 1 -> C: len = block, target = C x block
      if (target != len * input.c) return std::nullopt;
      out.push_back(resize_channels(w, axis, 1, input.c, reads));
    }
  }
  return out;
}

}  // namespace convscope
