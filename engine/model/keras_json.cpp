#include "model/keras_json.h"

#include "layers/registry.h"

namespace convscope {

nlohmann::json to_keras3_json(const Model& model) {
  nlohmann::json layers = nlohmann::json::array();
  nlohmann::json batch_shape;
  if (model.input_shape) {
    batch_shape = nlohmann::json::array({nullptr});
    for (const auto& d : *model.input_shape) batch_shape.push_back(d ? nlohmann::json(*d) : nlohmann::json(nullptr));
    layers.push_back({{"module", "keras.layers"},
                      {"class_name", "InputLayer"},
                      {"config", {{"batch_shape", batch_shape}, {"dtype", "float32"}, {"sparse", false}, {"name", "input_layer"}}},
                      {"registered_name", nullptr}});
  }
  for (const Layer* layer : model.distinct_layers()) {
    const std::string cls(layer->class_name());
    const LayerDescriptor* d = LayerRegistry::builtin().find(cls);
    const std::string module = d ? d->module : "keras.layers";
    const bool ours = module != "keras.layers";  // not a Keras layer: a registered custom class
    layers.push_back({{"module", module},
                      {"class_name", cls},
                      {"config", layer->keras_config()},
                      {"registered_name", ours ? nlohmann::json(module + ">" + cls) : nlohmann::json(nullptr)}});
  }
  nlohmann::json config = {{"name", model.name}, {"trainable", true}, {"dtype", "float32"}, {"layers", layers}};
  if (!model.description.empty()) config["description"] = model.description;
  nlohmann::json doc = {{"module", "keras"}, {"class_name", "Sequential"}, {"config", config}, {"registered_name", nullptr}};
  if (model.input_shape) {
    doc["config"]["build_input_shape"] = batch_shape;
    doc["build_config"] = {{"input_shape", batch_shape}};
  }
  return doc;
}

}  // namespace convscope
