#pragma once
// Pictures of tensors: a grid of per-channel tiles for a layer's output, and a plain rendering
// of an input image.
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
};

// One tile per channel of batch item `batch_index`, in a grid of ceil(sqrt(C)) columns with
// 2-pixel dark gaps between tiles. Colours are normalised over all shown values of that item,
// so channels can be compared; Diverging is normalised symmetrically so that 0 is white.
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
