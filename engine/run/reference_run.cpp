#include "run/reference_run.h"

#include <optional>

#include "core/error.h"

namespace convscope {

std::vector<Tensor> run_reference(const Model& model, const std::vector<Tensor>& inputs) {
  if (inputs.size() != model.input_count) throw Error("internal: run_reference given the wrong number of inputs");
  std::vector<std::optional<Tensor>> out(model.nodes.size());
  for (size_t i : model.topological_order()) {
    std::vector<const Tensor*> reads;
    for (const Ref& r : model.nodes[i].inputs) reads.push_back(r.is_node() ? &*out[r.index] : &inputs.at(r.index));
    out[i] = model.layer(i).node_reference(reads);
  }
  std::vector<Tensor> result;
  for (auto& t : out) result.push_back(std::move(*t));
  return result;
}

}  // namespace convscope
