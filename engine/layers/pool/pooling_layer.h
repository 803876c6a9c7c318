#pragma once
// MaxPooling1D/2D/3D and AveragePooling1D/2D/3D: a window of pool_size moved by strides over
// each spatial axis, 'valid' or 'same' (docs/LAYERS_POOLING.md). Padded positions never count:
// max ignores them, average divides by the real elements of the window, as TensorFlow does.
#include <array>

#include "layers/layer.h"
#include "layers/pool/pool_gpu.h"
#include "layers/window_geometry.h"

namespace convscope {

class ConfigReader;

class PoolingLayer : public Layer {
 public:
  PoolingLayer(const ConfigReader& cfg, PoolOp op, int rank);

  std::unique_ptr<Layer> clone() const override { return std::make_unique<PoolingLayer>(*this); }
  std::string_view class_name() const override { return class_name_; }
  Shape output_shape(const Shape& input) const override;
  Tensor reference(const Tensor& input) const override;
  void record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const override;
  nlohmann::json keras_config() const override;
  Region source_region(const Shape& input, const Region& output) const override;
  std::optional<PoolReadout> pool_readout(const Shape& input, const InputReader& read, int64_t channel, int64_t z,
                                          int64_t y, int64_t x) const override;
  // One comparison (max) or addition (average) per element each window reads, and for
  // average one division per output.
  double flops(const Shape& input) const override;

  PoolOp op() const { return op_; }
  const std::array<int64_t, 3>& pool_size() const { return pool_; }  // Keras axis order
  const std::array<int64_t, 3>& strides() const { return strides_; }
  Padding padding() const { return padding_; }

 private:
  // The window of each axis for `input` in canonical (D, H, W) order, unit axes where the
  // layer has none; UserError naming the axis when a 'valid' window does not fit.
  std::array<AxisGeometry, 3> canonical_axes(const Shape& input) const;

  std::string class_name_;
  PoolOp op_;
  std::array<int64_t, 3> pool_{1, 1, 1};
  std::array<int64_t, 3> strides_{1, 1, 1};
  Padding padding_ = Padding::Valid;
};

}  // namespace convscope
