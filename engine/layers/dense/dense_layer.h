#pragma once
// Dense: a matrix product on the last Keras axis of a tensor of any rank (kernel (in,
// units), bias (units)) and its fused activation. On a channels_last image that is C, a 1x1
// convolution; on a vector the features.
#include "layers/activation/activation.h"
#include "layers/layer.h"

namespace convscope {

class ConfigReader;

class DenseLayer : public Layer {
 public:
  explicit DenseLayer(const ConfigReader& cfg);

  std::unique_ptr<Layer> clone() const override { return std::make_unique<DenseLayer>(*this); }
  std::string_view class_name() const override { return "Dense"; }
  Shape output_shape(const Shape& input) const override;
  std::vector<std::string> weight_names() const override;
  std::vector<std::vector<int64_t>> weight_shapes(const Shape& input) const override;
  Tensor reference(const Tensor& input) const override;
  void record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const override;
  nlohmann::json keras_config() const override;
  double flops(const Shape& input) const override;

  int64_t units() const { return units_; }

 private:
  // The input's features: its size on the last Keras axis.
  int64_t features(const Shape& input) const;

  int64_t units_ = 1;
  bool use_bias_ = true;
  ActivationSpec activation_;
};

}  // namespace convscope
