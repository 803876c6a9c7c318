#pragma once
// Colour maps that turn a normalised scalar into a display colour for feature maps.
#include <array>
#include <cstdint>
#include <string_view>

namespace convscope {

enum class Colormap {
  Gray,       // black -> white
  Viridis,    // perceptually uniform, readable in grey print and by most colour-blind viewers
  Magma,      // perceptually uniform, black -> purple -> cream
  Diverging,  // blue -> white -> red; t = 0.5 is white, for signed data centred on 0
};

// RGB colour at t in [0, 1]; t outside is clamped, NaN counts as 0.
std::array<uint8_t, 3> colormap_rgb(Colormap map, float t);

// "gray", "viridis", "magma" or "diverging"; throws UserError listing them otherwise.
Colormap parse_colormap(std::string_view name);
std::string_view to_string(Colormap map);

}  // namespace convscope
