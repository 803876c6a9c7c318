#pragma once
// The merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum (elementwise, with
// Keras' broadcasting: shapes aligned from the right, a 1 stretching to the other size) and
// Concatenate (along a Keras axis). They read several tensors, so they implement the node_*
// forms of Layer; called on one tensor they refuse, as Keras does.
#include <vector>

#include "layers/layer.h"

namespace convscope {

class ConfigReader;

// The order of merge.comp's OP constant.
enum class MergeOp { Add = 0, Subtract, Multiply, Maximum, Minimum, Average };

// What every merge does with one input: refuse it.
class MergeBase : public Layer {
 public:
  Shape output_shape(const Shape& input) const override;
  Tensor reference(const Tensor& input) const override;
  void record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const override;

 protected:
  explicit MergeBase(const ConfigReader& cfg);
  // UserError unless there are at least 2 inputs (exactly 2 for Subtract) and their batch
  // sizes agree.
  void check_inputs(std::span<const Shape> inputs) const;
};

class ElementwiseMerge : public MergeBase {
 public:
  ElementwiseMerge(const ConfigReader& cfg, MergeOp op);

  std::unique_ptr<Layer> clone() const override { return std::make_unique<ElementwiseMerge>(*this); }
  std::string_view class_name() const override;
  Shape node_output_shape(std::span<const Shape> inputs) const override;
  Tensor node_reference(std::span<const Tensor* const> inputs) const override;
  void node_record(vk::Sequence& seq, std::span<const DeviceTensor* const> inputs,
                   const DeviceTensor& output) const override;
  nlohmann::json keras_config() const override;
  // The output region itself, on the axes where input k has the output's size; its one
  // element where it is stretched from 1.
  Region node_source_region(std::span<const Shape> inputs, size_t k, const Region& output) const override;

 private:
  MergeOp op_;
};

class ConcatenateLayer : public MergeBase {
 public:
  explicit ConcatenateLayer(const ConfigReader& cfg);

  std::unique_ptr<Layer> clone() const override { return std::make_unique<ConcatenateLayer>(*this); }
  std::string_view class_name() const override { return "Concatenate"; }
  Shape node_output_shape(std::span<const Shape> inputs) const override;
  Tensor node_reference(std::span<const Tensor* const> inputs) const override;
  void node_record(vk::Sequence& seq, std::span<const DeviceTensor* const> inputs,
                   const DeviceTensor& output) const override;
  nlohmann::json keras_config() const override;
  // The output region itself, shifted along a spatial concatenation axis to input k's slice
  // (empty when the region lies in another input's slice).
  Region node_source_region(std::span<const Shape> inputs, size_t k, const Region& output) const override;

 private:
  int64_t axis_ = -1;  // a Keras axis, negative from the end
};

}  // namespace convscope
