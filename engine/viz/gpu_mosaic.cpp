#include "viz/gpu_mosaic.h"

#include <fmt/format.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "embedded_shaders.h"
#include "mosaic_params.h"
#include "vk/device_tensor.h"

namespace convscope {

static_assert(sizeof(gpu::MosaicParams) == shaders::mosaic_push_bytes, "mosaic_params.h and the SPIR-V disagree");
static_assert(sizeof(gpu::MosaicParams) == shaders::value_range_push_bytes, "mosaic_params.h and the SPIR-V disagree");

namespace {

constexpr uint32_t kRangeWorkgroup = 128;  // a power of two: value_range.comp reduces by halving
constexpr uint32_t kPixelWorkgroup = 64;
constexpr uint32_t kPerChannel = 0, kAcrossChannels = 1;  // value_range.comp's STAGE

void check_drawable(const Shape& s) {
  if (s.spatial_rank == 1)
    throw UserError("GPU feature mosaic: 1D signals are drawn as plots by feature_mosaic on the CPU");
  if (s.size() == 0) throw UserError("GPU feature mosaic: the tensor is empty, so there is nothing to draw");
  if (s.size() > UINT32_MAX)
    throw UserError(fmt::format(
        "GPU feature mosaic: a tensor of {} elements is too large to index in 32 bits; draw it with feature_mosaic",
        s.size()));
}

uint32_t packed_rgba(std::array<uint8_t, 3> c) { return c[0] | c[1] << 8 | c[2] << 16 | 0xFFu << 24; }

// The colours of the colormap's levels, then the gap colour, as mosaic.comp reads them. Built
// here from mosaic_colour so that GPU and CPU colours agree exactly; bit patterns travel in a
// float buffer untouched.
std::vector<float> packed_palette(Colormap cmap) {
  std::vector<float> out;
  for (int level = 0; level < kMosaicLevels; ++level)
    out.push_back(std::bit_cast<float>(packed_rgba(mosaic_colour(cmap, level))));
  out.push_back(std::bit_cast<float>(packed_rgba(kMosaicGapColour)));
  return out;
}

// Where record_gpu_mosaic's range records are, and which one each channel uses.
struct Ranges {
  const vk::Buffer* buffer = nullptr;
  uint32_t first = 0;        // channel 0's record
  bool per_channel = false;  // channel c uses record first + c
};

Ranges record_ranges(vk::Sequence& seq, const vk::Buffer& tensor, const gpu::MosaicParams& p, RangeMode mode,
                     std::pair<float, float> fixed) {
  const uint32_t channels = p.channels;
  if (mode == RangeMode::Fixed) {
    const float record[4] = {fixed.first, fixed.second, 1.0f, 0.0f};
    return {&seq.constant(record), 0, false};
  }
  const vk::Buffer& records = seq.scratch((VkDeviceSize{channels} + 1) * 16);
  auto& ctx = seq.context();
  const auto stage = [](uint32_t s) { return vk::workgroup_width(kRangeWorkgroup).set(MOSAIC_SPEC_STAGE, s); };
  seq.dispatch(ctx.pipeline(shaders::value_range, stage(kPerChannel)), {&tensor, &records}, p, channels,
               "feature mosaic (channel ranges)");
  if (mode == RangeMode::Channel) return {&records, 0, true};
  seq.dispatch(ctx.pipeline(shaders::value_range, stage(kAcrossChannels)), {&tensor, &records}, p, 1,
               "feature mosaic (layer range)");
  return {&records, channels, false};
}

}  // namespace

VkDeviceSize gpu_mosaic_bytes(const Shape& shape, const MosaicOptions& opts) {
  check_drawable(shape);
  const MosaicLayout l = mosaic_layout(shape, opts);
  return VkDeviceSize{4} * static_cast<VkDeviceSize>(l.width) * static_cast<VkDeviceSize>(l.height);
}

MosaicLayout record_gpu_mosaic(vk::Sequence& seq, const vk::Buffer& tensor, const Shape& shape, int64_t batch,
                               Colormap cmap, RangeMode mode, std::pair<float, float> fixed_range,
                               const vk::Buffer& rgba, const MosaicOptions& opts) {
  require_fp32_tensors(seq.context(), "GPU feature mosaic");
  check_drawable(shape);
  if (batch < 0 || batch >= shape.n)
    throw UserError(
        fmt::format("GPU feature mosaic: batch index {} is out of range for a batch of {}", batch, shape.n));
  const auto [fixed_lo, fixed_hi] = fixed_range;
  if (mode == RangeMode::Fixed && !(std::isfinite(fixed_lo) && std::isfinite(fixed_hi) && fixed_lo <= fixed_hi))
    throw UserError(fmt::format("GPU feature mosaic: the fixed colour range ({}, {}) must be finite with lo <= hi",
                                fixed_lo, fixed_hi));
  const MosaicLayout l = mosaic_layout(shape, opts);
  const VkDeviceSize pixels = static_cast<VkDeviceSize>(l.width) * static_cast<VkDeviceSize>(l.height);
  if (tensor.size() < shape.size() * sizeof(float) || rgba.size() < 4 * pixels)
    throw Error(fmt::format("internal: GPU feature mosaic given a {}-byte tensor and a {}-byte picture buffer, "
                            "needs {} and {}",
                            tensor.size(), rgba.size(), shape.size() * sizeof(float), 4 * pixels));

  const auto u = [](int64_t v) { return static_cast<uint32_t>(v); };
  const int64_t plane = shape.h * shape.w, shown_slice = shape.d / 2;
  gpu::MosaicParams p{};
  p.first = u(((batch * shape.c) * shape.d + shown_slice) * plane);
  p.channel_stride = u(shape.d * plane);
  p.plane_size = u(plane);
  p.channels = u(shape.c);
  p.tile_width = l.tile_w;
  p.tile_height = l.tile_h;
  p.scale = l.scale;
  p.gap = l.gap;
  p.columns = l.columns;
  p.width = l.width;
  p.map_width = static_cast<int32_t>(shape.w);
  p.step = l.step;
  const Ranges ranges = record_ranges(seq, tensor, p, mode, fixed_range);
  p.first_range = ranges.first;
  p.range_per_channel = ranges.per_channel ? 1 : 0;
  p.symmetric = cmap == Colormap::Diverging && mode != RangeMode::Fixed ? 1 : 0;
  p.pixels = u(static_cast<int64_t>(pixels));

  const std::vector<float> colours = packed_palette(cmap);
  seq.dispatch_elements(seq.context().pipeline(shaders::mosaic, vk::workgroup_width(kPixelWorkgroup)),
                        {&tensor, ranges.buffer, &seq.constant(colours), &rgba}, p, pixels, "feature mosaic");
  return l;
}

}  // namespace convscope
