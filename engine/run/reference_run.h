#pragma once
// A whole model on the CPU references (double accumulation), node by node in topological
// order: what the GPU run of a graph is compared with, and `convscope eval --reference`.
#include <vector>

#include "core/tensor.h"
#include "model/model.h"

namespace convscope {

// Every node's output, in node order. `inputs` holds one tensor per model input.
std::vector<Tensor> run_reference(const Model& model, const std::vector<Tensor>& inputs);

}  // namespace convscope
