#include "layers/conv/conv_core.h"

#include <fmt/format.h>

#include "core/error.h"
#include "conv_params.h"
#include "embedded_shaders.h"

namespace convscope {

static_assert(sizeof(gpu::ConvParams) == shaders::conv_push_bytes, "conv_params.h and the SPIR-V disagree");

namespace {

const char* axis_word(int rank, int a) {
  static const char* names[3][3] = {{"steps"}, {"rows", "columns"}, {"depth", "rows", "columns"}};
  return names[rank - 1][a];
}

}  // namespace

std::array<int64_t, 3> ConvCore::canonical_kernel() const {
  std::array<int64_t, 3> k{1, 1, 1};
  for (int a = 0; a < config_.rank; ++a) k[3 - config_.rank + a] = config_.kernel[a];
  return k;
}

ConvPlan ConvCore::plan(const Shape& in) const {
  const ConvConfig& c = config_;
  ConvPlan p;
  p.in_channels = in.c;
  if (in.spatial_rank != c.rank)
    throw UserError(fmt::format("{}: input is {}D, the layer is {}D", label_, in.spatial_rank, c.rank));
  if (in.c % c.groups != 0)
    throw UserError(fmt::format("{}: groups: {} does not divide the {} input channels", label_, c.groups, in.c));
  p.output = in;
  p.output.c = c.filters;
  for (int a = 0; a < c.rank; ++a) {
    const int64_t n = in.spatial(a);
    p.axes[a] = c.transposed ? transposed_axis(n, c.kernel[a], c.strides[a], c.dilation[a], c.padding, c.output_padding[a])
                             : conv_axis(n, c.kernel[a], c.strides[a], c.dilation[a], c.padding);
    if (p.axes[a].out <= 0)
      throw UserError(fmt::format("{}: kernel_size: a dilated kernel of {} does not fit the {} {} of the input with "
                                  "padding='{}' (output length would be {})",
                                  label_, p.axes[a].effective_kernel(), n, axis_word(c.rank, a), to_string(c.padding),
                                  (n - p.axes[a].effective_kernel()) / c.strides[a] + 1));
    p.output.spatial(a) = p.axes[a].out;
  }
  return p;
}

double ConvCore::flops(const Shape& input) const {
  const Shape out = plan(input).output;
  const auto k = canonical_kernel();
  const double taps = static_cast<double>(k[0]) * static_cast<double>(k[1]) * static_cast<double>(k[2]);  // each up to 2^31
  const double in_per_group = static_cast<double>(input.c / config_.groups);
  const Shape& positions = config_.transposed ? input : out;
  return 2.0 * static_cast<double>(positions.n * positions.d * positions.h * positions.w) * taps * in_per_group *
         static_cast<double>(out.c);
}

std::array<std::pair<int64_t, int64_t>, 3> ConvCore::source_region(
    const Shape& input, const std::array<std::pair<int64_t, int64_t>, 3>& out) const {
  const ConvPlan p = plan(input);
  std::array<std::pair<int64_t, int64_t>, 3> r{};
  auto floor_div = [](int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); };
  for (int a = 0; a < config_.rank; ++a) {
    const AxisGeometry& g = p.axes[a];
    const int64_t reach = (g.kernel - 1) * g.dilation, n = input.spatial(a);
    int64_t first, last;
    if (!config_.transposed) {  // o reads o*s - offset + t*d
      first = out[a].first * g.stride - g.offset;
      last = out[a].second * g.stride - g.offset + reach;
    } else {  // i writes i*s + t*d - offset: the i with some t landing in [o0, o1]
      first = -floor_div(-(out[a].first + g.offset - reach), g.stride);
      last = floor_div(out[a].second + g.offset, g.stride);
    }
    r[a] = {std::max<int64_t>(first, 0), std::min(last, n - 1)};
  }
  return r;
}

