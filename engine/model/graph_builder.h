#pragma once
// Turns a Keras model config into convscope's graph: a Sequential into a chain, a Functional
// (or Keras 1 / TensorFlow.js "Model") into nodes wired by their inbound_nodes, in either form
// Keras writes them (Keras 2 / tf.keras / TF.js `[["name", node, tensor, {}]]`, Keras 3
// `{"args": [{"class_name": "__keras_tensor__", ...}], "kwargs": {}}`). A model used as a layer
// (a backbone) is flattened into the graph in place, so the weights keep Keras' get_weights()
// order; a layer called several times is one Layer shared by several nodes.
//
// Tensors are named while the config is read ("scope|layer|call|tensor") and resolved to
// nodes at the end, because a call may read a layer that the config lists later, and a
// nested model's outputs are known only once it is flattened.
#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "layers/registry.h"
#include "model/model.h"

namespace convscope {

// The class names that are models rather than layers.
bool is_model_class(const std::string& class_name);

class GraphBuilder {
 public:
  GraphBuilder(Model& model, const LayerRegistry& registry) : model_(model), registry_(registry) {}

  // Adds the nodes of `spec` (a Sequential or Functional), reading the tensors named
  // `inputs`; returns the names of its outputs. `definition` names the model's layers (the
  // same for every call, so a nested model called twice shares its weights); `scope` names
  // this call's tensors.
  std::vector<std::string> add_model(const nlohmann::json& spec, const std::string& definition,
                                     const std::string& scope, const std::vector<std::string>& inputs);
  // The name of the model's input i, as add_model takes it.
  std::string model_input(size_t i);
  // Wires every node to what it reads; UserError naming the node for a tensor nobody makes.
  void resolve();
  // Where a tensor comes from; UserError when nobody makes it.
  Ref ref_of(const std::string& tensor, const std::string& reader) const;

 private:
  std::vector<std::string> add_sequential(const nlohmann::json& spec, const std::string& definition,
                                          const std::string& scope, const std::vector<std::string>& inputs);
  std::vector<std::string> add_functional(const nlohmann::json& spec, const std::string& definition,
                                          const std::string& scope, const std::vector<std::string>& inputs);
  std::shared_ptr<Layer> layer_for(const std::string& definition, const nlohmann::json& spec);
  void add_node(std::shared_ptr<Layer> layer, std::vector<std::string> reads, const std::string& makes);

  Model& model_;
  const LayerRegistry& registry_;
  std::map<std::string, std::string> alias_;   // a tensor name that stands for another
  std::map<std::string, Ref> made_;            // the tensors nodes and inputs make
  std::vector<std::vector<std::string>> reads_;  // per node: the tensors it reads
  std::map<std::string, std::shared_ptr<Layer>> layers_;  // per definition: one Layer
};

}  // namespace convscope
