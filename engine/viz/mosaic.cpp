#include "viz/mosaic.h"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <string_view>
#include <utility>

#include "core/error.h"

namespace convscope {

namespace {

using Rgb = std::array<uint8_t, 3>;

constexpr int64_t kGap = 2;
constexpr Rgb kGapColour = {24, 24, 24};
constexpr Rgb kPlotBackground = {0, 0, 0};
constexpr Rgb kPlotBaseline = {96, 96, 96};
constexpr int64_t kPlotHeight = 16, kPlotMinWidth = 64;
// A 256-megapixel PNG is already more than any viewer will show; beyond it, fail with advice
// rather than exhaust memory.
constexpr int64_t kMaxPixels = int64_t{1} << 28;

void check_item(const Tensor& t, int64_t batch_index, std::string_view who) {
  if (t.shape.size() == 0 || t.data.size() != t.shape.size())
    throw UserError(fmt::format("{}: the tensor is empty, so there is nothing to draw", who));
  if (batch_index < 0 || batch_index >= t.shape.n)
    throw UserError(fmt::format("{}: batch index {} is out of range for a batch of {}", who, batch_index, t.shape.n));
}

// Rank 3 shows the middle depth slice; ranks 1 and 2 have d = 1.
int64_t shown_slice(const Tensor& t) { return t.shape.d / 2; }

// Maps a value to colormap position 0.5 + (v - centre) * scale. A zero scale (constant data,
// or nothing finite) puts everything at 0.5: mid-grey, never NaN.
struct Normaliser {
  double centre = 0, scale = 0;
  float operator()(float v) const { return static_cast<float>(0.5 + (static_cast<double>(v) - centre) * scale); }
};

Normaliser normaliser_for(std::pair<double, double> range) {
  const auto [lo, hi] = range;
  return {(lo + hi) / 2, hi > lo ? 1.0 / (hi - lo) : 0.0};
}

struct Layout {
  int64_t tile_w = 0, tile_h = 0;
  int64_t scale = 1;  // rank 2/3: pixels per element each way; rank 1: pixels per sample across
  int64_t cols = 0, rows = 0;
};

Layout make_layout(const Shape& s, const MosaicOptions& opts) {
  Layout l;
  const int64_t min_tile = std::max(opts.min_tile, 1);
  if (s.spatial_rank == 1) {
    l.scale = std::max<int64_t>(1, (kPlotMinWidth + s.w - 1) / s.w);
    l.tile_w = s.w * l.scale;
    l.tile_h = std::max(kPlotHeight, min_tile);
  } else {
    const int64_t small = std::min(s.h, s.w);
    l.scale = std::max<int64_t>(1, (min_tile + small - 1) / small);
    l.tile_w = s.w * l.scale;
    l.tile_h = s.h * l.scale;
  }
  l.cols = static_cast<int64_t>(std::ceil(std::sqrt(static_cast<double>(s.c))));
  l.rows = (s.c + l.cols - 1) / l.cols;
  return l;
}

Rgb8Image blank_image(int64_t w, int64_t h, Rgb fill, std::string_view who) {
  if (w > INT_MAX || h > INT_MAX || w * h > kMaxPixels)
    throw UserError(fmt::format("{}: the picture would be {}x{} pixels, too large to write; "
                                "lower the minimum tile size or show fewer channels", who, w, h));
  Rgb8Image img{static_cast<int>(w), static_cast<int>(h), {}};
  img.rgb.resize(static_cast<size_t>(w * h) * 3);
  for (size_t i = 0; i < img.rgb.size(); i += 3) std::copy(fill.begin(), fill.end(), img.rgb.begin() + i);
  return img;
}

void put(Rgb8Image& img, int64_t x, int64_t y, Rgb c) {
  std::copy(c.begin(), c.end(), img.rgb.begin() + static_cast<ptrdiff_t>((y * img.width + x) * 3));
}

void draw_image_tile(Rgb8Image& img, const Tensor& t, int64_t n, int64_t c, int64_t z, int64_t x0, int64_t y0,
                     const Layout& l, const Normaliser& norm, Colormap cmap) {
  for (int64_t ty = 0; ty < l.tile_h; ++ty)
    for (int64_t tx = 0; tx < l.tile_w; ++tx)
      put(img, x0 + tx, y0 + ty, colormap_rgb(cmap, norm(t.at(n, c, z, ty / l.scale, tx / l.scale))));
}

// Bars grow from the row where the value 0 falls (clamped into the tile), so signed signals
// read as above/below zero and all-positive ones as an ordinary bar chart.
void draw_plot_tile(Rgb8Image& img, const Tensor& t, int64_t n, int64_t c, int64_t x0, int64_t y0, const Layout& l,
                    const Normaliser& norm, Colormap cmap) {
  auto row_of = [&](float pos) {
    return static_cast<int64_t>(std::lround((1.0f - std::clamp(pos, 0.0f, 1.0f)) * static_cast<float>(l.tile_h - 1)));
  };
  for (int64_t ty = 0; ty < l.tile_h; ++ty)
    for (int64_t tx = 0; tx < l.tile_w; ++tx) put(img, x0 + tx, y0 + ty, kPlotBackground);
  const int64_t base = row_of(norm(0.0f));
  for (int64_t tx = 0; tx < l.tile_w; ++tx) put(img, x0 + tx, y0 + base, kPlotBaseline);
  for (int64_t x = 0; x < t.shape.w; ++x) {
    const float pos = norm(t.at(n, c, 0, 0, x));
    const int64_t top = row_of(pos);
    const Rgb colour = colormap_rgb(cmap, pos);
    for (int64_t ty = std::min(top, base); ty <= std::max(top, base); ++ty)
      for (int64_t tx = x * l.scale; tx < (x + 1) * l.scale; ++tx) put(img, x0 + tx, y0 + ty, colour);
  }
}

}  // namespace

// Infinities and NaN are left out of the range so one bad value does not flatten the rest.
std::pair<double, double> mosaic_range(const Tensor& t, int64_t batch_index, Colormap cmap) {
  check_item(t, batch_index, "feature mosaic");
  const int64_t z = shown_slice(t);
  double lo = INFINITY, hi = -INFINITY;
  for (int64_t c = 0; c < t.shape.c; ++c)
    for (int64_t y = 0; y < t.shape.h; ++y)
      for (int64_t x = 0; x < t.shape.w; ++x) {
        const float v = t.at(batch_index, c, z, y, x);
        if (!std::isfinite(v)) continue;
        lo = std::min(lo, static_cast<double>(v));
        hi = std::max(hi, static_cast<double>(v));
      }
  if (lo > hi) return {0.0, 0.0};
  if (cmap == Colormap::Diverging) {
    const double m = std::max(-lo, hi);
    return {-m, m};
  }
  return {lo, hi};
}

Rgb8Image feature_mosaic(const Tensor& t, int64_t batch_index, Colormap cmap, const MosaicOptions& opts) {
  check_item(t, batch_index, "feature mosaic");
  const Layout l = make_layout(t.shape, opts);
  const int64_t z = shown_slice(t);
  const Normaliser norm = normaliser_for(mosaic_range(t, batch_index, cmap));
  Rgb8Image img = blank_image(l.cols * l.tile_w + (l.cols - 1) * kGap, l.rows * l.tile_h + (l.rows - 1) * kGap,
                              kGapColour, "feature mosaic");
  for (int64_t c = 0; c < t.shape.c; ++c) {
    const int64_t x0 = (c % l.cols) * (l.tile_w + kGap), y0 = (c / l.cols) * (l.tile_h + kGap);
    if (t.shape.spatial_rank == 1)
      draw_plot_tile(img, t, batch_index, c, x0, y0, l, norm, cmap);
    else
      draw_image_tile(img, t, batch_index, c, z, x0, y0, l, norm, cmap);
  }
  return img;
}

Rgb8Image image_to_rgb8(const Tensor& t, int64_t batch_index) {
  check_item(t, batch_index, "input image");
  const Shape& s = t.shape;
  if (s.spatial_rank != 2 || s.c > 4)
    throw UserError(fmt::format("input image: a tensor of shape {} (channels_last) is not a picture; "
                                "expected (batch, rows, cols, channels) with 1 to 4 channels",
                                shape_string(s.keras(DataFormat::ChannelsLast))));
  Rgb8Image img = blank_image(s.w, s.h, {0, 0, 0}, "input image");
  auto byte = [](float v) { return static_cast<uint8_t>(std::lround((v >= 0.0f ? std::min(v, 1.0f) : 0.0f) * 255.0f)); };
  const bool colour = s.c >= 3;  // 2 channels are grey + alpha
  for (int64_t y = 0; y < s.h; ++y)
    for (int64_t x = 0; x < s.w; ++x) {
      const float r = t.at(batch_index, 0, 0, y, x);
      put(img, x, y, colour ? Rgb{byte(r), byte(t.at(batch_index, 1, 0, y, x)), byte(t.at(batch_index, 2, 0, y, x))}
                            : Rgb{byte(r), byte(r), byte(r)});
    }
  return img;
}

}  // namespace convscope
