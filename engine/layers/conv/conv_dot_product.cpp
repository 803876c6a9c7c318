#include "layers/conv/conv_dot_product.h"

namespace convscope {

namespace {

// A fused softmax reads the whole last Keras axis of the output: every channel at this
// position (channels_last), or every column of this row (channels_first). Their sums,
// each a dot product of its own, go through the reference softmax.
double softmax_output(const ConvCore& core, const ConvWeights& weights, const Shape& input, const InputReader& read,
                      int64_t channel, int64_t z, int64_t y, int64_t x) {
  ConvConfig plain = core.config();
  plain.activation = ActivationSpec{};
  const ConvCore linear(plain, "");
  const bool along_channels = plain.format == DataFormat::ChannelsLast;
  const int64_t count = along_channels ? core.plan(input).output.c : core.plan(input).output.w;
  Shape row;
  row.spatial_rank = 0;
  row.c = count;
  Tensor sums(row);
  for (int64_t i = 0; i < count; ++i)
    sums.data[static_cast<size_t>(i)] = static_cast<float>(
        along_channels ? dot_product(linear, weights, input, read, i, z, y, x)->sum
                       : dot_product(linear, weights, input, read, channel, z, y, i)->sum);
  ActivationSpec last_axis = core.config().activation;
  last_axis.axes = std::vector<int64_t>{-1};
  apply_activation(last_axis, sums);
  return sums.data[static_cast<size_t>(along_channels ? channel : x)];
}

}  // namespace

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
  d.output = c.activation.elementwise() ? apply_activation(c.activation, d.sum)
                                        : softmax_output(core, weights, input, read, channel, z, y, x);
  d.activation = activation_name(c.activation);
  d.kernel = k;
  return d;
}

}  // namespace convscope
