#include "model/model_config.h"

#include <fmt/format.h>

#include "core/error.h"

namespace convscope {

namespace {

bool is_triple(const nlohmann::json& v) {
  return v.is_array() && v.size() >= 3 && v.size() <= 4 && v[0].is_string() && v[1].is_number_integer() &&
         v[2].is_number_integer();
}

TensorRef triple(const nlohmann::json& v) { return {v[0].get<std::string>(), v[1].get<int64_t>(), v[2].get<int64_t>()}; }

// Keras 3 keeps the tensors of a call inside its args, as keras tensors, alone or in lists
// (a merge's first argument is the list of its inputs).
void collect_keras_tensors(const nlohmann::json& v, std::vector<TensorRef>& out, const std::string& who) {
  if (v.is_array()) {
    for (const auto& item : v) collect_keras_tensors(item, out, who);
    return;
  }
  if (!v.is_object() || string_at(v, "class_name") != "__keras_tensor__") return;
  const nlohmann::json history = v.contains("config") && v["config"].is_object() ? v["config"].value("keras_history", nlohmann::json())
                                                                                 : nlohmann::json();
  if (!is_triple(history))
    throw UserError(fmt::format("{}: inbound_nodes: a keras tensor without keras_history [layer, node, tensor]", who));
  out.push_back(triple(history));
}

}  // namespace

std::string string_at(const nlohmann::json& v, const char* key, const std::string& fallback) {
  if (!v.is_object()) return fallback;
  const auto it = v.find(key);
  return it != v.end() && it->is_string() ? it->get<std::string>() : fallback;
}

std::string model_name(const nlohmann::json& spec, const std::string& fallback) {
  const nlohmann::json* config = spec.is_object() && spec.contains("config") ? &spec["config"] : nullptr;
  if (config && config->is_object() && config->contains("name") && (*config)["name"].is_string())
    return (*config)["name"].get<std::string>();
  return fallback;
}

std::string layer_name_of(const nlohmann::json& layer) {
  if (layer.contains("name") && layer["name"].is_string()) return layer["name"].get<std::string>();
  return model_name(layer, "");
}

const nlohmann::json& layer_list(const nlohmann::json& spec) {
  static const nlohmann::json none;
  const nlohmann::json& config = spec.contains("config") ? spec["config"] : none;
  if (config.is_array()) return config;  // Keras 1: the config is the list
  if (config.is_object() && config.contains("layers") && config["layers"].is_array()) return config["layers"];
  throw UserError(fmt::format("{}: config: expected a list of layers (\"config\": {{\"layers\": [...]}})",
                              string_at(spec, "class_name", "Sequential")));
}

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

std::vector<TensorRef> tensor_list(const nlohmann::json& value, const std::string& what) {
  if (is_triple(value)) return {triple(value)};
  std::vector<TensorRef> out;
  if (value.is_array() || value.is_object()) {
    for (const auto& item : value) {
      if (!is_triple(item)) {
        out.clear();
        break;
      }
      out.push_back(triple(item));
    }
    if (!out.empty() || value.empty()) return out;
  }
  throw UserError(fmt::format("{}: expected [layer name, node index, tensor index] or a list of them, got {}", what,
                              value.dump().substr(0, 80)));
}

std::vector<std::vector<TensorRef>> layer_calls(const nlohmann::json& layer) {
  const std::string who = layer_name_of(layer);
  const nlohmann::json nodes = layer.value("inbound_nodes", nlohmann::json::array());
  if (!nodes.is_array()) throw UserError(fmt::format("{}: inbound_nodes: expected a list of calls", who));
  std::vector<std::vector<TensorRef>> calls;
  for (const auto& call : nodes) {
    std::vector<TensorRef> reads;
    if (call.is_object() && call.contains("args")) {
      collect_keras_tensors(call["args"], reads, who);
    } else if (call.is_array()) {
      for (const auto& t : call) {
        if (!is_triple(t))
          throw UserError(fmt::format("{}: inbound_nodes: expected [layer name, node index, tensor index, {{}}], got {}",
                                      who, t.dump().substr(0, 80)));
        reads.push_back(triple(t));
      }
    } else {
      throw UserError(fmt::format("{}: inbound_nodes: a call is a list of tensors or {{\"args\": ..., \"kwargs\": ...}}", who));
    }
    if (reads.empty()) throw UserError(fmt::format("{}: inbound_nodes: a call that reads no tensor", who));
    calls.push_back(std::move(reads));
  }
  return calls;
}

}  // namespace convscope
