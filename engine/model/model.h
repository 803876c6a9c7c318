#pragma once
// A model as convscope runs it: a graph of nodes, each a layer and the tensors it reads (the
// model's input or other nodes' outputs). The Sequential pipelines of today are the chain
// node 0 <- input, node i <- node i - 1; functional models add nodes that read several
// tensors or are read by several. Nodes are kept in Keras' layer order (the order of
// get_weights()); every walk over the graph goes in topological order.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "layers/layer.h"

namespace convscope {

// A Keras shape without the batch axis; nullopt where the model leaves an axis open (None).
using OpenShape = std::vector<std::optional<int64_t>>;

// What a node reads: one of the model's inputs, or another node's output.
struct Ref {
  enum class Kind { Input, Node };
  Kind kind = Kind::Input;
  size_t index = 0;

  static Ref input(size_t i = 0) { return {Kind::Input, i}; }
  static Ref node(size_t i) { return {Kind::Node, i}; }
  bool is_node() const { return kind == Kind::Node; }
  bool operator==(const Ref&) const = default;
};

struct Node {
  // Shared: Keras lets one layer (one set of weights) be called at several places of a graph.
  std::shared_ptr<Layer> layer;
  std::vector<Ref> inputs;
};

struct Model {
  std::string name = "model";
  std::string description;  // convscope's presets say what they show; Keras ignores the key
  // What reading the file filled in for the user to know (a depth_multiplier TensorFlow.js
  // left out, read from its kernel's shape): the CLI prints each as a note.
  std::vector<std::string> notices;
  // A TensorFlow.js model.json's weightsManifest (null for other files): the weights its shards,
  // beside the file, hold (io/tfjs_weights.h). Shared: models are copied, the manifest is not
  // edited.
  std::shared_ptr<const nlohmann::json> weights_manifest;
  std::optional<OpenShape> input_shape;  // of input 0, when the file gives one
  std::string input_name = "input_layer";  // input 0's InputLayer, as a functional model names it
  size_t input_count = 1;
  std::vector<Node> nodes;
  // What a functional model's output_layers name, in their order (an output may also feed
  // other nodes); empty for a chain, whose outputs are the nodes nobody reads.
  std::vector<size_t> output_nodes;

  // Appends `layer` reading the last node (the input when there is none): a chain's growth.
  void append(std::shared_ptr<Layer> layer);
  // The nodes in an order where every node comes after the nodes it reads; UserError naming
  // the node for a reference to nothing or a cycle.
  std::vector<size_t> topological_order() const;
  // What the model gives back: output_nodes when set, else the nodes no node reads.
  std::vector<size_t> outputs() const;
  // The nodes that read node `i`'s output.
  std::vector<size_t> consumers(size_t i) const;
  // Node i's layer, and the layer of the first node: the one that fixes the input's format.
  const Layer& layer(size_t i) const { return *nodes.at(i).layer; }
  // The data format input 0 is given in: that of the first spatial layer (in topological
  // order), channels_last when there is none.
  DataFormat input_format() const;
  // The same, nullopt when no spatial layer fixes it: a model of rank-free layers (Dense,
  // activations, normalisation) reads its input in whatever order the tensor carries.
  std::optional<DataFormat> spatial_input_format() const;
  // The spatial rank of input 0 (0 for a vector, 1 to 3): from the declared input shape,
  // else the first spatial layer's; nullopt when nothing fixes it (Dense on any rank).
  std::optional<int> input_rank() const;
  // Node i reads node i - 1 (the input for node 0), each layer once, the last node the output:
  // what a Sequential can say.
  bool is_chain() const;
  // Each distinct layer once, in node order: a shared layer's weights are one set.
  std::vector<Layer*> distinct_layers() const;
};

// A chain model of `layers`: node 0 reads the input, node i node i - 1.
Model chain_of(std::vector<std::shared_ptr<Layer>> layers, std::string name = "chain");

}  // namespace convscope
