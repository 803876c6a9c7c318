#include "model/weights.h"

#include <fmt/format.h>

#include "io/weights_file.h"

namespace convscope {

std::vector<std::string> provide_weights(Sequential& model, const Shape& input,
                                         const std::vector<std::filesystem::path>& files,
                                         const std::optional<std::filesystem::path>& pipeline_file, uint64_t seed) {
  if (!files.empty()) {
    assign_weights(model, input, load_weights(files));
    return {};
  }
  if (pipeline_file) {
    if (const auto beside = weights_beside(*pipeline_file)) {
      assign_weights(model, input, load_weights({*beside}));
      return {fmt::format("weights from {}", beside->string())};
    }
  }
  bool needs = false;
  Shape s = input;
  for (const auto& layer : model.layers) needs |= !layer->weight_shapes(s).empty(), s = layer->output_shape(s);
  initialize_weights(model, input, seed);
  if (!needs) return {};
  return {fmt::format("no weights given: kernels initialised glorot_uniform and biases zero, as Keras does, from seed {}",
                      seed)};
}

}  // namespace convscope
