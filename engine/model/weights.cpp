#include "model/weights.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/error.h"
#include "io/tfjs_weights.h"
#include "io/weights_file.h"
#include "model/shapes.h"

namespace convscope {

namespace {

// Each distinct layer with the shape its first node reads, in node order.
std::vector<std::pair<Layer*, Shape>> layers_with_inputs(const Model& model, const Shape& input) {
  const auto shapes = infer_shapes(model, input);
  std::vector<std::pair<Layer*, Shape>> out;
  std::set<const Layer*> seen;
  for (size_t i = 0; i < model.nodes.size(); ++i)
    if (seen.insert(model.nodes[i].layer.get()).second)
      out.emplace_back(model.nodes[i].layer.get(), input_shape_of(model, i, input, shapes));
  return out;
}

// A TensorFlow.js model.json's own weights (the manifest parse_pipeline kept, the shards beside
// `file`), in get_weights() order: by the manifest's names ("<layer>/<weight>") where every
// layer's are there, else in manifest order, which tfjs writes in that order too. nullopt for
// a model read from another kind of file.
std::optional<std::vector<NdArray>> tfjs_weights(const Model& model, const std::filesystem::path& file) {
  if (!model.weights_manifest) return std::nullopt;
  std::vector<NamedArray> named = read_tfjs_weights(*model.weights_manifest, file.parent_path(), file.string());
  std::vector<NdArray> ordered;
  for (const Layer* layer : model.distinct_layers())
    for (const std::string& w : layer->weight_names()) {
      const std::string name = layer->name() + "/" + w;
      const auto it = std::find_if(named.begin(), named.end(), [&](const NamedArray& a) { return a.name == name; });
      if (it == named.end()) {  // named otherwise (a nested model's prefix): the manifest's order
        std::vector<NdArray> in_order;
        for (NamedArray& a : named) in_order.push_back(std::move(a.array));
        return in_order;
      }
      ordered.push_back(it->array);
    }
  return ordered;
}

void require_total(const Model& model, size_t given, const std::vector<size_t>& counts) {
  size_t wanted = 0;
  std::string per_layer;
  const auto layers = model.distinct_layers();
  for (size_t i = 0; i < layers.size(); ++i) {
    if (counts[i]) per_layer += fmt::format("{}{} takes {}", per_layer.empty() ? "" : ", ", layers[i]->name(), counts[i]);
    wanted += counts[i];
  }
  if (given != wanted)
    throw UserError(fmt::format("{}: weights: {} array{} given, the model takes {} ({}; Keras get_weights() order)",
                                model.name, given, given == 1 ? "" : "s", wanted,
                                per_layer.empty() ? "no layer has weights" : per_layer));
}

// Moves `count` arrays from `next` on out of `weights`.
std::vector<NdArray> take(std::vector<NdArray>& weights, size_t& next, size_t count) {
  std::vector<NdArray> mine(std::make_move_iterator(weights.begin() + static_cast<std::ptrdiff_t>(next)),
                            std::make_move_iterator(weights.begin() + static_cast<std::ptrdiff_t>(next + count)));
  next += count;
  return mine;
}

}  // namespace

void assign_weights(Model& model, const Shape& input, std::vector<NdArray> weights) {
  // A lone layer reports a mismatch itself, naming the layer and the shapes it takes.
  if (model.nodes.size() == 1) return model.nodes.front().layer->set_weights(input, std::move(weights));
  const auto layers = layers_with_inputs(model, input);
  std::vector<size_t> counts;
  for (const auto& [layer, in] : layers) counts.push_back(layer->weight_shapes(in).size());
  require_total(model, weights.size(), counts);
  size_t next = 0;
  for (size_t i = 0; i < layers.size(); ++i) layers[i].first->set_weights(layers[i].second, take(weights, next, counts[i]));
}

void hold_weights(Model& model, std::vector<NdArray> weights) {
  const auto layers = model.distinct_layers();
  std::vector<size_t> counts;
  for (const Layer* layer : layers) counts.push_back(layer->weight_names().size());
  require_total(model, weights.size(), counts);
  size_t next = 0;
  for (size_t i = 0; i < layers.size(); ++i) layers[i]->hold_weights(take(weights, next, counts[i]));
}

void initialize_weights(Model& model, const Shape& input, uint64_t seed) {
  const auto layers = layers_with_inputs(model, input);
  for (size_t i = 0; i < layers.size(); ++i) {
    auto& [layer, in] = layers[i];
    layer->set_weights(in, layer->initial_weights(in, seed + i));
  }
}

std::vector<std::string> provide_weights(Model& model, const Shape& input,
                                         const std::vector<std::filesystem::path>& files,
                                         const std::optional<std::filesystem::path>& pipeline_file, uint64_t seed) {
  if (!files.empty()) {
    assign_weights(model, input, load_weights(files));
    return {};
  }
  if (pipeline_file) {
    if (auto own = tfjs_weights(model, *pipeline_file)) {
      assign_weights(model, input, std::move(*own));
      return {fmt::format("weights from {}'s weightsManifest", pipeline_file->string())};
    }
    if (const auto beside = weights_beside(*pipeline_file)) {
      assign_weights(model, input, load_weights({*beside}));
      return {fmt::format("weights from {}", beside->string())};
    }
  }
  bool needs = false;
  for (const auto& [layer, in] : layers_with_inputs(model, input)) needs |= !layer->weight_shapes(in).empty();
  initialize_weights(model, input, seed);
  if (!needs) return {};
  return {fmt::format("no weights given: kernels initialised glorot_uniform and biases zero, as Keras does, from seed {}",
                      seed)};
}

}  // namespace convscope
