#include "model/parse_pipeline.h"

#include <fmt/format.h>

#include <set>

#include "core/error.h"
#include "model/keras_names.h"

namespace convscope {

namespace {

// Keras writes (None, 28, 28, 3): drop the batch axis.
std::optional<OpenShape> batch_shape(const nlohmann::json& config) {
  for (const char* key : {"batch_shape", "batch_input_shape"}) {
    auto it = config.find(key);
    if (it == config.end() || !it->is_array() || it->empty()) continue;
    OpenShape shape;
    for (size_t i = 1; i < it->size(); ++i)
      shape.push_back((*it)[i].is_number_integer() ? std::optional<int64_t>((*it)[i].get<int64_t>()) : std::nullopt);
    return shape;
  }
  return std::nullopt;
}

const nlohmann::json& layer_list(const nlohmann::json& doc) {
  static const nlohmann::json none;
  const nlohmann::json& config = doc.contains("config") ? doc["config"] : none;
  if (config.is_array()) return config;  // Keras 1: the config is the list
  if (config.is_object() && config.contains("layers") && config["layers"].is_array()) return config["layers"];
  throw UserError("Sequential: config: expected a list of layers (\"config\": {\"layers\": [...]})");
}

}  // namespace

Model parse_pipeline(const nlohmann::json& top, const LayerRegistry& registry) {
  // TensorFlow.js' model.json keeps the topology beside its weights manifest.
  const nlohmann::json& doc = top.is_object() && top.contains("modelTopology") ? top["modelTopology"] : top;
  if (!doc.is_object() || !doc.contains("class_name") || !doc["class_name"].is_string())
    throw UserError("pipeline: expected a Keras model or layer: an object with \"class_name\" and \"config\"");
  Model model;
  if (doc["class_name"] != "Sequential") {
    model.name = doc["class_name"].get<std::string>();
    model.append(registry.create(doc));
    return model;
  }
  const nlohmann::json& layers = layer_list(doc);
  const nlohmann::json& config = doc["config"];
  model.name = config.is_object() && config.contains("name") && config["name"].is_string()
                   ? config["name"].get<std::string>()
                   : "sequential";
  if (config.is_object() && config.contains("description") && config["description"].is_string())
    model.description = config["description"].get<std::string>();

  // Check every class first, so one message names all the layers convscope lacks, by their
  // index in Keras' model.layers (which leaves InputLayer out).
  std::string missing;
  size_t position = 0;
  for (size_t i = 0; i < layers.size(); ++i) {
    const nlohmann::json& spec = layers[i];
    if (!spec.is_object() || !spec.contains("class_name") || !spec["class_name"].is_string())
      throw UserError(fmt::format("{}: layer {}: expected {{\"class_name\": ..., \"config\": {{...}}}}", model.name, i));
    const std::string cls = spec["class_name"].get<std::string>();
    if (cls == "InputLayer") continue;
    if (registry.find(cls)) {
      ++position;
      continue;
    }
    const nlohmann::json* name = spec.contains("config") && spec["config"].is_object() && spec["config"].contains("name")
                                     ? &spec["config"]["name"] : nullptr;
    missing += fmt::format("{}model.layers[{}] {}({})", missing.empty() ? "" : ", ", position++,
                           name && name->is_string() ? "'" + name->get<std::string>() + "' " : "", cls);
  }
  if (!missing.empty())
    throw UserError(fmt::format("{}: convscope does not implement {}; it runs convolution, cropping, padding, "
                                "upsampling and LearnableCrop layers",
                                model.name, missing));

  std::set<std::string> names;
  for (size_t i = 0; i < layers.size(); ++i) {
    nlohmann::json spec = layers[i];
    nlohmann::json& config = spec["config"];
    if (!config.is_object()) config = nlohmann::json::object();
    if (!model.input_shape) model.input_shape = batch_shape(config);
    if (spec["class_name"] == "InputLayer") continue;
    if (!config.contains("name") || !config["name"].is_string()) {
      const LayerDescriptor* d = registry.find(spec["class_name"].get<std::string>());
      config["name"] = unique_keras_name(d->class_name, [&](const std::string& n) { return names.count(n) > 0; });
    }
    names.insert(config["name"].get<std::string>());
    try {
      model.append(registry.create(spec));
    } catch (const UserError& e) {
      throw UserError(fmt::format("{}: layer {}: {}", model.name, i, e.what()));
    }
  }
  if (model.nodes.empty()) throw UserError(fmt::format("{}: the model has no layers", model.name));
  return model;
}

}  // namespace convscope
