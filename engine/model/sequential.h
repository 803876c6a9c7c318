#pragma once
// A Sequential pipeline read from Keras' model.to_json(): the layers in order, and the input
// shape when the file gives one. InputLayer entries only carry that shape.
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "layers/layer.h"
#include "layers/registry.h"

namespace convscope {

struct Sequential {
  std::string name;
  std::vector<std::unique_ptr<Layer>> layers;
  std::optional<std::vector<int64_t>> input_shape;  // Keras shape without batch, if given

  std::vector<const Layer*> chain() const;
};

// Accepts a model JSON (Sequential in Keras 1, tf.keras 2 or Keras 3 form) or a single layer
// {"class_name": ..., "config": {...}}, which becomes a one-layer pipeline.
Sequential parse_pipeline(const nlohmann::json& doc, const LayerRegistry& registry = LayerRegistry::builtin());

// Hands the arrays out in Keras get_weights() order: each layer takes as many as it has, for
// the shape its input will have. UserError when the count or a shape does not fit.
void assign_weights(Sequential& model, const Shape& input, std::vector<NdArray> weights);

}  // namespace convscope
