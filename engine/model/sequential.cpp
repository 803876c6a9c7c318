#include "model/sequential.h"

#include <fmt/format.h>

#include <cctype>
#include <set>

#include "core/error.h"
#include "layers/keras1.h"

namespace convscope {

std::vector<const Layer*> Sequential::chain() const {
  std::vector<const Layer*> out;
  for (const auto& l : layers) out.push_back(l.get());
  return out;
}

DataFormat Sequential::input_format() const {
  return layers.empty() ? DataFormat::ChannelsLast : layers.front()->data_format();
}

std::string keras_snake_case(std::string_view name) {
  // Keras' to_snake_case: "_" before a capital that starts a lowercase run (not at the start),
  // and between a lowercase letter and a capital; then lower case.
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    const bool upper = std::isupper(c);
    const bool next_lower = i + 1 < name.size() && std::islower(static_cast<unsigned char>(name[i + 1]));
    const bool prev_lower = i > 0 && std::islower(static_cast<unsigned char>(name[i - 1]));
    if (upper && i > 0 && (next_lower || prev_lower)) out += '_';
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

std::string unique_keras_name(std::string_view class_name, const std::function<bool(const std::string&)>& taken) {
  const std::string base = keras_snake_case(class_name);
  std::string name = base;
  for (int k = 1; taken(name); ++k) name = fmt::format("{}_{}", base, k);
  return name;
}

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

Sequential parse_pipeline(const nlohmann::json& top, const LayerRegistry& registry) {
  // TensorFlow.js' model.json keeps the topology beside its weights manifest.
  const nlohmann::json& doc = top.is_object() && top.contains("modelTopology") ? top["modelTopology"] : top;
  if (!doc.is_object() || !doc.contains("class_name") || !doc["class_name"].is_string())
    throw UserError("pipeline: expected a Keras model or layer: an object with \"class_name\" and \"config\"");
  Sequential model;
  if (doc["class_name"] != "Sequential") {
    model.name = doc["class_name"].get<std::string>();
    model.layers.push_back(registry.create(doc));
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
    const std::string cls = from_keras1(spec["class_name"].get<std::string>(), nlohmann::json::object()).first;
    if (cls == "InputLayer") continue;
    if (registry.has(cls)) {
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
      config["name"] = unique_keras_name(from_keras1(spec["class_name"].get<std::string>(), nlohmann::json::object()).first,
                                         [&](const std::string& n) { return names.count(n) > 0; });
    }
    names.insert(config["name"].get<std::string>());
    try {
      model.layers.push_back(registry.create(spec));
    } catch (const UserError& e) {
      throw UserError(fmt::format("{}: layer {}: {}", model.name, i, e.what()));
    }
  }
  if (model.layers.empty()) throw UserError(fmt::format("{}: the model has no layers", model.name));
  return model;
}

void assign_weights(Sequential& model, const Shape& input, std::vector<NdArray> weights) {
  // A lone layer reports a mismatch itself, naming the layer and the shapes it takes.
  if (model.layers.size() == 1) return model.layers.front()->set_weights(input, std::move(weights));
  size_t wanted = 0;
  std::string per_layer;
  Shape s = input;
  for (const auto& layer : model.layers) {
    const size_t count = layer->weight_shapes(s).size();
    if (count) per_layer += fmt::format("{}{} takes {}", per_layer.empty() ? "" : ", ", layer->name(), count);
    wanted += count;
    s = layer->output_shape(s);
  }
  if (weights.size() != wanted)
    throw UserError(fmt::format("{}: weights: {} array{} given, the model takes {} ({}; Keras get_weights() order)",
                                model.name, weights.size(), weights.size() == 1 ? "" : "s", wanted,
                                per_layer.empty() ? "no layer has weights" : per_layer));
  size_t next = 0;
  s = input;
  for (auto& layer : model.layers) {
    const size_t count = layer->weight_shapes(s).size();
    std::vector<NdArray> mine(std::make_move_iterator(weights.begin() + static_cast<std::ptrdiff_t>(next)),
                              std::make_move_iterator(weights.begin() + static_cast<std::ptrdiff_t>(next + count)));
    next += count;
    layer->set_weights(s, std::move(mine));
    s = layer->output_shape(s);
  }
}

void initialize_weights(Sequential& model, const Shape& input, uint64_t seed) {
  Shape s = input;
  for (size_t i = 0; i < model.layers.size(); ++i) {
    Layer& layer = *model.layers[i];
    layer.set_weights(s, layer.initial_weights(s, seed + i));
    s = layer.output_shape(s);
  }
}

}  // namespace convscope
