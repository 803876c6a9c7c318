#pragma once
// BatchNormalization at inference: y = gamma * (x - moving_mean) / sqrt(moving_variance +
// epsilon) + beta along `axis`, folded on the host into one scale and shift per position and
// run as shaders/affine.comp. Rank-free: `axis` counts Keras axes of whatever comes in.
#include <nlohmann/json.hpp>

#include "layers/layer.h"
#include "layers/norm/norm_axes.h"

namespace convscope {

class ConfigReader;

class BatchNormLayer : public Layer {
 public:
  explicit BatchNormLayer(const ConfigReader& cfg);

  std::unique_ptr<Layer> clone() const override { return std::make_unique<BatchNormLayer>(*this); }
  std::string_view class_name() const override { return "BatchNormalization"; }
  Shape output_shape(const Shape& input) const override;
  // [gamma] [beta] moving_mean moving_variance [moving_stddev renorm_mean renorm_stddev]:
  // gamma without scale=False, beta without center=False, the last three with renorm=True.
  std::vector<std::string> weight_names() const override;
  size_t non_trainable_weight_count() const override { return renorm_ ? 5 : 2; }
  std::vector<std::vector<int64_t>> weight_shapes(const Shape& input) const override;
  // Keras' initializers: gamma and the variances ones, beta and the means zeros.
  std::vector<NdArray> initial_weights(const Shape& input, uint64_t seed) const override;
  Tensor reference(const Tensor& input) const override;
  void record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const override;
  nlohmann::json keras_config() const override;
  Region source_region(const Shape& input, const Region& output) const override;
  double flops(const Shape& input) const override { return 2.0 * static_cast<double>(input.size()); }

  const std::vector<int64_t>& axes() const { return axis_.axes; }
  double epsilon() const { return epsilon_; }
  bool center() const { return center_; }
  bool scale() const { return scale_; }

 private:
  struct Folded {
    CanonicalParam mean, variance, gamma, beta;
  };
  // The weights as canonical parameters over `input` (gamma 1 and beta 0 where they are off).
  Folded params(const Shape& input) const;

  AxisArgument axis_;
  double momentum_ = 0.99;
  double epsilon_ = 1e-3;
  bool center_ = true, scale_ = true;
  bool renorm_ = false;
  nlohmann::json renorm_clipping_;
  double renorm_momentum_ = 0.99;
};

}  // namespace convscope
