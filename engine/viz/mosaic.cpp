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
constexpr Rgb kPlotBackground = {48, 48, 48};  // lighter than the gap, so plot tiles stand apart
constexpr Rgb kPlotBaseline = {128, 128, 128};
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

// Maps a value to a 1D plot's height, 0 (bottom) to 1 (top), as 0.5 + (v - centre) * scale. A
// zero scale (constant data, or nothing finite) puts everything at mid-height, never NaN.
struct Normaliser {
  double centre = 0, scale = 0;
  float operator()(float v) const { return static_cast<float>(0.5 + (static_cast<double>(v) - centre) * scale); }
};

Normaliser normaliser_for(std::pair<double, double> range) {
  const auto [lo, hi] = range;
  return {(lo + hi) / 2, hi > lo ? 1.0 / (hi - lo) : 0.0};
}

void check_picture_size(int64_t w, int64_t h, std::string_view who) {
  if (w > INT_MAX || h > INT_MAX || w * h > kMaxPixels)
    throw UserError(fmt::format("{}: the picture would be {}x{} pixels, too large to write; "
                                "lower the minimum tile size or show fewer channels", who, w, h));
}

Rgb8Image blank_image(int64_t w, int64_t h, Rgb fill, std::string_view who) {
  check_picture_size(w, h, who);
  Rgb8Image img{static_cast<int>(w), static_cast<int>(h), {}};
  img.rgb.resize(static_cast<size_t>(w * h) * 3);
  for (size_t i = 0; i < img.rgb.size(); i += 3) std::copy(fill.begin(), fill.end(), img.rgb.begin() + i);
  return img;
}

void put(Rgb8Image& img, int64_t x, int64_t y, Rgb c) {
  std::copy(c.begin(), c.end(), img.rgb.begin() + static_cast<ptrdiff_t>((y * img.width + x) * 3));
}

// The colour range as floats, the type mosaic_level compares in (the shader's precision); the
// range's ends are data values or their negations, so nothing is rounded.
struct LevelRange {
  float lo = 0, hi = 0;
  int operator()(float v) const { return mosaic_level(v, lo, hi); }
};

using Palette = std::array<Rgb, kMosaicLevels>;

Palette palette_for(Colormap cmap) {
  Palette p;
  for (int i = 0; i < kMosaicLevels; ++i) p[static_cast<size_t>(i)] = mosaic_colour(cmap, i);
  return p;
}

void draw_image_tile(Rgb8Image& img, const Tensor& t, int64_t n, int64_t c, int64_t z, int64_t x0, int64_t y0,
                     const MosaicLayout& l, const LevelRange& level, const Palette& palette) {
  for (int64_t ty = 0; ty < l.tile_h; ++ty)
    for (int64_t tx = 0; tx < l.tile_w; ++tx)
      put(img, x0 + tx, y0 + ty, palette[static_cast<size_t>(level(t.at(n, c, z, ty * l.step / l.scale, tx * l.step / l.scale)))]);
}

// Bars grow from the row where the value 0 falls (clamped into the tile), so signed signals
// read as above/below zero and all-positive ones as an ordinary bar chart.
void draw_plot_tile(Rgb8Image& img, const Tensor& t, int64_t n, int64_t c, int64_t x0, int64_t y0,
                    const MosaicLayout& l, const Normaliser& norm, const LevelRange& level, const Palette& palette) {
  auto row_of = [&](float pos) {
    return static_cast<int64_t>(std::lround((1.0f - std::clamp(pos, 0.0f, 1.0f)) * static_cast<float>(l.tile_h - 1)));
  };
  for (int64_t ty = 0; ty < l.tile_h; ++ty)
    for (int64_t tx = 0; tx < l.tile_w; ++tx) put(img, x0 + tx, y0 + ty, kPlotBackground);
  const int64_t base = row_of(norm(0.0f));
  for (int64_t tx = 0; tx < l.tile_w; ++tx) put(img, x0 + tx, y0 + base, kPlotBaseline);
  for (int64_t x = 0; x < t.shape.w; ++x) {
    const float v = t.at(n, c, 0, 0, x);
    const int64_t top = row_of(norm(v));
    const Rgb colour = palette[static_cast<size_t>(level(v))];
    for (int64_t ty = std::min(top, base); ty <= std::max(top, base); ++ty)
      for (int64_t tx = x * l.scale; tx < (x + 1) * l.scale; ++tx) put(img, x0 + tx, y0 + ty, colour);
  }
}

}  // namespace

