#pragma once
// Layers that only move elements: Flatten, Reshape, Permute, RepeatVector and the inference
// identities (Dropout, GaussianNoise, ...). Each says where every element goes as strided
// copies (layers/strided_copy.h); the base class runs them on the CPU and the GPU alike, so
// reference and shader cannot disagree about anything but the copy kernel itself.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "layers/layer.h"
#include "layers/strided_copy.h"

namespace convscope {

class ConfigReader;

class RelayoutLayer : public Layer {
 public:
  Tensor reference(const Tensor& input) const override;
  void record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const override;

 protected:
  // The copies from input to output, run in order. A copy whose `through_scratch` is set
  // writes a scratch buffer of the output's size that the copies after it read (Reshape
  // goes through Keras' contiguous order when neither side is laid out in it).
  struct Step {
    StridedCopy copy;
    bool to_scratch = false, from_scratch = false;
  };
  virtual std::vector<Step> steps(const Shape& input, const Shape& output) const = 0;

  RelayoutLayer(const ConfigReader& cfg);
};

// The inference identities: what Keras trains with noise or drop-outs, and runs as x -> x.
// Their arguments are kept as written, so a saved model gives them back unchanged.
class IdentityLayer : public RelayoutLayer {
 public:
  IdentityLayer(const ConfigReader& cfg, std::vector<std::string> arguments);
  std::unique_ptr<Layer> clone() const override { return std::make_unique<IdentityLayer>(*this); }
  std::string_view class_name() const override { return class_name_; }
  Shape output_shape(const Shape& input) const override { return checked_output(input); }
  nlohmann::json keras_config() const override;
  Region source_region(const Shape& input, const Region& output) const override;

 protected:
  std::vector<Step> steps(const Shape& input, const Shape& output) const override;

 private:
  std::string class_name_;
  nlohmann::json arguments_;
};

}  // namespace convscope
