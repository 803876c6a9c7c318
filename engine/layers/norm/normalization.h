#pragma once
// Normalization (the preprocessing layer): y = (x - mean) / max(sqrt(variance), 1e-7), or with
// invert=True y = mean + x * max(sqrt(variance), 1e-7). mean and variance vary along the kept
// `axis` (default -1; None or [] keeps none) and come from the config (numbers or arrays,
// right-aligned to the kept axes) or, for an adapted layer, from its weights mean, variance
// and count. Runs as shaders/affine.comp.
#include <optional>

#include "layers/layer.h"
#include "layers/norm/norm_axes.h"

namespace convscope {

class ConfigReader;

class NormalizationLayer : public Layer {
 public:
  explicit NormalizationLayer(const ConfigReader& cfg);

  std::unique_ptr<Layer> clone() const override { return std::make_unique<NormalizationLayer>(*this); }
  std::string_view class_name() const override { return "Normalization"; }
  Shape output_shape(const Shape& input) const override;
  // mean, variance, count: an adapted layer's state (none when the config gives the values).
  std::vector<std::string> weight_names() const override;
  size_t non_trainable_weight_count() const override { return weight_names().size(); }
  // mean and variance of the kept axes' sizes, count a scalar (Keras' int64, read as float).
  std::vector<std::vector<int64_t>> weight_shapes(const Shape& input) const override;
  std::vector<NdArray> initial_weights(const Shape& input, uint64_t seed) const override;
  Tensor reference(const Tensor& input) const override;
  void record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const override;
  nlohmann::json keras_config() const override;
  Region source_region(const Shape& input, const Region& output) const override;
  double flops(const Shape& input) const override { return 2.0 * static_cast<double>(input.size()); }

  bool from_config() const { return mean_.has_value(); }

 private:
  struct Stats {
    CanonicalParam mean, variance;
  };
  Stats stats(const Shape& input) const;

  AxisArgument axis_;
  bool invert_ = false;
  nlohmann::json mean_written_, variance_written_;
  std::optional<ArrayValue> mean_, variance_;
};

}  // namespace convscope
