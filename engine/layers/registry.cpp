#include "layers/registry.h"

#include <fmt/format.h>

#include "core/error.h"
#include "layers/config_keys.h"
#include "layers/keras1.h"

namespace convscope {

void LayerRegistry::add(LayerDescriptor d) {
  for (const std::string& alias : d.aliases) aliases_[alias] = d.class_name;
  const std::string name = d.class_name;
  descriptors_[name] = std::move(d);
}

const LayerDescriptor* LayerRegistry::find(const std::string& name) const {
  const auto alias = aliases_.find(name);
  const auto it = descriptors_.find(alias == aliases_.end() ? name : alias->second);
  return it == descriptors_.end() ? nullptr : &it->second;
}

std::vector<std::string> LayerRegistry::class_names() const {
  std::vector<std::string> names;
  for (const auto& [name, d] : descriptors_) names.push_back(name);
  return names;
}

std::unique_ptr<Layer> LayerRegistry::create(const nlohmann::json& spec) const {
  if (!spec.is_object() || !spec.contains("class_name") || !spec["class_name"].is_string())
    throw UserError("layer: expected an object {\"class_name\": ..., \"config\": {...}}");
  const std::string written = spec["class_name"].get<std::string>();
  const nlohmann::json config = spec.contains("config") ? spec["config"] : nlohmann::json::object();
  if (!config.is_object())
    throw UserError(fmt::format("{}: config: expected an object, got {}", written, python_repr(config)));
  const LayerDescriptor* d = find(written);
  if (!d) {
    std::string known;
    for (const auto& name : class_names()) known += (known.empty() ? "" : ", ") + name;
    throw UserError(fmt::format("{}: unknown layer class (convscope implements: {})", written, known));
  }
  const nlohmann::json normalised = from_keras1(config, d->keras1_renames);
  const ConfigReader reader(d->class_name, normalised);
  refuse_unknown_keys(reader.label(), normalised, d->arguments);
  std::unique_ptr<Layer> layer = d->make(reader);
  layer->set_trainable(read_bool(reader, "trainable", true));
  return layer;
}

const LayerRegistry& LayerRegistry::builtin() {
  static const LayerRegistry registry = [] {
    LayerRegistry r;
    register_window_layers(r);
    register_conv_layers(r);
    register_upsampling_layers(r);
    register_learnable_crop(r);
    register_reshape_layers(r);
    register_dense_layers(r);
    register_merge_layers(r);
    register_pooling_layers(r);
    register_normalization_layers(r);
    register_activation_layers(r);
    return r;
  }();
  return registry;
}

}  // namespace convscope