MosaicLayout mosaic_layout(const Shape& s, const MosaicOptions& opts) {
  if (s.c <= 0 || s.h <= 0 || s.w <= 0 || s.d <= 0)
    throw UserError("feature mosaic: the tensor is empty, so there is nothing to draw");
  const int64_t min_tile = std::max(opts.min_tile, 1);
  int64_t scale = 1, step = 1, tile_w = 0, tile_h = 0;  // rank 2/3: pixels per element each way; rank 1: per sample across
  if (s.spatial_rank == 1) {
    scale = std::max<int64_t>(1, (kPlotMinWidth + s.w - 1) / s.w);
    tile_w = s.w * scale;
    tile_h = std::max(kPlotHeight, min_tile);
  } else {
    const int64_t small = std::min(s.h, s.w), large = std::max(s.h, s.w);
    if (opts.max_tile > 0 && large > opts.max_tile) {
      step = (large + opts.max_tile - 1) / opts.max_tile;
      tile_w = (s.w + step - 1) / step;
      tile_h = (s.h + step - 1) / step;
    } else {
      scale = std::max<int64_t>(1, (min_tile + small - 1) / small);
      tile_w = s.w * scale;
      tile_h = s.h * scale;
    }
  }
  const auto cols = static_cast<int64_t>(std::ceil(std::sqrt(static_cast<double>(s.c))));
  const int64_t rows = (s.c + cols - 1) / cols;
  const int64_t width = cols * tile_w + (cols - 1) * kGap, height = rows * tile_h + (rows - 1) * kGap;
  check_picture_size(width, height, "feature mosaic");  // also bounds every other field
  auto i = [](int64_t v) { return static_cast<int>(v); };
  return {i(tile_w), i(tile_h), i(scale), i(cols), i(rows), i(kGap), i(width), i(height), i(step)};
}

// Level i covers v - lo >= (hi - lo) (2i - 1) / 512. The thresholds rise with i, so the count
// of those reached is found by bisection; shaders/mosaic.comp repeats this step for step.
int mosaic_level(float v, float lo, float hi) {
  constexpr int top = kMosaicLevels - 1;
  if (std::isnan(v)) return 0;
  if (std::isinf(v)) return v > 0 ? top : 0;
  if (!(hi > lo)) return v > hi ? top : v < lo ? 0 : top / 2;
  const float offset = v - lo, span = hi - lo;
  int reached = 0, unreached = top + 1;  // level `reached` is certain, `unreached` ruled out
  while (unreached - reached > 1) {
    const int mid = (reached + unreached) / 2;
    const float threshold = static_cast<float>(2 * mid - 1) * (1.0f / (2 * top));  // exact: 2 top is 512
    if (offset >= span * threshold)
      reached = mid;
    else
      unreached = mid;
  }
  return reached;
}

std::array<uint8_t, 3> mosaic_colour(Colormap cmap, int level) {
  return colormap_rgb(cmap, static_cast<float>(level) / static_cast<float>(kMosaicLevels - 1));
}

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
  const MosaicLayout l = mosaic_layout(t.shape, opts);
  const int64_t z = shown_slice(t);
  const auto range = mosaic_range(t, batch_index, cmap);
  const LevelRange level{static_cast<float>(range.first), static_cast<float>(range.second)};
  const Palette palette = palette_for(cmap);
  const Normaliser height = normaliser_for(range);
  Rgb8Image img = blank_image(l.width, l.height, kMosaicGapColour, "feature mosaic");
  for (int64_t c = 0; c < t.shape.c; ++c) {
    const int64_t x0 = (c % l.columns) * (l.tile_w + l.gap), y0 = (c / l.columns) * (l.tile_h + l.gap);
    if (t.shape.spatial_rank == 1)
      draw_plot_tile(img, t, batch_index, c, x0, y0, l, height, level, palette);
    else
      draw_image_tile(img, t, batch_index, c, z, x0, y0, l, level, palette);
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
