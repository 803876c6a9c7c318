#include "layers/conv/gaussian_blur.h"

#include <cmath>

#include "layers/conv/conv_core.h"

namespace convscope {

void record_gaussian_blur(vk::Sequence& seq, const vk::Buffer& input, const Shape& shape, const vk::Buffer& output,
                          double sigma, const std::string& label) {
  const int64_t radius = static_cast<int64_t>(std::ceil(3 * sigma));
  const int64_t taps = 2 * radius + 1;
  std::vector<float> kernel1d(static_cast<size_t>(taps));
  double total = 0;
  for (int64_t t = 0; t < taps; ++t) total += std::exp(-0.5 * std::pow((t - radius) / sigma, 2));
  for (int64_t t = 0; t < taps; ++t)
    kernel1d[static_cast<size_t>(t)] = static_cast<float>(std::exp(-0.5 * std::pow((t - radius) / sigma, 2)) / total);

  ConvWeights weights;  // every channel its own copy of the 1D kernel
  for (int64_t c = 0; c < shape.c; ++c) weights.kernel.insert(weights.kernel.end(), kernel1d.begin(), kernel1d.end());
  weights.bias.assign(static_cast<size_t>(shape.c), 0.0f);

  ConvConfig config;
  config.rank = 2;
  config.padding = Padding::Same;
  config.groups = config.filters = shape.c;
  const vk::Buffer& between = seq.scratch(shape.size() * sizeof(float));
  config.kernel = {taps, 1, 1};
  ConvCore(config, label + " (rows)").record(seq, input, shape, between, weights);
  config.kernel = {1, taps, 1};
  ConvCore(config, label + " (columns)").record(seq, between, shape, output, weights);
}

}  // namespace convscope
