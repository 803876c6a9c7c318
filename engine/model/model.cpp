#include "model/model.h"

#include <fmt/format.h>

#include <set>

#include "core/error.h"

namespace convscope {

void Model::append(std::shared_ptr<Layer> layer) {
  const Ref source = nodes.empty() ? Ref::input() : Ref::node(nodes.size() - 1);
  nodes.push_back({std::move(layer), {source}});
}

std::vector<size_t> Model::topological_order() const {
  // Kahn's algorithm, taking the lowest ready index first so a chain (and any model already
  // in order, as Keras writes them) keeps its own order.
  std::vector<size_t> waiting(nodes.size(), 0);
  std::vector<std::vector<size_t>> readers(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i)
    for (const Ref& r : nodes[i].inputs) {
      const bool exists = r.is_node() ? r.index < nodes.size() : r.index < input_count;
      if (!exists)
        throw UserError(fmt::format("{}: {} reads {} {}, which the model does not have", name, nodes[i].layer->label(),
                                    r.is_node() ? "node" : "input", r.index));
      if (r.is_node()) ++waiting[i], readers[r.index].push_back(i);
    }
  std::set<size_t> ready;
  for (size_t i = 0; i < nodes.size(); ++i)
    if (waiting[i] == 0) ready.insert(i);
  std::vector<size_t> order;
  while (!ready.empty()) {
    const size_t i = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(i);
    for (size_t r : readers[i])
      if (--waiting[r] == 0) ready.insert(r);
  }
  if (order.size() != nodes.size()) {
    for (size_t i = 0; i < nodes.size(); ++i)
      if (waiting[i] > 0)
        throw UserError(fmt::format("{}: {} depends on its own output (a cycle in the graph)", name,
                                    nodes[i].layer->label()));
  }
  return order;
}

std::vector<size_t> Model::consumers(size_t i) const {
  std::vector<size_t> out;
  for (size_t k = 0; k < nodes.size(); ++k)
    for (const Ref& r : nodes[k].inputs)
      if (r == Ref::node(i)) {
        out.push_back(k);
        break;
      }
  return out;
}

std::vector<size_t> Model::outputs() const {
  if (!output_nodes.empty()) return output_nodes;
  std::vector<size_t> out;
  for (size_t i = 0; i < nodes.size(); ++i)
    if (consumers(i).empty()) out.push_back(i);
  return out;
}

namespace {
const Layer* first_spatial_layer(const Model& m) {
  if (m.nodes.empty()) return nullptr;
  for (size_t i : m.topological_order())
    if (m.layer(i).spatial_rank() > 0) return &m.layer(i);
  return nullptr;
}
}  // namespace

DataFormat Model::input_format() const {
  const Layer* first = first_spatial_layer(*this);
  return first ? first->data_format() : DataFormat::ChannelsLast;
}

std::optional<DataFormat> Model::spatial_input_format() const {
  const Layer* first = first_spatial_layer(*this);
  return first ? std::optional<DataFormat>(first->data_format()) : std::nullopt;
}

std::optional<int> Model::input_rank() const {
  if (input_shape && !input_shape->empty() && input_shape->size() <= 4) return static_cast<int>(input_shape->size()) - 1;
  const Layer* first = first_spatial_layer(*this);
  return first ? std::optional<int>(first->spatial_rank()) : std::nullopt;
}

bool Model::is_chain() const {
  for (size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].inputs != std::vector<Ref>{i == 0 ? Ref::input() : Ref::node(i - 1)}) return false;
  const bool last_out = output_nodes.empty() || output_nodes == std::vector<size_t>{nodes.size() - 1};
  return last_out && distinct_layers().size() == nodes.size();
}

std::vector<Layer*> Model::distinct_layers() const {
  std::vector<Layer*> out;
  std::set<const Layer*> seen;
  for (const Node& n : nodes)
    if (seen.insert(n.layer.get()).second) out.push_back(n.layer.get());
  return out;
}

Model chain_of(std::vector<std::shared_ptr<Layer>> layers, std::string name) {
  Model m;
  m.name = std::move(name);
  for (auto& l : layers) m.append(std::move(l));
  return m;
}

}  // namespace convscope