Tensor ConvCore::reference(const Tensor& input, const ConvWeights& weights) const {
  const ConvPlan p = plan(input.shape);
  const Shape& is = input.shape;
  const Shape& os = p.output;
  const auto k = canonical_kernel();
  // Axes in canonical (z, y, x) order, padded with unit axes.
  AxisGeometry ax[3];
  for (int a = 0; a < config_.rank; ++a) ax[3 - config_.rank + a] = p.axes[a];
  const int64_t cin_g = is.c / config_.groups, cout_g = os.c / config_.groups;
  auto w = [&](int64_t oc, int64_t icg, int64_t tz, int64_t ty, int64_t tx) {
    return static_cast<double>(weights.kernel[(((oc * cin_g + icg) * k[0] + tz) * k[1] + ty) * k[2] + tx]);
  };
  std::vector<double> acc(os.size(), 0.0);
  auto out_index = [&](int64_t n, int64_t c, int64_t z, int64_t y, int64_t x) {
    return static_cast<size_t>((((n * os.c + c) * os.d + z) * os.h + y) * os.w + x);
  };

  if (!config_.transposed) {
    // Gather: output (z, y, x) reads input o*s - offset + t*d, zero outside.
    for (int64_t n = 0; n < os.n; ++n)
      for (int64_t oc = 0; oc < os.c; ++oc)
        for (int64_t z = 0; z < os.d; ++z)
          for (int64_t y = 0; y < os.h; ++y)
            for (int64_t x = 0; x < os.w; ++x) {
              double sum = 0;
              const int64_t g = oc / cout_g;
              for (int64_t icg = 0; icg < cin_g; ++icg)
                for (int64_t tz = 0; tz < k[0]; ++tz)
                  for (int64_t ty = 0; ty < k[1]; ++ty)
                    for (int64_t tx = 0; tx < k[2]; ++tx) {
                      const int64_t iz = z * ax[0].stride - ax[0].offset + tz * ax[0].dilation;
                      const int64_t iy = y * ax[1].stride - ax[1].offset + ty * ax[1].dilation;
                      const int64_t ix = x * ax[2].stride - ax[2].offset + tx * ax[2].dilation;
                      if (iz < 0 || iz >= is.d || iy < 0 || iy >= is.h || ix < 0 || ix >= is.w) continue;
                      sum += input.at(n, g * cin_g + icg, iz, iy, ix) * w(oc, icg, tz, ty, tx);
                    }
              acc[out_index(n, oc, z, y, x)] = sum;
            }
  } else {
    // Scatter, straight from the definition: input i and tap t add to output i*s + t*d - offset.
    for (int64_t n = 0; n < is.n; ++n)
      for (int64_t ic = 0; ic < is.c; ++ic)
        for (int64_t iz = 0; iz < is.d; ++iz)
          for (int64_t iy = 0; iy < is.h; ++iy)
            for (int64_t ix = 0; ix < is.w; ++ix) {
              const double v = input.at(n, ic, iz, iy, ix);
              for (int64_t oc = 0; oc < os.c; ++oc)
                for (int64_t tz = 0; tz < k[0]; ++tz)
                  for (int64_t ty = 0; ty < k[1]; ++ty)
                    for (int64_t tx = 0; tx < k[2]; ++tx) {
                      const int64_t z = iz * ax[0].stride + tz * ax[0].dilation - ax[0].offset;
                      const int64_t y = iy * ax[1].stride + ty * ax[1].dilation - ax[1].offset;
                      const int64_t x = ix * ax[2].stride + tx * ax[2].dilation - ax[2].offset;
                      if (z < 0 || z >= os.d || y < 0 || y >= os.h || x < 0 || x >= os.w) continue;
                      acc[out_index(n, oc, z, y, x)] += v * w(oc, ic, tz, ty, tx);
                    }
            }
  }

  Tensor out(os);
  for (size_t i = 0; i < acc.size(); ++i) {
    const int64_t oc = static_cast<int64_t>(i / static_cast<size_t>(os.d * os.h * os.w)) % os.c;
    out.data[i] = static_cast<float>(acc[i] + weights.bias[oc]);
  }
  out.shape.format = config_.format;  // where a softmax finds the last Keras axis
  apply_activation(config_.activation, out);
  return out;
}

}  // namespace convscope
