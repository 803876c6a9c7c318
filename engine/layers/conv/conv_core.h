#pragma once
// The convolution every conv layer reduces to: grouped N-D convolution or its transpose,
// bias, activation. Layers translate their Keras arguments and weight layouts into this;
// the core owns the shape rule, the CPU reference and the GPU recording.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "layers/activation/activation.h"
#include "layers/window_geometry.h"
#include "vk/device_tensor.h"
#include "vk/sequence.h"

namespace convscope {

struct ConvConfig {
  int rank = 2;
  bool transposed = false;
  // Per spatial axis in Keras order (D, H, W for 3D).
  std::array<int64_t, 3> kernel{1, 1, 1}, strides{1, 1, 1}, dilation{1, 1, 1};
  std::array<std::optional<int64_t>, 3> output_padding;
  Padding padding = Padding::Valid;
  int64_t groups = 1;
  int64_t filters = 1;  // output channels
  // Applied to the whole output; a softmax reads its Keras axes in `format`.
  ActivationSpec activation;
  DataFormat format = DataFormat::ChannelsLast;
};

// Weights in the core's own layout: kernel[oc][in per group][kz][ky][kx] (unit sizes for
// missing axes) and one bias per output channel (zeros when the layer has none).
struct ConvWeights {
  std::vector<float> kernel;
  std::vector<float> bias;
};

struct ConvPlan {
  std::array<AxisGeometry, 3> axes;  // Keras order
  int64_t in_channels = 0;
  Shape output;
};

class ConvCore {
 public:
  ConvCore(ConvConfig config, std::string label) : config_(config), label_(std::move(label)) {}

  const ConvConfig& config() const { return config_; }
  // Output shape and geometry for `input`; UserError (naming the layer) when impossible.
  ConvPlan plan(const Shape& input) const;
  // Taps in the canonical (z, y, x) order: kernel sizes with unit axes filled in.
  std::array<int64_t, 3> canonical_kernel() const;

  // Multiply-adds x 2: each output position of a convolution meets every tap of its group's
  // kernels; each input position of a transposed convolution meets every tap.
  double flops(const Shape& input) const;

  // Inputs that reach an output region ([first, last] per Keras axis); dilation gaps included.
  std::array<std::pair<int64_t, int64_t>, 3> source_region(const Shape& input,
                                                           const std::array<std::pair<int64_t, int64_t>, 3>& out) const;

  Tensor reference(const Tensor& input, const ConvWeights& weights) const;
  void record(vk::Sequence& seq, const vk::Buffer& input, const Shape& input_shape, const vk::Buffer& output,
              const ConvWeights& weights) const;

 private:
  ConvConfig config_;
  std::string label_;
};

}  // namespace convscope
