#pragma once
// The Keras convolution layers, each a thin translation of its arguments and weight layout
// onto ConvCore: Conv1D/2D/3D, Conv1D/2D/3DTranspose, DepthwiseConv1D/2D, SeparableConv1D/2D.
#include "layers/conv/conv_core.h"
#include "layers/layer.h"

namespace convscope {

class ConfigReader;

// Conv*D and Conv*DTranspose: kernel (k..., in/groups, filters) or (k..., filters, in), bias.
class ConvLayer : public Layer {
 public:
  ConvLayer(const ConfigReader& cfg, int rank, bool transposed);
  std::unique_ptr<Layer> clone() const override { return std::make_unique<ConvLayer>(*this); }
  std::string_view class_name() const override { return class_name_; }
  Shape output_shape(const Shape& input) const override { return checked_output(core_.plan(input).output); }
  std::vector<std::string> weight_names() const override;
  std::vector<std::vector<int64_t>> weight_shapes(const Shape& input) const override;
  Tensor reference(const Tensor& input) const override;
  void record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const override;
  std::vector<std::string> warnings() const override;
  nlohmann::json keras_config() const override;
  double flops(const Shape& input) const override { return core_.flops(input); }
  Region source_region(const Shape& input, const Region& output) const override {
    return core_.source_region(input, output);
  }
  LayerHints hints() const override;
  std::optional<DotProduct> dot_product(const Shape& input, const InputReader& read, int64_t channel, int64_t z,
                                        int64_t y, int64_t x) const override;
  const ConvCore& core() const { return core_; }
  // The weights in the core's layout, for `input`.
  ConvWeights core_weights(const Shape& input) const;

 private:
  std::string class_name_;
  ConvCore core_;
  bool use_bias_;
};

// DepthwiseConv*D: kernel (k..., in, depth_multiplier), bias (in * depth_multiplier).
class DepthwiseLayer : public Layer {
 public:
  DepthwiseLayer(const ConfigReader& cfg, int rank);
  std::unique_ptr<Layer> clone() const override { return std::make_unique<DepthwiseLayer>(*this); }
  std::string_view class_name() const override { return class_name_; }
  Shape output_shape(const Shape& input) const override;
  std::vector<std::string> weight_names() const override;
  std::vector<std::vector<int64_t>> weight_shapes(const Shape& input) const override;
  Tensor reference(const Tensor& input) const override;
  void record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const override;
  std::vector<std::string> warnings() const override;
  nlohmann::json keras_config() const override;
  double flops(const Shape& input) const override { return core_for(input).flops(input); }
  Region source_region(const Shape& input, const Region& output) const override {
    return core_for(input).source_region(input, output);
  }
  LayerHints hints() const override;
  std::optional<DotProduct> dot_product(const Shape& input, const InputReader& read, int64_t channel, int64_t z,
                                        int64_t y, int64_t x) const override;

 private:
  ConvCore core_for(const Shape& input) const;
  ConvWeights core_weights(const Shape& input) const;
  std::string class_name_;
  ConvConfig config_;  // filters and groups follow the input's channels
  int64_t depth_multiplier_;
  bool use_bias_;
};

// SeparableConv*D: a depthwise pass then a pointwise (1x1) pass, recorded back to back.
// Weights: depthwise (k..., in, dm), pointwise (1..., in*dm, filters), bias (filters).
class SeparableLayer : public Layer {
 public:
  SeparableLayer(const ConfigReader& cfg, int rank);
  std::unique_ptr<Layer> clone() const override { return std::make_unique<SeparableLayer>(*this); }
  std::string_view class_name() const override { return class_name_; }
  Shape output_shape(const Shape& input) const override;
  std::vector<std::string> weight_names() const override;
  std::vector<std::vector<int64_t>> weight_shapes(const Shape& input) const override;
  Tensor reference(const Tensor& input) const override;
  void record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const override;
  std::vector<std::string> warnings() const override;
  nlohmann::json keras_config() const override;
  double flops(const Shape& input) const override;
  Region source_region(const Shape& input, const Region& output) const override;
  LayerHints hints() const override;

 private:
  struct Passes {
    ConvCore depthwise, pointwise;
    ConvWeights depthwise_weights, pointwise_weights;
  };
  Passes passes(const Shape& input) const;
  std::string class_name_;
  ConvConfig config_;
  int64_t depth_multiplier_, filters_;
  bool use_bias_;
  ActivationSpec activation_;
};

}  // namespace convscope
