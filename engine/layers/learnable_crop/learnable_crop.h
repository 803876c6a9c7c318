#pragma once
// LearnableCrop (seed document 004): a crop whose box receives gradients. Output (i, j) of
// an (OH, OW) output samples the input bilinearly at y = y0 + (i + 0.5) h / OH - 0.5,
// x = x0 + (j + 0.5) w / OW - 0.5, zero outside. The box (y0, x0, h, w) is either the layer's
// one weight, shared by the batch, or predicted per sample by a linear head on the features'
// global average, squashed by a sigmoid into the image (see shaders/crop_head.comp).
#include <array>

#include "layers/layer.h"

namespace convscope {

class ConfigReader;

struct CropGradients {
  Tensor input;
  std::vector<NdArray> weights;  // same order and shapes as the layer's weights
};

class LearnableCropLayer : public Layer {
 public:
  enum class BoxSource { Weight, Predicted };

  explicit LearnableCropLayer(const ConfigReader& cfg);

  std::unique_ptr<Layer> clone() const override { return std::make_unique<LearnableCropLayer>(*this); }
  std::string_view class_name() const override { return "LearnableCrop"; }
  Shape output_shape(const Shape& input) const override;
  std::vector<std::string> weight_names() const override;
  std::vector<std::vector<int64_t>> weight_shapes(const Shape& input) const override;
  LayerHints hints() const override;
  Tensor reference(const Tensor& input) const override;
  void record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const override;
  nlohmann::json keras_config() const override;
  // Weight mode: the pixels the box's samples touch; predicted boxes depend on all of it.
  Region source_region(const Shape& input, const Region& output) const override;
  // Without saved weights: the whole input as the box; a zero head (a centred box).
  std::vector<NdArray> initial_weights(const Shape& input, uint64_t seed) const override;

  // Gradients of sum(output * grad_output): in double on the CPU, and on the GPU.
  CropGradients reference_backward(const Tensor& input, const Tensor& grad_output) const;
  CropGradients backward(vk::Context& ctx, const Tensor& input, const Tensor& grad_output) const;

  BoxSource box_source() const { return source_; }
  std::array<int64_t, 2> output_size() const { return {out_h_, out_w_}; }
  // The box of each sample, (y0, x0, h, w), as the forward pass uses it.
  std::vector<std::array<double, 4>> boxes(const Tensor& input) const;
  // Weight mode: the box weight, refused (UserError) without a positive height and width.
  std::array<double, 4> weight_box() const;

  // Predicted mode: sigmoid(z) of each sample's head, and each (sample, channel) mean.
  std::vector<std::array<double, 4>> squashed(const Tensor& input) const;
  static std::vector<double> plane_means(const Tensor& input);

 private:
  struct DeviceBoxes;  // crop_gpu.cpp
  DeviceBoxes record_boxes(vk::Sequence& seq, const DeviceTensor& input) const;
  void require_weights() const;

  int64_t out_h_ = 1, out_w_ = 1;
  BoxSource source_ = BoxSource::Weight;
  double min_h_ = 1, min_w_ = 1;
};

}  // namespace convscope
