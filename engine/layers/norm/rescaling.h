#pragma once
// Rescaling: y = x * scale + offset. Keras 3 takes arrays as well as numbers for both; they
// broadcast NumPy-style against the input's trailing Keras axes (a list of three scales the
// channels of a channels_last image). Runs as shaders/affine.comp.
#include "layers/layer.h"
#include "layers/norm/norm_axes.h"

namespace convscope {

class ConfigReader;

class RescalingLayer : public Layer {
 public:
  explicit RescalingLayer(const ConfigReader& cfg);

  std::unique_ptr<Layer> clone() const override { return std::make_unique<RescalingLayer>(*this); }
  std::string_view class_name() const override { return "Rescaling"; }
  Shape output_shape(const Shape& input) const override;
  Tensor reference(const Tensor& input) const override;
  void record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const override;
  nlohmann::json keras_config() const override;
  Region source_region(const Shape& input, const Region& output) const override;
  double flops(const Shape& input) const override { return 2.0 * static_cast<double>(input.size()); }

 private:
  // scale and offset over `input`, with the same dims.
  std::pair<CanonicalParam, CanonicalParam> params(const Shape& input) const;

  nlohmann::json scale_written_, offset_written_;
  ArrayValue scale_, offset_;
};

}  // namespace convscope
