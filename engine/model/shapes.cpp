#include "model/shapes.h"

#include <fmt/format.h>

#include "core/error.h"

namespace convscope {

std::optional<std::vector<Shape>> input_shapes(const Model& model, size_t i, std::span<const Shape> inputs,
                                               const std::vector<NodeShape>& shapes) {
  std::vector<Shape> out;
  for (const Ref& r : model.nodes.at(i).inputs) {
    if (!r.is_node()) {
      out.push_back(inputs[r.index]);
    } else if (shapes[r.index].fits()) {
      out.push_back(*shapes[r.index].shape);
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::vector<NodeShape> node_shapes(const Model& model, std::span<const Shape> inputs, const NodeCheck& check) {
  if (inputs.size() != model.input_count)
    throw Error(fmt::format("internal: {} takes {} inputs, {} given", model.name, model.input_count, inputs.size()));
  std::vector<NodeShape> shapes(model.nodes.size());
  for (size_t i : model.topological_order()) {
    const Node& node = model.nodes[i];
    NodeShape& out = shapes[i];
    for (const Ref& r : node.inputs)
      if (r.is_node() && !shapes[r.index].fits()) {
        // The misfit itself, not a node waiting on it, is what the user has to fix.
        out.blocked_by = shapes[r.index].blocked_by.value_or(r.index);
        break;
      }
    if (out.blocked_by) continue;
    const std::vector<Shape> in = *input_shapes(model, i, inputs, shapes);
    try {
      const Shape s = node.layer->node_output_shape(in);
      if (check) check(i, in);
      out.shape = s;
    } catch (const UserError& e) {
      out.error = e.what();
    }
  }
  return shapes;
}

std::vector<Shape> infer_shapes(const Model& model, const Shape& input) {
  const Shape inputs[] = {input};
  const auto shapes = node_shapes(model, inputs);
  for (size_t i : model.topological_order())
    if (!shapes[i].error.empty()) throw UserError(shapes[i].error);
  std::vector<Shape> out;
  for (const NodeShape& s : shapes) out.push_back(*s.shape);
  return out;
}

Shape input_shape_of(const Model& model, size_t i, const Shape& input, const std::vector<Shape>& shapes) {
  const Ref& r = model.nodes.at(i).inputs.at(0);
  return r.is_node() ? shapes.at(r.index) : input;
}

}  // namespace convscope
