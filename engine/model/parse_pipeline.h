#pragma once
// Reading a model from Keras' model.to_json() in any generation: Keras 1 (the config is the
// layer list), tf.keras 2 and TensorFlow.js (nested "layers", input shape as
// batch_input_shape; TF.js model.json wraps it in "modelTopology"), Keras 3 (InputLayer with
// batch_shape, module / registered_name keys). A Sequential becomes a chain; a single layer
// spec is a one-node model.
#include <nlohmann/json.hpp>

#include "layers/registry.h"
#include "model/model.h"

namespace convscope {

// Unimplemented layers are refused together, by name and position.
Model parse_pipeline(const nlohmann::json& doc, const LayerRegistry& registry = LayerRegistry::builtin());

}  // namespace convscope
