#pragma once
// Pictures of tensors: a grid of per-channel tiles for a layer's output, and a plain rendering
// of an input image.
#include <array>
#include <cstdint>
#include <utility>

#include "core/tensor.h"
#include "io/image.h"
#include "viz/colormap.h"

namespace convscope {

struct MosaicOptions {
  // Tiles are enlarged by a whole factor (nearest neighbour) until their smaller side reaches
  // this many pixels, so a 3x3 feature map is still visible; 1D plot tiles are this tall.
  int min_tile = 32;
  // 0: every element gets its own pixel. Otherwise 2D/3D maps longer than this on a side show
  // every step-th element, so a live view colours what it can display, not every element.
  int max_tile = 0;
};

// Where feature_mosaic puts things, in pixels: `columns` = ceil(sqrt(C)) by `rows` tiles of
// tile_w x tile_h with `gap` pixels of kMosaicGapColour between them (none around the edge).
// Rank 2 and 3 tiles are the H x W map enlarged `scale` times each way, nearest neighbour;
// rank 1 tiles are plots `scale` pixels per sample wide. The GPU mosaic shares it.
struct MosaicLayout {
  int tile_w = 0, tile_h = 0, scale = 1, columns = 0, rows = 0, gap = 0, width = 0, height = 0;
  // Tile pixel (ty, tx) shows element (ty * step / scale, tx * step / scale): step > 1 shows
  // every step-th element of maps larger than MosaicOptions::max_tile (the app's textures).
  int step = 1;
};
// Throws UserError for a shape without elements or a picture too large to make.
MosaicLayout mosaic_layout(const Shape& s, const MosaicOptions& opts = {});

inline constexpr std::array<uint8_t, 3> kMosaicGapColour = {24, 24, 24};

// Mosaics colour each value with one of kMosaicLevels levels of the colormap, level i being
// the colour at position i / 256. The count is odd so that the middle of a range (0 for
// Diverging, or constant data) has a level of its own.
inline constexpr int kMosaicLevels = 257;

// The level of `v` in the colour range [lo, hi]: round(256 (v - lo) / (hi - lo)), halves up,
// clamped to [0, 256]; NaN gets 0 and, when lo == hi, values above / at / below get the top /
// middle / bottom level. It is decided by comparing v - lo with (hi - lo) (2i - 1) / 512,
// never by dividing: Vulkan guarantees correct rounding for subtraction and multiplication
// but not for division, and shaders/mosaic.comp must pick the same level for every value.
int mosaic_level(float v, float lo, float hi);
std::array<uint8_t, 3> mosaic_colour(Colormap cmap, int level);

// One tile per channel of batch item `batch_index`, in a grid of ceil(sqrt(C)) columns with
// 2-pixel dark gaps between tiles (mosaic_layout). Colours are normalised over all shown
// values of that item (mosaic_range), so channels can be compared, and quantised to the
// levels of mosaic_level; Diverging is normalised symmetrically so that 0 is white.
// Rank 2 tiles are H x W images, rank 3 tiles show the middle depth slice, rank 1 tiles are
// bar plots of each channel's signal.
// Throws UserError for an out-of-range batch index or an empty tensor.
Rgb8Image feature_mosaic(const Tensor& t, int64_t batch_index, Colormap cmap, const MosaicOptions& opts = {});

// The values that feature_mosaic maps to colormap positions 0 and 1 for batch item
// `batch_index`: the finite minimum and maximum of the shown values, or (-m, m) with m the
// largest magnitude for Diverging, so that 0 sits at the white centre. Constant data gives
// lo == hi (drawn as mid-colour); no finite value gives (0, 0). feature_mosaic normalises
// with exactly this range, so a legend built from it labels the colours truthfully.
// Throws UserError as feature_mosaic does.
std::pair<double, double> mosaic_range(const Tensor& t, int64_t batch_index, Colormap cmap);

// Renders batch item `batch_index` of a 2D tensor holding an image with values in [0, 1]
// (clamped): 1 channel as grey, 3 as RGB, 2 or 4 with the alpha channel ignored.
Rgb8Image image_to_rgb8(const Tensor& t, int64_t batch_index);

}  // namespace convscope
