// The merge layers, as the registry knows them.
#include "layers/merge/merge_layers.h"
#include "layers/registry.h"

namespace convscope {

void register_merge_layers(LayerRegistry& registry) {
  const std::pair<const char*, MergeOp> elementwise[] = {{"Add", MergeOp::Add},           {"Subtract", MergeOp::Subtract},
                                                         {"Multiply", MergeOp::Multiply}, {"Average", MergeOp::Average},
                                                         {"Maximum", MergeOp::Maximum},   {"Minimum", MergeOp::Minimum}};
  for (const auto& [name, op] : elementwise) {
    LayerDescriptor d;
    d.class_name = name;
    d.family = "merging";
    d.min_inputs = 2;
    // clang 14 cannot capture a structured binding, so copy it first.
    const MergeOp merge_op = op;
    d.make = [merge_op](const ConfigReader& cfg) { return std::make_unique<ElementwiseMerge>(cfg, merge_op); };
    registry.add(std::move(d));
  }
  LayerDescriptor concat;
  concat.class_name = "Concatenate";
  concat.keras1_renames = {{"concat_axis", "axis"}};
  concat.arguments = {"axis"};
  concat.family = "merging";
  concat.min_inputs = 2;
  concat.make = [](const ConfigReader& cfg) { return std::make_unique<ConcatenateLayer>(cfg); };
  registry.add(std::move(concat));
}

}  // namespace convscope
