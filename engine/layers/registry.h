#pragma once
// Layers are created by Keras class name. Each layer family registers its classes in one
// call (see registry.cpp), so adding a layer touches its own files and one line there.
#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "layers/config_reader.h"
#include "layers/layer.h"

namespace convscope {

using LayerFactory = std::function<std::unique_ptr<Layer>(const ConfigReader&)>;

class LayerRegistry {
 public:
  void add(const std::string& class_name, LayerFactory factory);
  // {"class_name": ..., "config": {...}} -> a layer; Keras 1 names and arguments are mapped
  // first. UserError for anything malformed or unknown.
  std::unique_ptr<Layer> create(const nlohmann::json& spec) const;
  std::vector<std::string> class_names() const;
  bool has(const std::string& class_name) const { return factories_.count(class_name) > 0; }

  // The registry holding every layer convscope implements.
  static const LayerRegistry& builtin();

 private:
  std::map<std::string, LayerFactory> factories_;
};

// One registration function per layer family, each defined beside its layers.
void register_window_layers(LayerRegistry& registry);
void register_conv_layers(LayerRegistry& registry);
void register_upsampling_layers(LayerRegistry& registry);
void register_learnable_crop(LayerRegistry& registry);

}  // namespace convscope
