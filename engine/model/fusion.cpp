#include "model/fusion.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/keras_axes.h"
#include "layers/activation/activation_layers.h"
#include "layers/norm/batch_norm.h"
#include "layers/registry.h"
#include "model/shapes.h"

namespace convscope {

namespace {

// The one node that reads node i's output, when exactly one does and i is not an output.
std::optional<size_t> only_reader(const Model& model, size_t i, const std::vector<size_t>& outputs) {
  if (std::find(outputs.begin(), outputs.end(), i) != outputs.end()) return std::nullopt;
  const std::vector<size_t> readers = model.consumers(i);
  if (readers.size() != 1 || model.nodes[readers[0]].inputs.size() != 1) return std::nullopt;
  return readers[0];
}

bool shared(const Model& model, size_t i) {
  return std::count_if(model.nodes.begin(), model.nodes.end(),
                       [&](const Node& n) { return n.layer == model.nodes[i].layer; }) > 1;
}

size_t index_of(const std::vector<std::string>& names, const std::string& name) {
  return static_cast<size_t>(std::find(names.begin(), names.end(), name) - names.begin());
}

// The output channel element f of a kernel array feeds, by its layout (layers/layer_hints.h).
int64_t out_channel(const std::vector<int64_t>& dims, size_t f, KernelLayout layout) {
  const int64_t last = dims.back(), second = dims[dims.size() - 2];
  const auto i = static_cast<int64_t>(f);
  switch (layout) {
    case KernelLayout::Transposed: return (i / last) % second;  // (k..., filters, in)
    case KernelLayout::Depthwise: return i % (last * second);   // (k..., in, dm): c * dm + m
    default: return i % last;                                   // (k..., in, filters)
  }
}

// The conv at node c with BN node b folded in and `activation` as its own; nullptr when the
// layers are not of the forms fuse_for_inference() takes.
std::shared_ptr<Layer> folded(const Layer& conv, const Layer& bn_layer, const Shape& conv_input,
                              const Shape& conv_output, const nlohmann::json& activation) {
  const auto* bn = dynamic_cast<const BatchNormLayer*>(&bn_layer);
  const LayerHints hints = conv.hints();
  nlohmann::json config = conv.keras_config();
  if (!bn || !hints.kernel_array || !config.contains("activation") || config["activation"] != "linear") return nullptr;
  if (bn->axes().size() != 1 || canonical_axis(conv_output, bn->axes()[0]) != 1) return nullptr;
  const std::vector<std::string> bn_names = bn->weight_names();
  if (bn_names.size() > 4) return nullptr;  // renorm: its statistics are not simply an affine map
  const int64_t channels = conv_output.c;
  std::vector<double> scale(static_cast<size_t>(channels)), shift(scale.size());
  const auto& bw = bn->weights();
  auto bn_array = [&](const char* name, double fallback, size_t c) {
    const size_t k = index_of(bn_names, name);
    return k < bn_names.size() ? static_cast<double>(bw.at(k).data.at(c)) : fallback;
  };
  for (size_t c = 0; c < scale.size(); ++c) {
    scale[c] = bn_array("gamma", 1.0, c) / std::sqrt(bn_array("moving_variance", 1.0, c) + bn->epsilon());
    shift[c] = bn_array("beta", 0.0, c) - bn_array("moving_mean", 0.0, c) * scale[c];
  }
  // The weights of the fused layer: the conv's own, the kernel that makes each output channel
  // scaled, and a bias (the conv's, or zeros) scaled and shifted.
  const std::vector<std::string> names = conv.weight_names();
  std::vector<NdArray> weights = conv.weights();
  if (weights.size() != names.size()) return nullptr;  // no weights yet: nothing to fold
  const size_t scaled = hints.pointwise_array.value_or(*hints.kernel_array);
  const KernelLayout layout = hints.pointwise_array ? KernelLayout::Dense : hints.kernel_layout;
  NdArray& kernel = weights.at(scaled);
  for (size_t f = 0; f < kernel.data.size(); ++f) {
    const int64_t c = out_channel(kernel.shape, f, layout);
    if (c >= channels) return nullptr;  // a layout this does not know: leave the layers apart
    kernel.data[f] = static_cast<float>(kernel.data[f] * scale[static_cast<size_t>(c)]);
  }
  NdArray bias({channels});
  if (const size_t k = index_of(names, "bias"); k < names.size()) bias = weights[k], weights.erase(weights.begin() + static_cast<std::ptrdiff_t>(k));
  for (size_t c = 0; c < bias.data.size(); ++c) bias.data[c] = static_cast<float>(bias.data[c] * scale[c] + shift[c]);
  weights.push_back(std::move(bias));  // every convolution lists its bias last
  config["use_bias"] = true;
  config["activation"] = activation;
  std::shared_ptr<Layer> layer = LayerRegistry::builtin().create({{"class_name", conv.class_name()}, {"config", config}});
  layer->set_weights(conv_input, std::move(weights));
  return layer;
}

// The activation an activation layer computes, as a convolution's `activation` argument
// states it; null when it cannot (a ReLU with max_value 5, a PReLU with weights).
nlohmann::json as_conv_activation(const Layer& layer) {
  const auto* a = dynamic_cast<const ActivationFunctionLayer*>(&layer);
  if (!a) return nullptr;
  try {
    const nlohmann::json config = activation_config(a->spec());
    return parse_activation(config, layer.label()) == a->spec() ? config : nlohmann::json();
  } catch (const Error&) {
    return nullptr;  // no Keras name for these parameters (activation_config says so)
  }
}

// Drops node `gone` (nobody reads it now), renumbering the references after it.
void erase_node(Model& model, size_t gone) {
  model.nodes.erase(model.nodes.begin() + static_cast<std::ptrdiff_t>(gone));
  for (Node& n : model.nodes)
    for (Ref& r : n.inputs)
      if (r.is_node() && r.index > gone) --r.index;
  for (size_t& o : model.output_nodes)
    if (o > gone) --o;
}

}  // namespace

Fused fuse_for_inference(const Model& model, const Shape& input) {
  Fused out{model, {}};
  Model& m = out.model;
  for (size_t c = 0; c < m.nodes.size(); ++c) {
    const std::vector<size_t> outputs = m.outputs();
    const std::optional<size_t> b = only_reader(m, c, outputs);
    if (!b || shared(m, c) || shared(m, *b) || m.nodes[c].inputs.size() != 1) continue;
    std::optional<size_t> act = only_reader(m, *b, outputs);
    nlohmann::json activation = act && !shared(m, *act) ? as_conv_activation(m.layer(*act)) : nlohmann::json();
    if (activation.is_null()) act.reset(), activation = "linear";
    const std::vector<Shape> shapes = infer_shapes(m, input);
    std::shared_ptr<Layer> layer =
        folded(m.layer(c), m.layer(*b), input_shape_of(m, c, input, shapes), shapes[c], activation);
    if (!layer) continue;
    std::string line = fmt::format("{} + {}", m.layer(c).name(), m.layer(*b).name());
    if (act) line += " + " + m.layer(*act).name();
    out.fusions.push_back(std::move(line));
    // The fused node takes the place of the last node it replaces: what read that reads it.
    const size_t last = act.value_or(*b);
    m.nodes[c].layer = std::move(layer);
    for (Node& n : m.nodes)
      for (Ref& r : n.inputs)
        if (r == Ref::node(last)) r = Ref::node(c);
    for (size_t& o : m.output_nodes)
      if (o == last) o = c;
    std::vector<size_t> gone{*b};
    if (act) gone.push_back(*act);
    std::sort(gone.rbegin(), gone.rend());
    for (size_t g : gone) erase_node(m, g);
    c -= static_cast<size_t>(std::count_if(gone.begin(), gone.end(), [&](size_t g) { return g < c; }));
  }
  return out;
}

}  // namespace convscope
