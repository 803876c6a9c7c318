#pragma once
// LayerNormalization: each sample normalised by the mean and (biased) variance of its values
// over `axis` (one or several Keras axes), then gamma and beta of those axes' shape. Keras 3's
// deprecated rms_scaling=True divides by sqrt(variance + epsilon) without subtracting the mean
// and drops beta, as Keras does. GPU: shaders/layer_norm.comp, one reduction per group.
#include "layers/layer.h"
#include "layers/norm/norm_axes.h"

namespace convscope {

class ConfigReader;

class LayerNormLayer : public Layer {
 public:
  explicit LayerNormLayer(const ConfigReader& cfg);

  std::unique_ptr<Layer> clone() const override { return std::make_unique<LayerNormLayer>(*this); }
  std::string_view class_name() const override { return "LayerNormalization"; }
  Shape output_shape(const Shape& input) const override;
  // [gamma] [beta]: gamma with scale=True or rms_scaling, beta with center=True and no rms_scaling.
  std::vector<std::string> weight_names() const override;
  // The sizes of the normalised axes, in Keras order.
  std::vector<std::vector<int64_t>> weight_shapes(const Shape& input) const override;
  std::vector<NdArray> initial_weights(const Shape& input, uint64_t seed) const override;
  Tensor reference(const Tensor& input) const override;
  void record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const override;
  nlohmann::json keras_config() const override;
  Region source_region(const Shape& input, const Region& output) const override;
  double flops(const Shape& input) const override { return 7.0 * static_cast<double>(input.size()); }

  bool has_gamma() const { return scale_ || rms_scaling_; }
  bool has_beta() const { return center_ && !rms_scaling_; }

 private:
  struct Plan {
    std::vector<int> keras_axes;                       // normalised, sorted
    std::array<bool, kCanonicalAxes> normalised{};     // the same, canonical
    CanonicalParam gamma, beta;                        // ones / zeros where absent
  };
  Plan plan(const Shape& input) const;

  AxisArgument axis_;
  double epsilon_ = 1e-3;
  bool center_ = true, scale_ = true, rms_scaling_ = false;
};

}  // namespace convscope
