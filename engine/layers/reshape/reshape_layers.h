#pragma once
// Flatten, Reshape, Permute, RepeatVector: Keras' element order on canonical tensors. A
// Keras tensor's element order is that of its axes as Shape::format reads them, so each
// layer copies along the input's Keras axes (core/keras_axes.h), whatever the data format.
#include <vector>

#include "layers/reshape/relayout.h"

namespace convscope {

class FlattenLayer : public RelayoutLayer {
 public:
  explicit FlattenLayer(const ConfigReader& cfg);
  std::unique_ptr<Layer> clone() const override { return std::make_unique<FlattenLayer>(*this); }
  std::string_view class_name() const override { return "Flatten"; }
  Shape output_shape(const Shape& input) const override;
  nlohmann::json keras_config() const override;

 protected:
  std::vector<Step> steps(const Shape& input, const Shape& output) const override;

 private:
  bool channels_first_ = false;  // Keras moves channels last first, so Dense weights stay valid
};

class ReshapeLayer : public RelayoutLayer {
 public:
  explicit ReshapeLayer(const ConfigReader& cfg);
  std::unique_ptr<Layer> clone() const override { return std::make_unique<ReshapeLayer>(*this); }
  std::string_view class_name() const override { return "Reshape"; }
  Shape output_shape(const Shape& input) const override;
  nlohmann::json keras_config() const override;

 protected:
  std::vector<Step> steps(const Shape& input, const Shape& output) const override;

 private:
  std::vector<int64_t> target_;  // without batch; at most one -1
};

class PermuteLayer : public RelayoutLayer {
 public:
  explicit PermuteLayer(const ConfigReader& cfg);
  std::unique_ptr<Layer> clone() const override { return std::make_unique<PermuteLayer>(*this); }
  std::string_view class_name() const override { return "Permute"; }
  Shape output_shape(const Shape& input) const override;
  nlohmann::json keras_config() const override;

 protected:
  std::vector<Step> steps(const Shape& input, const Shape& output) const override;

 private:
  std::vector<int64_t> dims_;  // a permutation of 1..rank-1, as Keras writes it
};

class RepeatVectorLayer : public RelayoutLayer {
 public:
  explicit RepeatVectorLayer(const ConfigReader& cfg);
  std::unique_ptr<Layer> clone() const override { return std::make_unique<RepeatVectorLayer>(*this); }
  std::string_view class_name() const override { return "RepeatVector"; }
  Shape output_shape(const Shape& input) const override;
  nlohmann::json keras_config() const override;

 protected:
  std::vector<Step> steps(const Shape& input, const Shape& output) const override;

 private:
  int64_t n_ = 1;
};

}  // namespace convscope
