#pragma once
// Reading a model from Keras' model.to_json() in any generation: Keras 1 (the config is the
// layer list), tf.keras 2 and TensorFlow.js (nested "layers", input shape as
// batch_input_shape; TF.js model.json wraps it in "modelTopology"), Keras 3 (InputLayer with
// batch_shape, module / registered_name keys). A Sequential becomes a chain; a single layer
// spec is a one-node model.
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "layers/registry.h"
#include "model/model.h"

namespace convscope {

// Unimplemented layers are refused together, by name and position.
Model parse_pipeline(const nlohmann::json& doc, const LayerRegistry& registry = LayerRegistry::builtin());

// A layer of a model file that convscope cannot run: a Lambda, a custom class, or a Keras
// layer convscope does not implement.
struct UnrunnableLayer {
  std::string position;  // "model.layers[3]", nested: "model.layers[1].layers[0]"
  std::string name, class_name;
  std::string why;  // what the user can do; empty for a Keras layer convscope lacks
};
// Every such layer of `doc` (nested models too), in order; empty when all run. What the app
// offers to replace.
std::vector<UnrunnableLayer> unrunnable_layers(const nlohmann::json& doc,
                                               const LayerRegistry& registry = LayerRegistry::builtin());
// `doc` with the layers named in `replacements` computing the built-in layer given there
// ({"class_name": ..., "config": {...}}): their name and calls stay as they were.
nlohmann::json with_replacements(const nlohmann::json& doc, const std::map<std::string, nlohmann::json>& replacements);
// What the usual Lambda of image models computes, x / 255.0 - 0.5: Rescaling(1/255, -0.5).
nlohmann::json common_lambda_replacement();

}  // namespace convscope
