#include "layers/window/window_layers.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "layers/registry.h"
#include "layers/remap/remap.h"

namespace convscope {

namespace {

const char* axis_name(int spatial_rank, int axis) {
  static const char* names[3][3] = {{"steps"}, {"rows", "columns"}, {"depth slices", "rows", "columns"}};
  return names[spatial_rank - 1][axis];
}

}  // namespace

WindowLayer::WindowLayer(const ConfigReader& cfg, Kind kind, int rank)
    : Layer(cfg.name(), cfg.label(), rank, cfg.data_format()),
      class_name_(cfg.class_name()),
      kind_(kind),
      sides_(parse_side_pairs(cfg, kind == Kind::Crop ? "cropping" : "padding", rank)) {}

Shape WindowLayer::output_shape(const Shape& input) const {
  require_rank(input);
  Shape out = input;
  for (int a = 0; a < spatial_rank(); ++a) {
    const auto [before, after] = sides_[a];
    const int64_t n = input.spatial(a);
    if (kind_ == Kind::Pad) {
      out.spatial(a) = n + before + after;
    } else if (before + after >= n) {
      throw UserError(fmt::format("{}: cropping: ({}, {}) removes all {} {} of the input; the crop must leave at "
                                  "least one",
                                  label(), before, after, n, axis_name(spatial_rank(), a)));
    } else {
      out.spatial(a) = n - before - after;
    }
  }
  return checked_output(out);
}

Tensor WindowLayer::reference(const Tensor& in) const {
  Tensor out(output_shape(in.shape));
  // Keras order -> canonical (D, H, W) offsets: where output (0, 0, 0) sits in the input.
  int64_t start[3] = {0, 0, 0};
  for (int a = 0; a < spatial_rank(); ++a)
    start[3 - spatial_rank() + a] = kind_ == Kind::Crop ? sides_[a].before : -sides_[a].before;
  const Shape& s = in.shape;
  for (int64_t n = 0; n < out.shape.n; ++n)
    for (int64_t c = 0; c < out.shape.c; ++c)
      for (int64_t z = 0; z < out.shape.d; ++z)
        for (int64_t y = 0; y < out.shape.h; ++y)
          for (int64_t x = 0; x < out.shape.w; ++x) {
            const int64_t iz = z + start[0], iy = y + start[1], ix = x + start[2];
            const bool inside = iz >= 0 && iz < s.d && iy >= 0 && iy < s.h && ix >= 0 && ix < s.w;
            out.at(n, c, z, y, x) = inside ? in.at(n, c, iz, iy, ix) : 0.0f;
          }
  return out;
}

void WindowLayer::record(vk::Sequence& seq, const DeviceTensor& in, const DeviceTensor& out) const {
  std::array<RemapAxis, 3> axes;
  for (int a = 0; a < spatial_rank(); ++a) axes[a].offset = kind_ == Kind::Crop ? sides_[a].before : -sides_[a].before;
  record_remap(seq, in, out, axes, spatial_rank(), label());
}

Layer::Region WindowLayer::source_region(const Shape& input, const Region& out) const {
  Region r{};
  for (int a = 0; a < spatial_rank(); ++a) {
    const int64_t shift = kind_ == Kind::Crop ? sides_[a].before : -sides_[a].before;
    r[a] = {std::max<int64_t>(out[a].first + shift, 0), std::min(out[a].second + shift, input.spatial(a) - 1)};
  }
  return r;
}

nlohmann::json WindowLayer::keras_config() const {
  // Keras 3's own form: (before, after) pairs; 1D layers take one pair, and Keras 3 gives
  // Cropping1D no data_format, so it is written only where it says something.
  nlohmann::json c = base_config(spatial_rank() > 1 || data_format() == DataFormat::ChannelsFirst);
  nlohmann::json pairs = nlohmann::json::array();
  for (int a = 0; a < spatial_rank(); ++a) pairs.push_back({sides_[a].before, sides_[a].after});
  c[kind_ == Kind::Crop ? "cropping" : "padding"] = spatial_rank() == 1 ? pairs[0] : pairs;
  return c;
}

void register_window_layers(LayerRegistry& registry) {
  for (int rank = 1; rank <= 3; ++rank)
    for (const auto kind : {WindowLayer::Kind::Crop, WindowLayer::Kind::Pad}) {
      const bool crop = kind == WindowLayer::Kind::Crop;
      LayerDescriptor d;
      d.class_name = fmt::format("{}{}D", crop ? "Cropping" : "ZeroPadding", rank);
      const std::string key = crop ? "cropping" : "padding";
      d.arguments = {key, "data_format"};
      d.example = {{key, 8}};
      d.family = "cropping and padding";
      d.make = [kind, rank](const ConfigReader& cfg) { return std::make_unique<WindowLayer>(cfg, kind, rank); };
      registry.add(std::move(d));
    }
}

}  // namespace convscope
