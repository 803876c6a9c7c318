#pragma once
// One Keras layer: its parameters and shape rule, its GPU recording, its CPU reference.
// Tensors are canonical (N, C, D, H, W); data_format matters only at the Keras boundary.
#include <nlohmann/json_fwd.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include "core/ndarray.h"
#include "core/tensor.h"
#include "vk/device_tensor.h"
#include "vk/sequence.h"

namespace convscope {

class Layer {
 public:
  virtual ~Layer() = default;

  virtual std::string_view class_name() const = 0;
  const std::string& name() const { return name_; }
  const std::string& label() const { return label_; }  // "Cropping2D 'crop'", for messages
  int spatial_rank() const { return spatial_rank_; }
  DataFormat data_format() const { return data_format_; }

  // The output shape for `input`, or UserError naming the argument that makes it impossible.
  virtual Shape output_shape(const Shape& input) const = 0;

  // Weight arrays in Keras get_weights() order and layout, for an input of shape `input`.
  virtual std::vector<std::vector<int64_t>> weight_shapes(const Shape& input) const;
  // What Keras does without saved weights: glorot_uniform kernels and zero biases, drawn
  // from `seed`. Layers whose weights are not kernels and biases override it.
  virtual std::vector<NdArray> initial_weights(const Shape& input, uint64_t seed) const;
  // Checks count and shapes against weight_shapes(input) and keeps them.
  void set_weights(const Shape& input, std::vector<NdArray> weights);
  const std::vector<NdArray>& weights() const { return weights_; }

  // Plain CPU implementation of the Keras maths, accumulating in double: the reference the
  // GPU path is tested against.
  virtual Tensor reference(const Tensor& input) const = 0;
  // Records the GPU work that computes `output` (already sized by output_shape) from `input`.
  virtual void record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const = 0;

  // The layer's Keras 3 config ({"name": ..., ...}, without class_name), from its parsed
  // state: what a saved pipeline holds, whatever form the arguments were read in.
  virtual nlohmann::json keras_config() const = 0;

  // The input positions an output region depends on, per spatial axis in Keras order
  // (inclusive [first, last]; first > last when it reads only padding). What the app
  // highlights when a map pixel is hovered. By default: the whole input.
  using Region = std::array<std::pair<int64_t, int64_t>, 3>;
  virtual Region source_region(const Shape& input, const Region& output) const;

  // Floating-point operations for `input`, a multiply-add counting 2; 0 for pure data movement.
  virtual double flops(const Shape& input) const { (void)input; return 0; }

  // Things Keras would do differently or refuse, computed anyway (e.g. strides with dilation).
  virtual std::vector<std::string> warnings() const { return {}; }

 protected:
  // {"name", "trainable", "dtype"}, and "data_format" when `with_format`: every config's start.
  nlohmann::json base_config(bool with_format) const;
  // UserError unless `input` has this layer's number of spatial axes, as Keras refuses a 2D
  // crop after a 1D convolution; shape rules index the axes they assume.
  void require_rank(const Shape& input) const;
  // Every shape rule returns through here: UserError when `output` breaks the limits of
  // core/tensor.h, so the next layer's rule starts from sizes it can compute with.
  Shape checked_output(const Shape& output) const;

  Layer(std::string name, std::string label, int spatial_rank, DataFormat format)
      : name_(std::move(name)), label_(std::move(label)), spatial_rank_(spatial_rank), data_format_(format) {}

 private:
  std::string name_;
  std::string label_;
  int spatial_rank_;
  DataFormat data_format_;
  std::vector<NdArray> weights_;
};

}  // namespace convscope
