#pragma once
// Keras' image preprocessing layers that change the size: Resizing (to (height, width), nearest
// or bilinear, optionally cropped or padded to the target's aspect ratio first) and CenterCrop
// (a centred crop, or when the input is smaller on either side, Keras' smart_resize: a
// centred crop to the target's aspect ratio resized bilinearly). Both 2D, in their data_format.
#include "layers/layer.h"
#include "layers/norm/resize.h"

namespace convscope {

class ConfigReader;

class ResizingLayer : public Layer {
 public:
  explicit ResizingLayer(const ConfigReader& cfg);

  std::unique_ptr<Layer> clone() const override { return std::make_unique<ResizingLayer>(*this); }
  std::string_view class_name() const override { return "Resizing"; }
  Shape output_shape(const Shape& input) const override;
  Tensor reference(const Tensor& input) const override;
  void record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const override;
  nlohmann::json keras_config() const override;
  Region source_region(const Shape& input, const Region& output) const override;

  ResizePlan plan(const Shape& input) const;

 private:
  int64_t height_ = 1, width_ = 1;
  ResizeMode mode_ = ResizeMode::Bilinear;
  AspectWindow window_ = AspectWindow::Whole;
  double fill_value_ = 0.0;
};

class CenterCropLayer : public Layer {
 public:
  explicit CenterCropLayer(const ConfigReader& cfg);

  std::unique_ptr<Layer> clone() const override { return std::make_unique<CenterCropLayer>(*this); }
  std::string_view class_name() const override { return "CenterCrop"; }
  Shape output_shape(const Shape& input) const override;
  Tensor reference(const Tensor& input) const override;
  void record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const override;
  nlohmann::json keras_config() const override;
  Region source_region(const Shape& input, const Region& output) const override;

  // True when the input is at least (height, width): a plain crop, else smart_resize.
  bool crops(const Shape& input) const { return input.h >= height_ && input.w >= width_; }
  ResizePlan plan(const Shape& input) const;

 private:
  int64_t height_ = 1, width_ = 1;
};

}  // namespace convscope
