#include "layers/registry.h"

#include <fmt/format.h>

#include "core/error.h"
#include "layers/keras1.h"

namespace convscope {

void LayerRegistry::add(const std::string& class_name, LayerFactory factory) {
  factories_[class_name] = std::move(factory);
}

std::vector<std::string> LayerRegistry::class_names() const {
  std::vector<std::string> names;
  for (const auto& [name, factory] : factories_) names.push_back(name);
  return names;
}

std::unique_ptr<Layer> LayerRegistry::create(const nlohmann::json& spec) const {
  if (!spec.is_object() || !spec.contains("class_name") || !spec["class_name"].is_string())
    throw UserError("layer: expected an object {\"class_name\": ..., \"config\": {...}}");
  const nlohmann::json config = spec.contains("config") ? spec["config"] : nlohmann::json::object();
  if (!config.is_object())
    throw UserError(fmt::format("{}: config: expected an object, got {}", spec["class_name"].get<std::string>(),
                                python_repr(config)));
  const auto [class_name, normalised] = from_keras1(spec["class_name"].get<std::string>(), config);
  auto it = factories_.find(class_name);
  if (it == factories_.end()) {
    std::string known;
    for (const auto& name : class_names()) known += (known.empty() ? "" : ", ") + name;
    throw UserError(fmt::format("{}: unknown layer class (convscope implements: {})", class_name, known));
  }
  return it->second(ConfigReader(class_name, normalised));
}

const LayerRegistry& LayerRegistry::builtin() {
  static const LayerRegistry registry = [] {
    LayerRegistry r;
    register_window_layers(r);
    register_conv_layers(r);
    register_upsampling_layers(r);
    register_learnable_crop(r);
    return r;
  }();
  return registry;
}

}  // namespace convscope
