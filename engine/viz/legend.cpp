#include "viz/legend.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"
#include "core/format.h"

namespace convscope {

namespace {

using Rgb = std::array<uint8_t, 3>;

constexpr int kGlyphW = 5, kGlyphH = 7, kAdvance = kGlyphW + 1;
// The strip matches the mosaic's gaps, so the legend reads as part of the same picture.
constexpr Rgb kBackground = {24, 24, 24};
constexpr Rgb kTextColour = {235, 235, 235};

// Rows top to bottom; bit 4 is the leftmost column.
struct Glyph {
  char c;
  std::array<uint8_t, kGlyphH> rows;
};

constexpr Glyph kFont[] = {
    {'0', {0b01110, 0b10001, 0b10011, 0b10101, 0b11001, 0b10001, 0b01110}},
    {'1', {0b00100, 0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110}},
    {'2', {0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111}},
    {'3', {0b11111, 0b00010, 0b00100, 0b00010, 0b00001, 0b10001, 0b01110}},
    {'4', {0b00010, 0b00110, 0b01010, 0b10010, 0b11111, 0b00010, 0b00010}},
    {'5', {0b11111, 0b10000, 0b11110, 0b00001, 0b00001, 0b10001, 0b01110}},
    {'6', {0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110}},
    {'7', {0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b01000, 0b01000}},
    {'8', {0b01110, 0b10001, 0b10001, 0b01110, 0b10001, 0b10001, 0b01110}},
    {'9', {0b01110, 0b10001, 0b10001, 0b01111, 0b00001, 0b00010, 0b01100}},
    {' ', {0, 0, 0, 0, 0, 0, 0}},
    {'+', {0b00000, 0b00100, 0b00100, 0b11111, 0b00100, 0b00100, 0b00000}},
    {'-', {0b00000, 0b00000, 0b00000, 0b11111, 0b00000, 0b00000, 0b00000}},
    {'.', {0b00000, 0b00000, 0b00000, 0b00000, 0b00000, 0b01100, 0b01100}},
    {',', {0b00000, 0b00000, 0b00000, 0b00000, 0b01100, 0b00100, 0b01000}},
    {':', {0b00000, 0b01100, 0b01100, 0b00000, 0b01100, 0b01100, 0b00000}},
    {'(', {0b00010, 0b00100, 0b01000, 0b01000, 0b01000, 0b00100, 0b00010}},
    {')', {0b01000, 0b00100, 0b00010, 0b00010, 0b00010, 0b00100, 0b01000}},
    {'e', {0b00000, 0b00000, 0b01110, 0b10001, 0b11111, 0b10000, 0b01110}},
    {'n', {0b00000, 0b00000, 0b10110, 0b11001, 0b10001, 0b10001, 0b10001}},
    {'a', {0b00000, 0b00000, 0b01110, 0b00001, 0b01111, 0b10001, 0b01111}},
    {'i', {0b00100, 0b00000, 0b01100, 0b00100, 0b00100, 0b00100, 0b01110}},
    {'f', {0b00110, 0b01001, 0b01000, 0b11100, 0b01000, 0b01000, 0b01000}},
    {'x', {0b00000, 0b00000, 0b10001, 0b01010, 0b00100, 0b01010, 0b10001}},
};
constexpr std::array<uint8_t, kGlyphH> kMissingGlyph = {0b11111, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b11111};

const std::array<uint8_t, kGlyphH>& glyph_rows(char c) {
  for (const Glyph& g : kFont)
    if (g.c == c) return g.rows;
  return kMissingGlyph;
}

void fill_rect(Rgb8Image& img, int x0, int y0, int w, int h, Rgb colour) {
  for (int y = std::max(y0, 0); y < std::min(y0 + h, img.height); ++y)
    for (int x = std::max(x0, 0); x < std::min(x0 + w, img.width); ++x)
      std::copy(colour.begin(), colour.end(), img.rgb.begin() + (static_cast<ptrdiff_t>(y) * img.width + x) * 3);
}

}  // namespace

int text_width(std::string_view text, int scale) {
  return text.empty() ? 0 : (static_cast<int>(text.size()) * kAdvance - 1) * scale;
}

void draw_text(Rgb8Image& img, int x, int y, std::string_view text, std::array<uint8_t, 3> colour, int scale) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto& rows = glyph_rows(text[i]);
    const int gx = x + static_cast<int>(i) * kAdvance * scale;
    for (int r = 0; r < kGlyphH; ++r)
      for (int col = 0; col < kGlyphW; ++col)
        if (rows[static_cast<size_t>(r)] & (1u << (kGlyphW - 1 - col)))
          fill_rect(img, gx + col * scale, y + r * scale, scale, scale, colour);
  }
}

Rgb8Image with_legend(const Rgb8Image& mosaic, Colormap cmap, double lo, double hi) {
  using L = LegendLayout;
  const size_t expected = static_cast<size_t>(mosaic.width) * static_cast<size_t>(mosaic.height) * 3;
  if (mosaic.width < 0 || mosaic.height < 0 || mosaic.rgb.size() != expected)
    throw Error(fmt::format("legend: a {}x{} image cannot hold {} bytes of RGB data (expected {})", mosaic.width,
                            mosaic.height, mosaic.rgb.size(), expected));

  const std::string lo_text = short_number(lo), hi_text = short_number(hi);
  const int s = L::text_scale, gap = kAdvance * s;
  const int needed = 2 * L::margin + text_width(lo_text, s) + gap + text_width("0", s) + gap + text_width(hi_text, s);
  Rgb8Image out{std::max(mosaic.width, needed), mosaic.height + L::height, {}};
  out.rgb.resize(static_cast<size_t>(out.width) * static_cast<size_t>(out.height) * 3);
  fill_rect(out, 0, 0, out.width, out.height, kBackground);
  const int left = (out.width - mosaic.width) / 2;
  for (int y = 0; y < mosaic.height; ++y)
    std::copy_n(mosaic.rgb.begin() + static_cast<ptrdiff_t>(y) * mosaic.width * 3, mosaic.width * 3,
                out.rgb.begin() + (static_cast<ptrdiff_t>(y) * out.width + left) * 3);

  const int bar_x = L::margin, bar_w = out.width - 2 * L::margin, top = mosaic.height;
  for (int x = 0; x < bar_w; ++x) {
    const float t = bar_w > 1 ? static_cast<float>(x) / static_cast<float>(bar_w - 1) : 0.0f;
    fill_rect(out, bar_x + x, top + L::bar_top, 1, L::bar_height, colormap_rgb(cmap, t));
  }

  const int text_y = top + L::text_top;
  const int lo_end = bar_x + text_width(lo_text, s), hi_start = bar_x + bar_w - text_width(hi_text, s);
  draw_text(out, bar_x, text_y, lo_text, kTextColour, s);
  draw_text(out, hi_start, text_y, hi_text, kTextColour, s);
  // Diverging puts white at 0; marking where 0 falls says so without a caption. It is left
  // out when it would collide with the end labels (a range that barely crosses 0).
  if (cmap == Colormap::Diverging && lo < 0 && hi > 0) {
    const double at = static_cast<double>(bar_x) + (-lo / (hi - lo)) * static_cast<double>(bar_w - 1);
    const int zero_x = static_cast<int>(std::lround(at)) - text_width("0", s) / 2;
    if (zero_x >= lo_end + s * 2 && zero_x + text_width("0", s) <= hi_start - s * 2)
      draw_text(out, zero_x, text_y, "0", kTextColour, s);
  }
  return out;
}

}  // namespace convscope
