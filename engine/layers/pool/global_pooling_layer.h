#pragma once
// GlobalMaxPooling1D/2D/3D and GlobalAveragePooling1D/2D/3D: the max or mean over every
// spatial axis of each (sample, channel). keepdims=False (Keras' default) gives a (batch,
// channels) vector, spatial rank 0; keepdims=True keeps the spatial axes at length 1.
#include "layers/layer.h"
#include "layers/pool/pool_gpu.h"

namespace convscope {

class ConfigReader;

class GlobalPoolingLayer : public Layer {
 public:
  GlobalPoolingLayer(const ConfigReader& cfg, PoolOp op, int rank);

  std::unique_ptr<Layer> clone() const override { return std::make_unique<GlobalPoolingLayer>(*this); }
  std::string_view class_name() const override { return class_name_; }
  Shape output_shape(const Shape& input) const override;
  Tensor reference(const Tensor& input) const override;
  void record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const override;
  nlohmann::json keras_config() const override;
  // One comparison or addition per input element, and for average one division per output.
  double flops(const Shape& input) const override;

  PoolOp op() const { return op_; }
  bool keepdims() const { return keepdims_; }

 private:
  std::string class_name_;
  PoolOp op_;
  bool keepdims_ = false;
};

}  // namespace convscope
