#include "layers/pool/pooling_layer.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>

#include "core/error.h"
#include "layers/config_reader.h"

namespace convscope {

namespace {

const char* axis_word(int rank, int a) {
  static const char* names[3][3] = {{"steps"}, {"rows", "columns"}, {"depth slices", "rows", "columns"}};
  return names[rank - 1][a];
}

// Pooling pads only as 'valid' or 'same'; Keras lowercases what it is given.
Padding read_pool_padding(const ConfigReader& cfg) {
  const nlohmann::json& v = cfg.get("padding");
  if (v.is_null()) return Padding::Valid;
  const auto parsed = v.is_string() ? parse_padding(v.get<std::string>()) : std::nullopt;
  if (!parsed || (*parsed != Padding::Valid && *parsed != Padding::Same))
    cfg.fail("padding", fmt::format("{} is not 'valid' or 'same', the two paddings pooling takes", python_repr(v)));
  return *parsed;
}

// The real input positions [first, last) window `o` covers: the window clipped to the input.
std::pair<int64_t, int64_t> window(const AxisGeometry& g, int64_t o, int64_t n) {
  const int64_t start = o * g.stride - g.offset;
  return {std::max<int64_t>(start, 0), std::min(start + g.kernel, n)};
}

}  // namespace

PoolingLayer::PoolingLayer(const ConfigReader& cfg, PoolOp op, int rank)
    : Layer(cfg.name(), cfg.label(), rank, cfg.data_format()), class_name_(cfg.class_name()), op_(op) {
  pool_ = read_tuple(cfg, "pool_size", rank, 2, 1);  // Keras' default window is 2 on every axis
  // strides=None (absent or null) means the window's own size: windows side by side.
  strides_ = cfg.get("strides").is_null() ? pool_ : read_tuple(cfg, "strides", rank, 1, 1);
  padding_ = read_pool_padding(cfg);
}

std::array<AxisGeometry, 3> PoolingLayer::canonical_axes(const Shape& input) const {
  require_rank(input);
  std::array<AxisGeometry, 3> axes{};  // unit axes: window 1, stride 1, out 1
  const int rank = spatial_rank();
  for (int a = 0; a < rank; ++a) {
    const int64_t n = input.spatial(a);
    const AxisGeometry g = conv_axis(n, pool_[a], strides_[a], 1, padding_);
    if (g.out <= 0)
      throw UserError(fmt::format("{}: pool_size: a window of {} does not fit the {} {} of the input with "
                                  "padding='valid'; use padding='same' or a window of at most {}",
                                  label(), pool_[a], n, axis_word(rank, a), n));
    axes[3 - rank + a] = g;
  }
  return axes;
}

Shape PoolingLayer::output_shape(const Shape& input) const {
  const auto axes = canonical_axes(input);
  Shape out = input;
  out.d = axes[0].out, out.h = axes[1].out, out.w = axes[2].out;
  return checked_output(out);
}

Tensor PoolingLayer::reference(const Tensor& in) const {
  const auto g = canonical_axes(in.shape);
  Tensor out(output_shape(in.shape));
  const Shape& s = in.shape;
  const Shape& os = out.shape;
  for (int64_t n = 0; n < os.n; ++n)
    for (int64_t c = 0; c < os.c; ++c)
      for (int64_t z = 0; z < os.d; ++z)
        for (int64_t y = 0; y < os.h; ++y)
          for (int64_t x = 0; x < os.w; ++x) {
            const auto [z0, z1] = window(g[0], z, s.d);
            const auto [y0, y1] = window(g[1], y, s.h);
            const auto [x0, x1] = window(g[2], x, s.w);
            double sum = 0;
            float best = -std::numeric_limits<float>::infinity();
            for (int64_t iz = z0; iz < z1; ++iz)
              for (int64_t iy = y0; iy < y1; ++iy)
                for (int64_t ix = x0; ix < x1; ++ix) {
                  const float v = in.at(n, c, iz, iy, ix);
                  sum += v;
                  best = std::max(best, v);
                }
            const double count = static_cast<double>((z1 - z0) * (y1 - y0) * (x1 - x0));
            out.at(n, c, z, y, x) = op_ == PoolOp::Average ? static_cast<float>(sum / count) : best;
          }
  return out;
}

void PoolingLayer::record(vk::Sequence& seq, const DeviceTensor& in, const DeviceTensor& out) const {
  record_window_pool(seq, in, out, op_, canonical_axes(in.shape), label());
}

Layer::Region PoolingLayer::source_region(const Shape& input, const Region& out) const {
  const auto axes = canonical_axes(input);
  const int rank = spatial_rank();
  Region r{};
  for (int a = 0; a < rank; ++a) {
    const AxisGeometry& g = axes[3 - rank + a];
    const int64_t n = input.spatial(a);
    r[a] = {window(g, out[a].first, n).first, window(g, out[a].second, n).second - 1};
  }
  return r;
}

std::optional<PoolReadout> PoolingLayer::pool_readout(const Shape& input, const InputReader& read, int64_t channel,
                                                      int64_t z, int64_t y, int64_t x) const {
  const auto g = canonical_axes(input);
  const int64_t at[3] = {z, y, x}, lengths[3] = {input.d, input.h, input.w};
  std::pair<int64_t, int64_t> span[3];
  PoolReadout r;
  r.max = op_ == PoolOp::Max;
  r.window = 1;
  for (int a = 0; a < 3; ++a) {
    if (at[a] < 0 || at[a] >= g[a].out) return std::nullopt;
    span[a] = window(g[a], at[a], lengths[a]);
    r.window *= g[a].kernel;
  }
  // The same order and the same float comparison as reference(): the winner is its value.
  float best = -std::numeric_limits<float>::infinity();
  for (int64_t iz = span[0].first; iz < span[0].second; ++iz)
    for (int64_t iy = span[1].first; iy < span[1].second; ++iy)
      for (int64_t ix = span[2].first; ix < span[2].second; ++ix) {
        const float v = static_cast<float>(read(channel, iz, iy, ix));
        r.elements.push_back({iz, iy, ix});
        r.sum += v;
        if (v > best || r.elements.size() == 1) best = v, r.winner = {iz, iy, ix};
      }
  r.winner_value = best;
  r.output = r.max ? best : r.sum / static_cast<double>(r.elements.size());
  return r;
}

double PoolingLayer::flops(const Shape& input) const {
  // The windows are separable: the elements all windows read is the product over axes of
  // the elements each axis' windows read.
  const auto axes = canonical_axes(input);
  const int64_t lengths[3] = {input.d, input.h, input.w};
  double reads = static_cast<double>(input.n * input.c), outputs = reads;
  for (int a = 0; a < 3; ++a) {
    double axis_reads = 0;
    for (int64_t o = 0; o < axes[a].out; ++o) {
      const auto [first, last] = window(axes[a], o, lengths[a]);
      axis_reads += static_cast<double>(last - first);
    }
    reads *= axis_reads;
    outputs *= static_cast<double>(axes[a].out);
  }
  return reads + (op_ == PoolOp::Average ? outputs : 0.0);
}

nlohmann::json PoolingLayer::keras_config() const {
  // Keras 3's BasePooling.get_config: pool_size, padding, strides (tuples), data_format.
  nlohmann::json c = base_config(true);
  const int rank = spatial_rank();
  c["pool_size"] = std::vector<int64_t>(pool_.begin(), pool_.begin() + rank);
  c["padding"] = to_string(padding_);
  c["strides"] = std::vector<int64_t>(strides_.begin(), strides_.begin() + rank);
  return c;
}

}  // namespace convscope
