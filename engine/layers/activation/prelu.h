#pragma once
// PReLU: x if x > 0 else alpha * x, with a learned alpha of the input's Keras shape without
// the batch, length 1 along `shared_axes` (Keras axes, batch = 0), broadcast over them.
#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

#include "layers/layer.h"

namespace convscope {

class ConfigReader;

class PReLULayer final : public Layer {
 public:
  explicit PReLULayer(const ConfigReader& cfg);

  std::unique_ptr<Layer> clone() const override { return std::make_unique<PReLULayer>(*this); }
  std::string_view class_name() const override { return "PReLU"; }
  // The input's shape; UserError for a shared axis the input lacks.
  Shape output_shape(const Shape& input) const override;
  std::vector<std::string> weight_names() const override { return {"alpha"}; }
  std::vector<std::vector<int64_t>> weight_shapes(const Shape& input) const override;
  // alpha_initializer's value when it is Zeros (Keras' default), Ones or Constant; zeros for
  // any other (random initializers make no sense without training).
  std::vector<NdArray> initial_weights(const Shape& input, uint64_t seed) const override;
  Tensor reference(const Tensor& input) const override;
  void record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const override;
  nlohmann::json keras_config() const override;
  Region source_region(const Shape& input, const Region& output) const override;
  double flops(const Shape& input) const override { return static_cast<double>(input.size()); }

  const std::optional<std::vector<int64_t>>& shared_axes() const { return shared_axes_; }

 private:
  // alpha's Keras shape for `input`, checking every shared axis exists.
  std::vector<int64_t> alpha_shape(const Shape& input) const;

  std::optional<std::vector<int64_t>> shared_axes_;
  double initial_alpha_ = 0;
  // Written back as given: convscope computes nothing from them.
  nlohmann::json alpha_initializer_, alpha_regularizer_, alpha_constraint_;
};

}  // namespace convscope
