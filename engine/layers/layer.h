#pragma once
// One Keras layer: its parameters and shape rule, its GPU recording, its CPU reference.
// Tensors are canonical (N, C, D, H, W); data_format matters only at the Keras boundary.
#include <nlohmann/json_fwd.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ndarray.h"
#include "core/tensor.h"
#include "layers/dot_product.h"
#include "layers/pool_readout.h"
#include "layers/layer_hints.h"
#include "vk/device_tensor.h"
#include "vk/sequence.h"

namespace convscope {

struct WeightSpec {
  std::string name;  // Keras' variable name: "kernel", "bias", "depthwise_kernel", ...
  std::vector<int64_t> shape;
};

class Layer {
 public:
  virtual ~Layer() = default;
  // A copy with the same arguments and weights (the app duplicates layers; tests run copies).
  virtual std::unique_ptr<Layer> clone() const = 0;

  virtual std::string_view class_name() const = 0;
  const std::string& name() const { return name_; }
  // Keras' `trainable`: false freezes the layer (a backbone in transfer learning), and summary
  // counts all its parameters as non-trainable. It changes nothing at inference.
  bool trainable() const { return trainable_; }
  void set_trainable(bool trainable) { trainable_ = trainable; }
  const std::string& label() const { return label_; }  // "Cropping2D 'crop'", for messages
  // 1, 2 or 3 for spatial layers (convolutions, pooling, ...), which read tensors of that
  // rank in their data_format; 0 for layers that take any rank (Dense, BatchNormalization,
  // activations, merges), which read the Keras axis order from Shape::format.
  int spatial_rank() const { return spatial_rank_; }
  DataFormat data_format() const { return data_format_; }

  // The output shape for `input`, or UserError naming the argument that makes it impossible.
  virtual Shape output_shape(const Shape& input) const = 0;

  // The graph's calls, with every tensor a node reads, in order. They forward to the
  // single-input forms, which every layer of today implements; merge layers (Add,
  // Concatenate, ...) override these instead. UserError for the wrong number of inputs.
  virtual Shape node_output_shape(std::span<const Shape> inputs) const;
  virtual Tensor node_reference(std::span<const Tensor* const> inputs) const;
  virtual void node_record(vk::Sequence& seq, std::span<const DeviceTensor* const> inputs,
                           const DeviceTensor& output) const;

  // The names of the weight arrays in Keras get_weights() order: their count never depends
  // on the input, only their shapes do.
  virtual std::vector<std::string> weight_names() const { return {}; }
  // How many of weight_names(), counted from the end, Keras does not train (BatchNormalization's
  // moving mean and variance): summary's "Non-trainable params". Keras lists them last.
  virtual size_t non_trainable_weight_count() const { return 0; }
  // Weight arrays in Keras get_weights() order and layout, for an input of shape `input`.
  virtual std::vector<std::vector<int64_t>> weight_shapes(const Shape& input) const;
  // Names and shapes together.
  std::vector<WeightSpec> weight_specs(const Shape& input) const;
  // What Keras does without saved weights: glorot_uniform kernels and zero biases, drawn
  // from `seed`. Layers whose weights are not kernels and biases override it.
  virtual std::vector<NdArray> initial_weights(const Shape& input, uint64_t seed) const;
  // Checks count and shapes against weight_shapes(input) and keeps them.
  void set_weights(const Shape& input, std::vector<NdArray> weights);
  // Keeps arrays whose input is not known yet (a layer that does not fit where it stands):
  // nothing runs the layer until weights_fit() holds for its input.
  void hold_weights(std::vector<NdArray> weights) { weights_ = std::move(weights); }
  // The weights held have the count and shapes weight_shapes(input) asks for (none for a
  // layer without weights).
  bool weights_fit(const Shape& input) const;
  // UserError naming the array that does not fit, as set_weights refuses it.
  void require_weights_fit(const Shape& input) const;
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
  // The same for input k of a node reading `inputs` (both branches of a merge): by default
  // source_region of a layer's one input, the whole of input k for a layer reading several.
  virtual Region node_source_region(std::span<const Shape> inputs, size_t k, const Region& output) const;

  // Floating-point operations for `input`, a multiply-add counting 2; 0 for pure data movement.
  virtual double flops(const Shape& input) const { (void)input; return 0; }

  // Things Keras would do differently or refuse, computed anyway (e.g. strides with dilation).
  virtual std::vector<std::string> warnings() const { return {}; }

  // What a front end may show or offer for this layer (its kernel, a box to fit).
  virtual LayerHints hints() const { return {}; }
  // The arithmetic of output (channel, z, y, x) of batch 0, term by term, reading input
  // values through `read`: for layers that are a dot product (convolutions), else nullopt.
  virtual std::optional<DotProduct> dot_product(const Shape& input, const InputReader& read, int64_t channel,
                                                int64_t z, int64_t y, int64_t x) const;
  // For a pooling layer, the window behind output (channel, z, y, x) of batch 0; else nullopt.
  virtual std::optional<PoolReadout> pool_readout(const Shape& input, const InputReader& read, int64_t channel,
                                                  int64_t z, int64_t y, int64_t x) const;

 protected:
  // {"name", "trainable", "dtype"}, and "data_format" when `with_format`: every config's start.
  nlohmann::json base_config(bool with_format) const;
  // UserError unless `input` has this layer's number of spatial axes, as Keras refuses a 2D
  // crop after a 1D convolution; shape rules index the axes they assume.
  void require_rank(const Shape& input) const;
  // Every shape rule returns through here: UserError when `output` breaks the limits of
  // core/tensor.h, so the next layer's rule starts from sizes it can compute with. A spatial
  // layer's output gets its data_format as Shape::format.
  Shape checked_output(const Shape& output) const;
  // `t` labelled with this layer's data_format, as checked_output labels shapes: for
  // references that size their output without it.
  Tensor in_own_format(Tensor t) const {
    if (spatial_rank_ > 0) t.shape.format = data_format_;
    return t;
  }
  // UserError naming the array whose count or shape differs from weight_shapes(input).
  void check_weights(const Shape& input, const std::vector<NdArray>& weights) const;

  Layer(std::string name, std::string label, int spatial_rank, DataFormat format)
      : name_(std::move(name)), label_(std::move(label)), spatial_rank_(spatial_rank), data_format_(format) {}

 private:
  std::string name_;
  bool trainable_ = true;
  std::string label_;
  int spatial_rank_;
  DataFormat data_format_;
  std::vector<NdArray> weights_;
};

}  // namespace convscope
