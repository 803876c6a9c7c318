#pragma once
// Shape inference over a model's graph, in topological order: every node's output shape for
// given input shapes. Strict for the command line (the first misfit refuses the model) and
// tolerant for the app, which shows a misfit layer's message in place and the layers after
// it as waiting on it.
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model/model.h"

namespace convscope {

struct NodeShape {
  std::optional<Shape> shape;        // the output's, when the node fits
  std::string error;                 // why this node's layer refuses what it reads
  std::optional<size_t> blocked_by;  // the misfit node upstream that leaves this one unknown
  bool fits() const { return shape.has_value(); }
};

// Checks a node beyond its shape rule (its weights, say), throwing UserError to make it a misfit.
using NodeCheck = std::function<void(size_t node, std::span<const Shape> inputs)>;

// One entry per node. `inputs` holds the model's input shapes.
std::vector<NodeShape> node_shapes(const Model& model, std::span<const Shape> inputs, const NodeCheck& check = {});

// The shapes node `i` reads, from the model's inputs and `shapes`; nullopt when one is unknown.
std::optional<std::vector<Shape>> input_shapes(const Model& model, size_t i, std::span<const Shape> inputs,
                                               const std::vector<NodeShape>& shapes);

// Every node's output shape, or UserError with the message of the first node (in topological
// order) that does not fit, before any work is done.
std::vector<Shape> infer_shapes(const Model& model, const Shape& input);

// The shape the first input of node `i` has (what a one-input layer reads), strictly.
Shape input_shape_of(const Model& model, size_t i, const Shape& input, const std::vector<Shape>& shapes);

}  // namespace convscope
