#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "gpu.h"
#include "layer_check.h"
#include "vk/device_tensor.h"
#include "viz/gpu_mosaic.h"
#include "viz/mosaic.h"

using namespace convscope;

namespace {

using Pixels = std::vector<uint32_t>;  // RGBA8, R in the low byte
using ChannelRange = std::function<std::pair<float, float>(int64_t c)>;

uint32_t packed(std::array<uint8_t, 3> c) { return c[0] | c[1] << 8 | c[2] << 16 | 0xFFu << 24; }

Pixels packed(const Rgb8Image& img) {
  Pixels out;
  for (size_t i = 0; i < img.rgb.size(); i += 3) out.push_back(packed({img.rgb[i], img.rgb[i + 1], img.rgb[i + 2]}));
  return out;
}

struct GpuMosaic {
  MosaicLayout layout;
  Pixels pixels;
};

GpuMosaic gpu_mosaic(vk::Context& ctx, const Tensor& t, int64_t batch, Colormap cmap, RangeMode mode,
                     const MosaicOptions& opts, std::pair<float, float> fixed = {0.0f, 0.0f}) {
  const DeviceTensor input = to_device(ctx, t, "mosaic test");
  const vk::Buffer rgba(ctx, gpu_mosaic_bytes(t.shape, opts), vk::MemoryUse::Device);
  vk::Sequence seq(ctx);
  GpuMosaic out;
  out.layout = record_gpu_mosaic(seq, input.buffer, t.shape, batch, cmap, mode, fixed, rgba, opts);
  seq.submit();
  const size_t count = static_cast<size_t>(out.layout.width) * static_cast<size_t>(out.layout.height);
  for (float f : vk::download(ctx, rgba, count)) out.pixels.push_back(std::bit_cast<uint32_t>(f));
  test::require_validation_clean(ctx);
  return out;
}

GpuMosaic gpu_mosaic(const Tensor& t, int64_t batch, Colormap cmap, RangeMode mode, const MosaicOptions& opts,
                     std::pair<float, float> fixed = {0.0f, 0.0f}) {
  return gpu_mosaic(test::gpu(), t, batch, cmap, mode, opts, fixed);
}

// The mosaic drawn from the documented rules alone (mosaic_layout, mosaic_level, the gap
// colour), with each channel's colour range given: the reference for the modes feature_mosaic
// does not have.
Pixels cpu_mosaic(const Tensor& t, int64_t batch, Colormap cmap, const MosaicOptions& opts, const ChannelRange& range) {
  const MosaicLayout l = mosaic_layout(t.shape, opts);
  Pixels out(static_cast<size_t>(l.width) * static_cast<size_t>(l.height), packed(kMosaicGapColour));
  for (int64_t c = 0; c < t.shape.c; ++c) {
    const auto [lo, hi] = range(c);
    const int64_t x0 = (c % l.columns) * (l.tile_w + l.gap), y0 = (c / l.columns) * (l.tile_h + l.gap);
    for (int64_t y = 0; y < l.tile_h; ++y)
      for (int64_t x = 0; x < l.tile_w; ++x) {
        const float v = t.at(batch, c, t.shape.d / 2, y * l.step / l.scale, x * l.step / l.scale);
        out[static_cast<size_t>((y0 + y) * l.width + x0 + x)] = packed(mosaic_colour(cmap, mosaic_level(v, lo, hi)));
      }
  }
  return out;
}

// The finite min/max of one channel's shown map, symmetric about 0 for Diverging.
std::pair<float, float> channel_range(const Tensor& t, int64_t batch, int64_t c, Colormap cmap) {
  float lo = INFINITY, hi = -INFINITY;
  for (int64_t y = 0; y < t.shape.h; ++y)
    for (int64_t x = 0; x < t.shape.w; ++x) {
      const float v = t.at(batch, c, t.shape.d / 2, y, x);
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
  if (lo > hi) return {0.0f, 0.0f};
  if (cmap == Colormap::Diverging) return {-std::max(-lo, hi), std::max(-lo, hi)};
  return {lo, hi};
}

void require_same_pixels(const Pixels& actual, const Pixels& expected, const MosaicLayout& l) {
  REQUIRE(actual.size() == expected.size());
  const auto [a, e] = std::mismatch(actual.begin(), actual.end(), expected.begin());
  if (a == actual.end()) return;
  const auto i = a - actual.begin();
  FAIL("first differing pixel (" << i % l.width << ", " << i / l.width << "): 0x" << std::hex << *a << " instead of 0x"
                                 << *e);
}

Shape shape_2d(int64_t n, int64_t c, int64_t h, int64_t w) {
  Shape s;
  s.n = n, s.c = c, s.h = h, s.w = w;
  return s;
}

struct Case {
  std::string name;
  Shape shape;
  int64_t batch = 0;
  MosaicOptions opts;
};

std::vector<Case> awkward_cases() {
  Shape volume = shape_2d(1, 3, 4, 6);
  volume.d = 5, volume.spatial_rank = 3;
  return {
      {"1 channel, no enlarging", shape_2d(1, 1, 7, 9), 0, {.min_tile = 1}},
      {"3 channels enlarged x8", shape_2d(1, 3, 5, 4), 0, {}},
      {"5 tiny 3x3 maps, one empty cell", shape_2d(1, 5, 3, 3), 0, {.min_tile = 20}},
      {"16 channels", shape_2d(1, 16, 12, 10), 0, {.min_tile = 16}},
      {"1x1 maps", shape_2d(1, 7, 1, 1), 0, {.min_tile = 3}},
      {"3D, middle slice", volume, 0, {.min_tile = 8}},
      {"item 1 of a batch of 2", shape_2d(2, 5, 6, 7), 1, {.min_tile = 12}},
      {"large maps subsampled to 16 pixels", shape_2d(1, 3, 37, 50), 0, {.min_tile = 8, .max_tile = 16}},
  };
}

}  // namespace

TEST_CASE("maps larger than max_tile show every step-th element", "[mosaic]") {
  const MosaicLayout l = mosaic_layout(shape_2d(1, 2, 37, 50), {.min_tile = 8, .max_tile = 16});
  CHECK(l.step == 4);  // ceil(50 / 16)
  CHECK(l.scale == 1);
  CHECK(l.tile_w == 13);  // ceil(50 / 4)
  CHECK(l.tile_h == 10);  // ceil(37 / 4)
  CHECK(mosaic_layout(shape_2d(1, 2, 10, 12), {.min_tile = 8, .max_tile = 16}).step == 1);
}

TEST_CASE("mosaic_layout is the layout feature_mosaic draws", "[mosaic]") {
  const MosaicLayout l = mosaic_layout(shape_2d(1, 5, 7, 9));  // 7x9 grows x5 to reach 32 pixels
  CHECK((l.tile_w == 45 && l.tile_h == 35 && l.scale == 5 && l.columns == 3 && l.rows == 2 && l.gap == 2));
  CHECK((l.width == 3 * 45 + 2 * 2 && l.height == 2 * 35 + 2));
  for (const Case& k : awkward_cases()) {
    INFO(k.name);
    const Rgb8Image img = feature_mosaic(test::random_tensor(k.shape, 1), k.batch, Colormap::Gray, k.opts);
    const MosaicLayout m = mosaic_layout(k.shape, k.opts);
    CHECK((m.width == img.width && m.height == img.height));
  }
  REQUIRE_THROWS_AS(mosaic_layout(shape_2d(1, 0, 3, 3)), UserError);
  REQUIRE_THROWS_WITH(mosaic_layout(shape_2d(1, 4, 100000, 100000)), Catch::Contains("too large"));
}

TEST_CASE("mosaic_level rounds 256 (v - lo) / (hi - lo) halves up, and keeps 0 white", "[mosaic]") {
  CHECK(mosaic_level(0.0f, 0.0f, 256.0f) == 0);
  CHECK(mosaic_level(0.49f, 0.0f, 256.0f) == 0);
  CHECK(mosaic_level(0.5f, 0.0f, 256.0f) == 1);
  CHECK(mosaic_level(127.5f, 0.0f, 256.0f) == 128);
  CHECK(mosaic_level(255.5f, 0.0f, 256.0f) == 256);
  CHECK(mosaic_level(-3.0f, 0.0f, 256.0f) == 0);
  CHECK(mosaic_level(1e30f, 0.0f, 256.0f) == 256);
  CHECK(mosaic_level(0.0f, -2.0f, 2.0f) == 128);
  CHECK(mosaic_colour(Colormap::Diverging, mosaic_level(0.0f, -2.0f, 2.0f)) == std::array<uint8_t, 3>{255, 255, 255});
  CHECK(mosaic_level(NAN, 0.0f, 1.0f) == 0);
  CHECK(mosaic_level(INFINITY, 0.0f, 1.0f) == 256);
  CHECK(mosaic_level(-INFINITY, 0.0f, 1.0f) == 0);
  CHECK(mosaic_level(2.0f, 2.0f, 2.0f) == 128);  // constant data: the middle
  CHECK(mosaic_level(3.0f, 2.0f, 2.0f) == 256);
  CHECK(mosaic_level(1.0f, 2.0f, 2.0f) == 0);
}

TEST_CASE("the GPU mosaic is feature_mosaic, pixel for pixel", "[mosaic][gpu]") {
  for (const Case& k : awkward_cases())
    for (Colormap cmap : {Colormap::Gray, Colormap::Viridis, Colormap::Diverging}) {
      INFO(k.name << ", " << to_string(cmap));
      const Tensor t = test::random_tensor(k.shape, 17);
      const GpuMosaic gpu = gpu_mosaic(t, k.batch, cmap, RangeMode::Layer, k.opts);
      const Rgb8Image cpu = feature_mosaic(t, k.batch, cmap, k.opts);
      REQUIRE((gpu.layout.width == cpu.width && gpu.layout.height == cpu.height));
      require_same_pixels(gpu.pixels, packed(cpu), gpu.layout);
    }
}

TEST_CASE("the GPU mosaic is unchanged when its grids are folded", "[mosaic][gpu]") {
  vk::ContextOptions options = test::gpu_options();
  options.max_workgroup_count_override = 4;  // 20 channels, 49 pixel groups: both fold
  vk::Context ctx(options);
  const Tensor t = test::random_tensor(shape_2d(1, 20, 5, 6), 31);
  for (RangeMode mode : {RangeMode::Layer, RangeMode::Channel}) {
    const GpuMosaic gpu = gpu_mosaic(ctx, t, 0, Colormap::Viridis, mode, {.min_tile = 10});
    const Pixels expected =
        mode == RangeMode::Layer
            ? packed(feature_mosaic(t, 0, Colormap::Viridis, {.min_tile = 10}))
            : cpu_mosaic(t, 0, Colormap::Viridis, {.min_tile = 10},
                         [&](int64_t c) { return channel_range(t, 0, c, Colormap::Viridis); });
    require_same_pixels(gpu.pixels, expected, gpu.layout);
  }
}

TEST_CASE("the GPU mosaic agrees on level boundaries and leaves NaN and infinities out of the range", "[mosaic][gpu]") {
  // Halves of 0..256 over the range [0, 256] fall exactly on the thresholds between levels.
  Tensor t(shape_2d(1, 2, 16, 17));
  for (size_t i = 0; i < t.data.size(); ++i) t.data[i] = static_cast<float>(i % 513) / 2.0f;
  for (Colormap cmap : {Colormap::Gray, Colormap::Viridis, Colormap::Diverging}) {
    INFO(to_string(cmap));
    const GpuMosaic gpu = gpu_mosaic(t, 0, cmap, RangeMode::Layer, {.min_tile = 1});
    require_same_pixels(gpu.pixels, packed(feature_mosaic(t, 0, cmap, {.min_tile = 1})), gpu.layout);
  }
  Tensor odd = test::random_tensor(shape_2d(1, 3, 5, 6), 5);
  odd.data[0] = NAN, odd.data[7] = INFINITY, odd.data[40] = -INFINITY;
  for (size_t i = 60; i < 90; ++i) odd.data[i] = NAN;  // channel 2: nothing finite at all
  for (RangeMode mode : {RangeMode::Layer, RangeMode::Channel}) {
    const GpuMosaic gpu = gpu_mosaic(odd, 0, Colormap::Viridis, mode, {.min_tile = 1});
    const Pixels expected =
        mode == RangeMode::Layer
            ? packed(feature_mosaic(odd, 0, Colormap::Viridis, {.min_tile = 1}))
            : cpu_mosaic(odd, 0, Colormap::Viridis, {.min_tile = 1},
                         [&](int64_t c) { return channel_range(odd, 0, c, Colormap::Viridis); });
    require_same_pixels(gpu.pixels, expected, gpu.layout);
  }
}

TEST_CASE("the GPU mosaic colours each channel over its own range or a fixed one", "[mosaic][gpu]") {
  for (const Case& k : awkward_cases())
    for (Colormap cmap : {Colormap::Gray, Colormap::Viridis, Colormap::Diverging}) {
      INFO(k.name << ", " << to_string(cmap));
      Tensor t = test::random_tensor(k.shape, 23);
      for (int64_t c = 0; c < t.shape.c; ++c)  // channels of very different spread
        for (int64_t z = 0; z < t.shape.d; ++z)
          for (int64_t y = 0; y < t.shape.h; ++y)
            for (int64_t x = 0; x < t.shape.w; ++x) t.at(k.batch, c, z, y, x) *= static_cast<float>(c + 1);

      const GpuMosaic own = gpu_mosaic(t, k.batch, cmap, RangeMode::Channel, k.opts);
      const auto own_range = [&](int64_t c) { return channel_range(t, k.batch, c, cmap); };
      require_same_pixels(own.pixels, cpu_mosaic(t, k.batch, cmap, k.opts, own_range), own.layout);

      const std::pair<float, float> fixed = {-0.25f, 1.5f};  // used as given, also for Diverging
      const GpuMosaic given = gpu_mosaic(t, k.batch, cmap, RangeMode::Fixed, k.opts, fixed);
      require_same_pixels(given.pixels, cpu_mosaic(t, k.batch, cmap, k.opts, [&](int64_t) { return fixed; }),
                          given.layout);
    }
}

TEST_CASE("the GPU mosaic draws constant data in mid grey and gaps dark grey", "[mosaic][gpu]") {
  Tensor flat(shape_2d(1, 3, 4, 4));
  std::fill(flat.data.begin(), flat.data.end(), 2.5f);
  const uint32_t grey = packed({128, 128, 128}), gap = packed(kMosaicGapColour);
  for (RangeMode mode : {RangeMode::Layer, RangeMode::Channel, RangeMode::Fixed}) {
    const GpuMosaic gpu = gpu_mosaic(flat, 0, Colormap::Gray, mode, {.min_tile = 1}, {2.5f, 2.5f});
    const MosaicLayout& l = gpu.layout;
    REQUIRE((l.width == 2 * 4 + 2 && l.height == 2 * 4 + 2));
    CHECK(gpu.pixels[0] == grey);
    CHECK(gpu.pixels[static_cast<size_t>(9 * l.width + 3)] == grey);  // channel 2, bottom left
    CHECK(gpu.pixels[static_cast<size_t>(0 * l.width + 4)] == gap);   // between channels 0 and 1
    CHECK(gpu.pixels[static_cast<size_t>(9 * l.width + 9)] == gap);   // the unused fourth cell
  }
}

TEST_CASE("the GPU mosaic refuses what it cannot draw", "[mosaic][gpu]") {
  vk::Context& ctx = test::gpu();
  const Shape s = shape_2d(2, 3, 4, 4);
  const vk::Buffer tensor(ctx, s.size() * sizeof(float), vk::MemoryUse::Device);
  const vk::Buffer rgba(ctx, gpu_mosaic_bytes(s), vk::MemoryUse::Device);
  vk::Sequence seq(ctx);
  auto record = [&](const Shape& shape, int64_t batch, RangeMode mode, std::pair<float, float> fixed,
                    const vk::Buffer& out) {
    return record_gpu_mosaic(seq, tensor, shape, batch, Colormap::Gray, mode, fixed, out);
  };
  REQUIRE_THROWS_WITH(record(s, 2, RangeMode::Layer, {}, rgba), Catch::Contains("batch index 2"));
  REQUIRE_THROWS_WITH(record(s, 0, RangeMode::Fixed, {1.0f, 0.0f}, rgba), Catch::Contains("lo <= hi"));
  REQUIRE_THROWS_AS(record(s, 0, RangeMode::Fixed, {0.0f, INFINITY}, rgba), UserError);
  Shape signal = s;
  signal.h = 1, signal.spatial_rank = 1;
  REQUIRE_THROWS_WITH(gpu_mosaic_bytes(signal), Catch::Contains("1D"));
  REQUIRE_THROWS_WITH(record(signal, 0, RangeMode::Layer, {}, rgba), Catch::Contains("CPU"));
  const vk::Buffer small(ctx, 64, vk::MemoryUse::Device);
  REQUIRE_THROWS_AS(record(s, 0, RangeMode::Layer, {}, small), Error);
  test::require_validation_clean(ctx);
}
