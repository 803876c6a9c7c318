#include "model/sequential.h"

#include <fmt/format.h>

#include "core/error.h"

namespace convscope {

std::vector<const Layer*> Sequential::chain() const {
  std::vector<const Layer*> out;
  for (const auto& l : layers) out.push_back(l.get());
  return out;
}

namespace {

// Keras writes (None, 28, 28, 3): drop the batch axis, which must be None or a number.
std::optional<std::vector<int64_t>> batch_shape(const nlohmann::json& config) {
  for (const char* key : {"batch_shape", "batch_input_shape"}) {
    auto it = config.find(key);
    if (it == config.end() || !it->is_array() || it->empty()) continue;
    std::vector<int64_t> shape;
    for (size_t i = 1; i < it->size(); ++i) shape.push_back((*it)[i].is_number_integer() ? (*it)[i].get<int64_t>() : -1);
    return shape;
  }
  return std::nullopt;
}

}  // namespace

Sequential parse_pipeline(const nlohmann::json& doc, const LayerRegistry& registry) {
  if (!doc.is_object() || !doc.contains("class_name"))
    throw UserError("pipeline: expected a Keras model or layer: an object with \"class_name\" and \"config\"");
  Sequential model;
  if (doc["class_name"] != "Sequential") {
    model.name = doc["class_name"].is_string() ? doc["class_name"].get<std::string>() : "layer";
    model.layers.push_back(registry.create(doc));
    return model;
  }
  const nlohmann::json& config = doc.contains("config") ? doc["config"] : nlohmann::json();
  // Keras 1 wrote the layer list as the config itself; later versions nest it.
  const nlohmann::json& layers = config.is_array() ? config : config.is_object() && config.contains("layers") ? config["layers"] : nlohmann::json();
  if (!layers.is_array()) throw UserError("Sequential: config: expected a list of layers");
  model.name = config.is_object() && config.contains("name") && config["name"].is_string() ? config["name"].get<std::string>() : "sequential";
  for (size_t i = 0; i < layers.size(); ++i) {
    const nlohmann::json& spec = layers[i];
    const nlohmann::json& layer_config = spec.is_object() && spec.contains("config") ? spec["config"] : nlohmann::json::object();
    if (!model.input_shape && layer_config.is_object()) model.input_shape = batch_shape(layer_config);
    if (spec.is_object() && spec.value("class_name", "") == "InputLayer") continue;
    try {
      model.layers.push_back(registry.create(spec));
    } catch (const UserError& e) {
      throw UserError(fmt::format("layer {} of {}: {}", i, model.name, e.what()));
    }
  }
  return model;
}

void assign_weights(Sequential& model, const Shape& input, std::vector<NdArray> weights) {
  // A lone layer reports a mismatch itself, naming the layer and the shapes it takes.
  if (model.layers.size() == 1) return model.layers.front()->set_weights(input, std::move(weights));
  size_t next = 0, wanted = 0;
  Shape s = input;
  for (const auto& layer : model.layers) wanted += layer->weight_shapes(s).size(), s = layer->output_shape(s);
  if (weights.size() != wanted)
    throw UserError(fmt::format("{}: weights: {} array{} given, the pipeline takes {} (Keras get_weights() order)",
                                model.name, weights.size(), weights.size() == 1 ? "" : "s", wanted));
  s = input;
  for (auto& layer : model.layers) {
    const size_t count = layer->weight_shapes(s).size();
    std::vector<NdArray> mine(std::make_move_iterator(weights.begin() + next),
                              std::make_move_iterator(weights.begin() + next + count));
    next += count;
    layer->set_weights(s, std::move(mine));
    s = layer->output_shape(s);
  }
}

}  // namespace convscope
