#pragma once
// A colour bar with the value range under a feature mosaic, so a picture read on its own
// still says what its colours mean; and the tiny bitmap font that prints those numbers.
#include <array>
#include <cstdint>
#include <string_view>

#include "io/image.h"
#include "viz/colormap.h"

namespace convscope {

// Where things sit in the strip under the mosaic, in pixels from its top and sides.
struct LegendLayout {
  static constexpr int height = 28;
  static constexpr int margin = 4;  // left and right of the bar and its labels
  static constexpr int bar_top = 2, bar_height = 8;
  static constexpr int text_top = 12, text_scale = 2;
};

// `mosaic` with a strip of LegendLayout::height rows appended below: a horizontal bar of
// `cmap` from position 0 (leftmost bar column) to 1 (rightmost), labelled with `lo` under its
// left end and `hi` under its right end (%.3g), and for Diverging with "0" under the point
// where 0 falls. Pass the range from mosaic_range so the labels match the colours. A mosaic
// too narrow for the labels is centred on a wider strip rather than the numbers clipped.
// Throws Error when `mosaic`'s pixel data does not match its size.
Rgb8Image with_legend(const Rgb8Image& mosaic, Colormap cmap, double lo, double hi);

// Prints `text` with its top-left corner at (x, y) in a 5x7 pixel font, each font pixel drawn
// as a `scale` x `scale` square; glyphs advance 6 * scale. The font has digits, space and
// + - . , : ( ) e n a i f x; other characters print as a hollow box. Pixels that fall outside
// the image are skipped, so text may run off an edge.
void draw_text(Rgb8Image& img, int x, int y, std::string_view text, std::array<uint8_t, 3> colour, int scale = 1);

// The width in pixels that draw_text covers, without the trailing inter-glyph space.
int text_width(std::string_view text, int scale = 1);

}  // namespace convscope
