#pragma once
// The (before, after) amounts per spatial axis that Cropping* and ZeroPadding* take, in every
// form Keras accepted: int; pair (1D); per-axis items that are ints or pairs, mixed (2D/3D);
// the Keras 1 dicts {left_pad, right_pad} and {top_pad, bottom_pad, left_pad, right_pad};
// and Keras 1's flat ZeroPadding2D 4-tuple (top, bottom, left, right).
#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <string_view>

#include "layers/config_reader.h"

namespace convscope {

struct SidePair {
  int64_t before = 0, after = 0;
};

// Axes in Keras order (D, H, W for 3D); negative values are refused.
std::array<SidePair, 3> parse_side_pairs(const ConfigReader& cfg, std::string_view key, int spatial_rank);

}  // namespace convscope
