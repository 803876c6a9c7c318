#pragma once
// The Keras activation layers that apply one function of activation.h to their input:
// Activation, ReLU, LeakyReLU, ELU, ThresholdedReLU (Keras 2) and Softmax. They take any
// rank (spatial_rank 0) and read Keras axes from Shape::format. PReLU, which has weights, is
// in prelu.h.
#include "layers/activation/activation.h"
#include "layers/layer.h"

namespace convscope {

class ConfigReader;

class ActivationFunctionLayer : public Layer {
 public:
  std::string_view class_name() const override { return class_name_; }
  // The input's shape; UserError for a softmax axis the input lacks.
  Shape output_shape(const Shape& input) const override;
  Tensor reference(const Tensor& input) const override;
  void record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const override;
  // The same region, whole along the axes a softmax reduces.
  Region source_region(const Shape& input, const Region& output) const override;
  double flops(const Shape& input) const override;
  std::vector<std::string> warnings() const override { return warnings_; }

  const ActivationSpec& spec() const { return spec_; }

 protected:
  ActivationFunctionLayer(const ConfigReader& cfg, ActivationSpec spec);

  ActivationSpec spec_;
  std::vector<std::string> warnings_;

 private:
  std::string class_name_;
};

// Activation(activation): any name of activation.h.
class ActivationLayer final : public ActivationFunctionLayer {
 public:
  explicit ActivationLayer(const ConfigReader& cfg);
  std::unique_ptr<Layer> clone() const override { return std::make_unique<ActivationLayer>(*this); }
  nlohmann::json keras_config() const override;
};

// ReLU(max_value=None, negative_slope=0, threshold=0), each refused below 0 as Keras does.
class ReLULayer final : public ActivationFunctionLayer {
 public:
  explicit ReLULayer(const ConfigReader& cfg);
  std::unique_ptr<Layer> clone() const override { return std::make_unique<ReLULayer>(*this); }
  nlohmann::json keras_config() const override;
};

// LeakyReLU(negative_slope=0.3), Keras 2's `alpha` read as it. A negative slope is refused
// as Keras 3 refuses it, and computed with a warning in a Keras 2 file (Keras 2 took it).
class LeakyReLULayer final : public ActivationFunctionLayer {
 public:
  explicit LeakyReLULayer(const ConfigReader& cfg);
  std::unique_ptr<Layer> clone() const override { return std::make_unique<LeakyReLULayer>(*this); }
  nlohmann::json keras_config() const override;
};

// ELU(alpha=1.0).
class ELULayer final : public ActivationFunctionLayer {
 public:
  explicit ELULayer(const ConfigReader& cfg);
  std::unique_ptr<Layer> clone() const override { return std::make_unique<ELULayer>(*this); }
  nlohmann::json keras_config() const override;
};

// ThresholdedReLU(theta=1.0), Keras 1 and 2: x if x > theta else 0, which is Keras' relu
// with that threshold. Keras 3 dropped the class; its config is written as Keras 2 wrote it.
class ThresholdedReLULayer final : public ActivationFunctionLayer {
 public:
  explicit ThresholdedReLULayer(const ConfigReader& cfg);
  std::unique_ptr<Layer> clone() const override { return std::make_unique<ThresholdedReLULayer>(*this); }
  nlohmann::json keras_config() const override;
};

// Softmax(axis=-1): an int, a list of ints (softmax over all of them), or None: every axis,
// the batch included, in Keras 3; the last axis in Keras 2 (tf.nn.softmax's reading of None).
class SoftmaxLayer final : public ActivationFunctionLayer {
 public:
  explicit SoftmaxLayer(const ConfigReader& cfg);
  std::unique_ptr<Layer> clone() const override { return std::make_unique<SoftmaxLayer>(*this); }
  nlohmann::json keras_config() const override;

 private:
  bool axis_as_list_ = false;  // written back the way it was given
};

}  // namespace convscope
