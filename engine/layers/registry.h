#pragma once
// Layers are created by Keras class name. Each layer family describes its classes in its own
// files (a LayerDescriptor each: names, an example config, the arguments it takes, how to
// make it) and registers them in one call; adding a family touches one line in registry.cpp.
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

struct LayerDescriptor {
  std::string class_name;            // as Keras 3 names it
  std::vector<std::string> aliases;  // older names that mean it (Keras 1 "Convolution2D")
  // Keras 1 argument names of this class alone, mapped before the layer reads its config
  // (the names every layer shared are mapped in keras1.cpp).
  std::vector<std::pair<std::string, std::string>> keras1_renames;
  // The arguments the layer takes, beyond those every layer accepts (config_keys.h): with
  // every key some Keras generation or TensorFlow.js writes for it, so real files load, and
  // nothing else, so a misspelt argument is refused instead of silently ignored.
  std::vector<std::string> arguments;
  // A config the app's Add layer starts from: it runs at once on an RGB image.
  nlohmann::json example = nlohmann::json::object();
  // Keras 3's "module" when a model is written back; convscope's own layers are "convscope".
  std::string module = "keras.layers";
  std::string family;  // "convolution", "cropping and padding", ...: how the app groups them
  // The spatial rank of the input the example runs on: -1 for the layer's own (a 2D image for
  // layers that take any rank), 0 for a (batch, features) vector (RepeatVector, Dense heads).
  int example_rank = -1;
  // How many tensors a call reads at least: 2 for merges (Add, Concatenate, ...), else 1.
  int min_inputs = 1;
  LayerFactory make;
};

class LayerRegistry {
 public:
  void add(LayerDescriptor descriptor);
  // {"class_name": ..., "config": {...}} -> a layer; Keras 1 names and arguments are mapped
  // first. UserError for anything malformed, unknown, or an argument the layer does not take.
  std::unique_ptr<Layer> create(const nlohmann::json& spec) const;
  // The descriptor of a class name or alias; nullptr when convscope does not implement it.
  const LayerDescriptor* find(const std::string& name) const;
  std::vector<std::string> class_names() const;
  const std::map<std::string, LayerDescriptor>& descriptors() const { return descriptors_; }

  // The registry holding every layer convscope implements.
  static const LayerRegistry& builtin();

 private:
  std::map<std::string, LayerDescriptor> descriptors_;
  std::map<std::string, std::string> aliases_;  // alias -> class name
};

// One registration function per layer family, each defined beside its layers.
void register_window_layers(LayerRegistry& registry);
void register_conv_layers(LayerRegistry& registry);
void register_upsampling_layers(LayerRegistry& registry);
void register_learnable_crop(LayerRegistry& registry);
void register_reshape_layers(LayerRegistry& registry);
void register_dense_layers(LayerRegistry& registry);
void register_merge_layers(LayerRegistry& registry);
void register_pooling_layers(LayerRegistry& registry);
void register_normalization_layers(LayerRegistry& registry);
void register_activation_layers(LayerRegistry& registry);

}  // namespace convscope
