#include "layers/conv/conv_dot_product.h"

namespace convscope {

std::optional<DotProduct> dot_product(const ConvCore& core, const ConvWeights& weights, const Shape& input,
                                      const InputReader& read, int64_t channel, int64_t z, int64_t y, int64_t x) {
  const ConvConfig& c = core.config();
  if (c.transposed) return std::nullopt;
  const ConvPlan p = core.plan(input);
  const auto k = core.canonical_kernel();
  AxisGeometry ax[3];
  for (int a = 0; a < c.rank; ++a) ax[3 - c.rank + a] = p.axes[a];
  const int64_t cin_g = input.c / c.groups, cout_g = p.output.c / c.groups, g = channel / cout_g;
  const int64_t dims[3] = {input.d, input.h, input.w}, out[3] = {z, y, x};
  DotProduct d;
  for (int64_t icg = 0; icg < cin_g; ++icg)
    for (int64_t tz = 0; tz < k[0]; ++tz)
      for (int64_t ty = 0; ty < k[1]; ++ty)
        for (int64_t tx = 0; tx < k[2]; ++tx) {
          DotTerm t;
          t.in_channel = g * cin_g + icg;
          t.tap = {tz, ty, tx};
          const int64_t taps[3] = {tz, ty, tx};
          for (int a = 0; a < 3; ++a) {
            t.from[a] = out[a] * ax[a].stride - ax[a].offset + taps[a] * ax[a].dilation;
            t.padded |= t.from[a] < 0 || t.from[a] >= dims[a];
          }
          t.weight = weights.kernel[static_cast<size_t>((((channel * cin_g + icg) * k[0] + tz) * k[1] + ty) * k[2] + tx)];
          t.value = t.padded ? 0.0 : read(t.in_channel, t.from[0], t.from[1], t.from[2]);
          d.sum += t.value * t.weight;
          d.terms.push_back(t);
        }
  d.bias = weights.bias[static_cast<size_t>(channel)];
  d.sum += d.bias;
  d.output = apply_activation(c.activation, d.sum);
  d.activation = std::string(to_string(c.activation));
  d.kernel = k;
  return d;
}

}  // namespace convscope
