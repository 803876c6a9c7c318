#include "io/image_prep.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/error.h"

namespace convscope {

namespace {

std::string_view channel_kind(int64_t c) {
  switch (c) {
    case 1: return "grey";
    case 2: return "grey+alpha";
    case 3: return "RGB";
    case 4: return "RGBA";
  }
  return "multi-channel";
}

float luminance(const float* p) { return 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2]; }

struct Conversion {
  int64_t from, to;
  std::string_view how;
  void (*pixel)(const float* in, float* out);
};

// Alpha is dropped rather than composited: a Keras pipeline that loads RGBA with
// color_mode="rgb" discards it the same way.
constexpr Conversion kConversions[] = {
    {2, 1, "alpha dropped", [](const float* in, float* out) { out[0] = in[0]; }},
    {3, 1, "luminance", [](const float* in, float* out) { out[0] = luminance(in); }},
    {4, 1, "alpha dropped, luminance", [](const float* in, float* out) { out[0] = luminance(in); }},
    {1, 3, "grey copied to R, G and B", [](const float* in, float* out) { out[0] = out[1] = out[2] = in[0]; }},
    {2, 3, "alpha dropped, grey copied to R, G and B", [](const float* in, float* out) { out[0] = out[1] = out[2] = in[0]; }},
    {4, 3, "alpha dropped", [](const float* in, float* out) { std::copy(in, in + 3, out); }},
};

void check_input(const NdArray& a, const ImagePrep& prep, std::string_view name) {
  const bool image_shaped = a.rank() == 4 && a.shape[0] == 1 && a.shape[1] > 0 && a.shape[2] > 0 && a.shape[3] > 0 &&
                            a.data.size() == NdArray::element_count(a.shape);
  if (!image_shaped)
    throw UserError(fmt::format("{}: expected a decoded image of shape (1, rows, cols, channels), got {}", name,
                                shape_string(a.shape)));
  if (prep.channels < 0 || prep.height < 0 || prep.width < 0)
    throw UserError(fmt::format("{}: the model input asks for {} channels at {}x{}; none of these may be negative",
                                name, prep.channels, prep.width, prep.height));
}

void convert_channels(PreparedImage& img, int64_t to, std::string_view name) {
  const int64_t from = img.array.shape[3];
  if (to == 0 || to == from) return;
  const auto it = std::find_if(std::begin(kConversions), std::end(kConversions),
                               [&](const Conversion& c) { return c.from == from && c.to == to; });
  if (it == std::end(kConversions))
    throw UserError(fmt::format("{}: the model's input takes {} channels but the image has {}; only grey, grey+alpha, "
                                "RGB and RGBA images convert automatically to 1 or 3 channels, so supply a {}-channel "
                                "image", name, to, from, to));
  NdArray out({1, img.array.shape[1], img.array.shape[2], to});
  const size_t pixels = out.size() / static_cast<size_t>(to);
  for (size_t p = 0; p < pixels; ++p)
    it->pixel(&img.array.data[p * static_cast<size_t>(from)], &out.data[p * static_cast<size_t>(to)]);
  img.array = std::move(out);
  img.notices.push_back(fmt::format("{}: {} image converted to {} channel{} ({}) for the model's input", name,
                                    channel_kind(from), to, to == 1 ? "" : "s", it->how));
}

// The source samples, and their weights, that make one output sample along an axis.
struct Taps {
  int64_t first = 0;
  std::vector<float> weights;
};

// Half-pixel centres: output i samples the source at (i + 0.5) * in / out - 0.5, clamped to
// the edge samples, as tf.image.resize(method="bilinear") does.
std::vector<Taps> bilinear_taps(int64_t in, int64_t out) {
  const double scale = static_cast<double>(in) / static_cast<double>(out);
  std::vector<Taps> taps(static_cast<size_t>(out));
  for (int64_t i = 0; i < out; ++i) {
    const double src = std::clamp((static_cast<double>(i) + 0.5) * scale - 0.5, 0.0, static_cast<double>(in - 1));
    const auto j = static_cast<int64_t>(std::floor(src));
    const auto f = static_cast<float>(src - static_cast<double>(j));
    taps[static_cast<size_t>(i)] = j + 1 < in ? Taps{j, {1.0f - f, f}} : Taps{j, {1.0f}};
  }
  return taps;
}

// Output i averages the source interval [i * in / out, (i + 1) * in / out), each source
// sample weighted by how much of it the interval covers.
std::vector<Taps> area_taps(int64_t in, int64_t out) {
  const double scale = static_cast<double>(in) / static_cast<double>(out);
  std::vector<Taps> taps(static_cast<size_t>(out));
  for (int64_t i = 0; i < out; ++i) {
    const double lo = static_cast<double>(i) * scale, hi = std::min(static_cast<double>(i + 1) * scale, static_cast<double>(in));
    Taps& t = taps[static_cast<size_t>(i)];
    t.first = static_cast<int64_t>(std::floor(lo));
    for (int64_t j = t.first; static_cast<double>(j) < hi && j < in; ++j) {
      const double covered = std::min(hi, static_cast<double>(j + 1)) - std::max(lo, static_cast<double>(j));
      t.weights.push_back(static_cast<float>(covered / (hi - lo)));
    }
  }
  return taps;
}

// Bilinear reads two source samples per output, so shrinking by more than 2x would skip
// samples altogether and alias fine detail into moire. Area averaging reads every sample;
// at exactly 2x the two methods give the same weights (0.5, 0.5), so there is no seam.
std::vector<Taps> axis_taps(int64_t in, int64_t out) { return in > 2 * out ? area_taps(in, out) : bilinear_taps(in, out); }

// Resamples one axis of a C-order array, seen as (outer, length, inner).
NdArray resample_axis(const NdArray& a, int axis, int64_t out_len) {
  std::vector<int64_t> shape = a.shape;
  const int64_t in_len = shape[static_cast<size_t>(axis)];
  shape[static_cast<size_t>(axis)] = out_len;
  int64_t outer = 1, inner = 1;
  for (int i = 0; i < axis; ++i) outer *= shape[static_cast<size_t>(i)];
  for (int i = axis + 1; i < a.rank(); ++i) inner *= shape[static_cast<size_t>(i)];
  const std::vector<Taps> taps = axis_taps(in_len, out_len);
  NdArray r(shape);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < out_len; ++i) {
      const Taps& t = taps[static_cast<size_t>(i)];
      float* dst = &r.data[static_cast<size_t>((o * out_len + i) * inner)];
      for (size_t k = 0; k < t.weights.size(); ++k) {
        const float* src = &a.data[static_cast<size_t>((o * in_len + t.first + static_cast<int64_t>(k)) * inner)];
        for (int64_t e = 0; e < inner; ++e) dst[e] += t.weights[k] * src[e];
      }
    }
  return r;
}

