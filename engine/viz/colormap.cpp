#include "viz/colormap.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <span>
#include <utility>

#include "core/error.h"

namespace convscope {

namespace {

using Rgb = std::array<uint8_t, 3>;

// Anchors at t = i / 16, read off matplotlib's viridis and magma. Linear interpolation between
// 17 points stays within a couple of levels of the 256-entry originals, which is all a
// feature-map preview needs.
constexpr Rgb kViridis[] = {
    {68, 1, 84},    {72, 24, 106},  {71, 45, 123},  {66, 64, 134},  {59, 82, 139},   {51, 99, 141},
    {44, 114, 142}, {38, 130, 142}, {33, 145, 140}, {31, 160, 136}, {40, 174, 128},  {63, 188, 115},
    {94, 201, 98},  {132, 212, 75}, {173, 220, 48}, {216, 226, 25}, {253, 231, 37},
};
constexpr Rgb kMagma[] = {
    {0, 0, 4},       {10, 8, 34},    {29, 17, 71},    {54, 16, 107},   {81, 18, 124},  {106, 28, 129},
    {131, 38, 129},  {156, 46, 127}, {183, 55, 121},  {208, 65, 111},  {231, 82, 99},  {245, 107, 92},
    {252, 137, 97},  {254, 167, 114}, {254, 196, 136}, {253, 226, 163}, {252, 253, 191},
};
// ColorBrewer's RdBu, reversed so that negative is blue, with its off-white centre made pure
// white: zero should read as "nothing here".
constexpr Rgb kDiverging[] = {
    {5, 48, 97},     {33, 102, 172}, {67, 147, 195}, {146, 197, 222}, {209, 229, 240}, {255, 255, 255},
    {253, 219, 199}, {244, 165, 130}, {214, 96, 77},  {178, 24, 43},   {103, 0, 31},
};

Rgb interpolate(std::span<const Rgb> anchors, float t) {
  const float pos = t * static_cast<float>(anchors.size() - 1);
  const size_t i = std::min(static_cast<size_t>(pos), anchors.size() - 2);
  const float f = pos - static_cast<float>(i);
  Rgb out;
  for (int k = 0; k < 3; ++k) {
    const float a = anchors[i][k], b = anchors[i + 1][k];
    out[k] = static_cast<uint8_t>(std::lround(a + (b - a) * f));
  }
  return out;
}

constexpr std::pair<Colormap, std::string_view> kNames[] = {
    {Colormap::Gray, "gray"}, {Colormap::Viridis, "viridis"}, {Colormap::Magma, "magma"}, {Colormap::Diverging, "diverging"}};

}  // namespace

std::array<uint8_t, 3> colormap_rgb(Colormap map, float t) {
  t = t >= 0.0f ? std::min(t, 1.0f) : 0.0f;  // written so that NaN lands on 0
  switch (map) {
    case Colormap::Gray: {
      const auto v = static_cast<uint8_t>(std::lround(t * 255.0f));
      return {v, v, v};
    }
    case Colormap::Viridis: return interpolate(kViridis, t);
    case Colormap::Magma: return interpolate(kMagma, t);
    case Colormap::Diverging: return interpolate(kDiverging, t);
  }
  return {0, 0, 0};
}

Colormap parse_colormap(std::string_view name) {
  for (const auto& [map, n] : kNames)
    if (n == name) return map;
  throw UserError(fmt::format("unknown colormap \"{}\"; choose one of: gray, viridis, magma, diverging", name));
}

std::string_view to_string(Colormap map) {
  for (const auto& [m, n] : kNames)
    if (m == map) return n;
  return "unknown";
}

}  // namespace convscope
