#pragma once
// A Sequential pipeline read from Keras' model.to_json() in any generation: Keras 1 (the
// config is the layer list), tf.keras 2 and TensorFlow.js (nested "layers", input shape as
// batch_input_shape; TF.js model.json wraps it in "modelTopology"), Keras 3 (InputLayer with
// batch_shape, module / registered_name keys). A single layer spec is a one-layer pipeline.
#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "layers/layer.h"
#include "layers/registry.h"

namespace convscope {

// A Keras shape without the batch axis; nullopt where the model leaves an axis open (None).
using OpenShape = std::vector<std::optional<int64_t>>;

struct Sequential {
  std::string name;
  std::string description;  // convscope's presets say what they show; Keras ignores the key
  std::vector<std::unique_ptr<Layer>> layers;
  std::optional<OpenShape> input_shape;  // when the file gives one

  std::vector<const Layer*> chain() const;
  // The data format the input is given in: the first layer's.
  DataFormat input_format() const;
};

// Unimplemented layers are refused together, by name and position.
Sequential parse_pipeline(const nlohmann::json& doc, const LayerRegistry& registry = LayerRegistry::builtin());

// Hands the arrays out in Keras get_weights() order: each layer takes as many as it has, for
// the shape its input will have. UserError when the count or a shape does not fit.
void assign_weights(Sequential& model, const Shape& input, std::vector<NdArray> weights);

// Keras' initialisation for every layer (glorot_uniform kernels, zero biases), from `seed`.
void initialize_weights(Sequential& model, const Shape& input, uint64_t seed);

// Keras' automatic layer name for a class: "Conv2D" -> "conv2d", "ZeroPadding2D" -> "zero_padding2d".
std::string keras_snake_case(std::string_view class_name);
// The first of conv2d, conv2d_1, conv2d_2, ... that `taken` refuses, as Keras names layers.
std::string unique_keras_name(std::string_view class_name, const std::function<bool(const std::string&)>& taken);

}  // namespace convscope