void resize(PreparedImage& img, int64_t height, int64_t width, std::string_view name) {
  const int64_t h = img.array.shape[1], w = img.array.shape[2];
  const int64_t to_h = height ? height : h, to_w = width ? width : w;
  if (to_h == h && to_w == w) return;
  if (to_h != h) img.array = resample_axis(img.array, 1, to_h);
  if (to_w != w) img.array = resample_axis(img.array, 2, to_w);
  img.notices.push_back(
      fmt::format("{}: {}x{} image resized to {}x{} to fit the model's input", name, w, h, to_w, to_h));
}

void scale_values(NdArray& a, const ImagePrep& prep, std::string_view name) {
  switch (prep.scaling) {
    case Scaling::ZeroOne: return;
    case Scaling::MinusOneOne:
      for (float& v : a.data) v = 2.0f * v - 1.0f;
      return;
    case Scaling::MeanStd: break;
  }
  const int64_t channels = a.shape[3];
  if (channels > 3)
    throw UserError(fmt::format("{}: mean/std scaling has statistics for 3 channels, but the model's input has {}; "
                                "use scaling 0,1 or -1,1", name, channels));
  for (int64_t c = 0; c < channels; ++c)
    if (!(std::isfinite(prep.std[static_cast<size_t>(c)]) && prep.std[static_cast<size_t>(c)] != 0.0f))
      throw UserError(fmt::format("{}: mean/std scaling needs a finite, non-zero std for every channel; channel {} has {}",
                                  name, c, prep.std[static_cast<size_t>(c)]));
  for (size_t i = 0; i < a.data.size(); ++i) {
    const size_t c = i % static_cast<size_t>(channels);
    a.data[i] = (a.data[i] - prep.mean[c]) / prep.std[c];
  }
}

constexpr std::pair<Scaling, std::string_view> kScalingNames[] = {
    {Scaling::ZeroOne, "0,1"}, {Scaling::MinusOneOne, "-1,1"}, {Scaling::MeanStd, "meanstd"}};

}  // namespace

PreparedImage prepare_image(const NdArray& loaded, const ImagePrep& prep, std::string_view name) {
  check_input(loaded, prep, name);
  PreparedImage img{loaded, {}};
  // Channels first: resizing then touches 1 or 3 channels, not 4 with a discarded alpha.
  convert_channels(img, prep.channels, name);
  resize(img, prep.height, prep.width, name);
  scale_values(img.array, prep, name);
  return img;
}

Scaling parse_scaling(std::string_view name) {
  for (const auto& [s, n] : kScalingNames)
    if (n == name) return s;
  throw UserError(fmt::format("unknown input scaling \"{}\"; choose one of: 0,1 (pixel/255), -1,1 (2*pixel/255 - 1), "
                              "meanstd ((pixel/255 - mean) / std)", name));
}

std::string_view to_string(Scaling scaling) {
  for (const auto& [s, n] : kScalingNames)
    if (s == scaling) return n;
  return "unknown";
}

}  // namespace convscope
