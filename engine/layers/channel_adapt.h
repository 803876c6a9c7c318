#pragma once
// A layer's weights carried across a change of its input's channel count between C and 1
// (an image switched to grayscale and back), so that the filter keeps its meaning instead of
// being replaced by random ones. On a grayscale image every channel of the RGB version holds
// the same values, so a kernel that sums over input channels does exactly the same on one
// channel with its taps summed; back from 1 to C, each channel takes 1/C of the taps, which
// is the filter applied to the channels' mean. Kernels that read one channel per output
// (depthwise) take the channels' mean going to 1, and are repeated going to C: exact for the
// usual kernels that agree across channels (a blur), and for a separable layer's pointwise
// half, which sums, whenever its depthwise half is.
#include <optional>
#include <vector>

#include "layers/layer.h"

namespace convscope {

// `weights` (fitting some input with C or 1 channels) made to fit `input`, or nullopt when the
// change is not between C and 1 channels or the layer's hints do not say how its arrays
// read channels.
std::optional<std::vector<NdArray>> adapt_to_channels(const Layer& layer, const std::vector<NdArray>& weights,
                                                      const Shape& input);

}  // namespace convscope
