#pragma once
// Cropping1D/2D/3D and ZeroPadding1D/2D/3D. Both move a window over the input: a crop
// reads from `before` onwards, a pad from -`before`, zero outside. One layer class, and the
// remap shader it shares with upsampling.
#include <array>

#include "layers/layer.h"
#include "layers/window/side_pairs.h"

namespace convscope {

class WindowLayer : public Layer {
 public:
  enum class Kind { Crop, Pad };

  WindowLayer(const ConfigReader& cfg, Kind kind, int spatial_rank);

  std::unique_ptr<Layer> clone() const override { return std::make_unique<WindowLayer>(*this); }
  std::string_view class_name() const override { return class_name_; }
  Shape output_shape(const Shape& input) const override;
  Tensor reference(const Tensor& input) const override;
  void record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const override;
  nlohmann::json keras_config() const override;
  Region source_region(const Shape& input, const Region& output) const override;

  Kind kind() const { return kind_; }
  const std::array<SidePair, 3>& sides() const { return sides_; }  // Keras axis order

 private:
  std::string class_name_;
  Kind kind_;
  std::array<SidePair, 3> sides_;
};

}  // namespace convscope
