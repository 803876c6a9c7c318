#pragma once
// UpSampling1D/2D/3D: whole factors per axis, nearest (Keras) or linear interpolation with
// half-pixel centres: 'bilinear' in 2D as Keras, and beyond Keras 'linear' in 1D and
// 'trilinear' in 3D. Recorded through the remap shader it shares with crop and pad.
#include <array>

#include "layers/layer.h"

namespace convscope {

class ConfigReader;

class UpSamplingLayer : public Layer {
 public:
  UpSamplingLayer(const ConfigReader& cfg, int rank);

  std::unique_ptr<Layer> clone() const override { return std::make_unique<UpSamplingLayer>(*this); }
  std::string_view class_name() const override { return class_name_; }
  Shape output_shape(const Shape& input) const override;
  Tensor reference(const Tensor& input) const override;
  void record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const override;
  nlohmann::json keras_config() const override;
  Region source_region(const Shape& input, const Region& output) const override;

  const std::array<int64_t, 3>& size() const { return size_; }
  bool linear() const { return linear_; }

 private:
  std::string class_name_;
  std::array<int64_t, 3> size_{1, 1, 1};  // Keras axis order
  bool linear_ = false;
};

}  // namespace convscope
