#include "layers/layer.h"

#include <fmt/format.h>

#include "core/error.h"

namespace convscope {

std::vector<std::vector<int64_t>> Layer::weight_shapes(const Shape&) const { return {}; }

void Layer::set_weights(const Shape& input, std::vector<NdArray> weights) {
  const auto expected = weight_shapes(input);
  auto list = [](const auto& shapes, auto shape_of) {
    std::string s;
    for (const auto& w : shapes) s += (s.empty() ? "" : ", ") + shape_string(shape_of(w));
    return "[" + s + "]";
  };
  auto same = [](const std::vector<int64_t>& s) { return s; };
  auto of_array = [](const NdArray& a) { return a.shape; };
  if (expected.empty() && !weights.empty())
    throw UserError(fmt::format("{}: weights: the layer takes no weights, {} array{} given", label(), weights.size(),
                                weights.size() == 1 ? " was" : "s were"));
  if (weights.size() != expected.size())
    throw UserError(fmt::format("{}: weights: expected {} array{} {}, got {} {}", label(), expected.size(),
                                expected.size() == 1 ? "" : "s", list(expected, same), weights.size(),
                                list(weights, of_array)));
  for (size_t i = 0; i < weights.size(); ++i)
    if (weights[i].shape != expected[i])
      throw UserError(fmt::format("{}: weights: array {} has shape {}, expected {} (Keras get_weights() layout)",
                                  label(), i, shape_string(weights[i].shape), shape_string(expected[i])));
  weights_ = std::move(weights);
}

}  // namespace convscope
