// The activation family's descriptors: every key Keras 1, 2, tf.keras, 3 or TensorFlow.js
// writes for these classes (tfjs' camelCase keys arrive in snake_case, as its toJSON writes
// them), Keras 1's renames, and configs for the app's Add layer.
#include <nlohmann/json.hpp>

#include "layers/activation/activation_layers.h"
#include "layers/activation/prelu.h"
#include "layers/registry.h"

namespace convscope {

namespace {

template <typename L>
LayerDescriptor descriptor(std::string class_name, std::vector<std::string> arguments, nlohmann::json example) {
  LayerDescriptor d;
  d.class_name = std::move(class_name);
  d.arguments = std::move(arguments);
  d.example = std::move(example);
  d.family = "activation";
  d.make = [](const ConfigReader& cfg) { return std::make_unique<L>(cfg); };
  return d;
}

}  // namespace

void register_activation_layers(LayerRegistry& registry) {
  registry.add(descriptor<ActivationLayer>("Activation", {"activation"}, {{"activation", "relu"}}));
  // ReLU: Keras 2.1 wrote max_value alone; tf.keras and Keras 3 add negative_slope and threshold.
  registry.add(descriptor<ReLULayer>("ReLU", {"max_value", "negative_slope", "threshold"}, {{"max_value", 6.0}}));
  // LeakyReLU: alpha in Keras 1, 2 and tfjs; negative_slope in Keras 3, which still takes alpha.
  registry.add(descriptor<LeakyReLULayer>("LeakyReLU", {"alpha", "negative_slope"}, {{"negative_slope", 0.3}}));
  registry.add(descriptor<ELULayer>("ELU", {"alpha"}, {{"alpha", 1.0}}));
  registry.add(descriptor<ThresholdedReLULayer>("ThresholdedReLU", {"theta"}, {{"theta", 0.5}}));
  registry.add(descriptor<SoftmaxLayer>("Softmax", {"axis"}, {{"axis", -1}}));
  // PReLU: Keras 1 named the initializer `init` (PReLU(init='zero', shared_axes=None)).
  LayerDescriptor prelu = descriptor<PReLULayer>(
      "PReLU", {"alpha_initializer", "alpha_regularizer", "alpha_constraint", "shared_axes"}, {{"shared_axes", {1, 2}}});
  prelu.keras1_renames = {{"init", "alpha_initializer"}};
  registry.add(std::move(prelu));
}

}  // namespace convscope
