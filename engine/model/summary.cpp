#include "model/summary.h"

#include <fmt/format.h>

#include <map>

#include "core/error.h"
#include "core/format.h"
#include "model/shapes.h"

namespace convscope {

OpenShape open_shape(const Shape& s, DataFormat f) {
  const auto k = s.keras(f);
  return OpenShape(k.begin() + 1, k.end());
}

std::string keras_shape_string(const Shape& s, DataFormat f) { return keras_shape_string(open_shape(s, f)); }

std::string keras_shape_string(const OpenShape& shape) {
  std::string s = "(None";
  for (const auto& d : shape) s += d ? fmt::format(", {}", *d) : ", None";
  return s + ")";
}

Shape concrete_input(const Model& model, const OpenShape& shape, int64_t batch, int64_t fill) {
  const int rank = static_cast<int>(shape.size()) - 1;
  const DataFormat f = model.input_format();
  if (rank < 0 || rank > 3)
    throw UserError(fmt::format("{}: input shape {} has {} axes after the batch; convscope's tensors have 1 to 4",
                                model.name, keras_shape_string(shape), shape.size()));
  if (const auto want = model.input_rank(); want && *want != rank)
    throw UserError(fmt::format("{}: input shape {} does not fit {}, whose first spatial layer is {}D ({} axes after "
                                "the batch)",
                                model.name, keras_shape_string(shape), model.name, *want, *want + 1));
  const size_t channel_axis = f == DataFormat::ChannelsLast || rank == 0 ? shape.size() - 1 : 0;
  if (!shape[channel_axis])
    throw UserError(fmt::format("{}: input shape {} leaves the channels open; give them", model.name, keras_shape_string(shape)));
  std::vector<int64_t> keras{batch};
  for (const auto& d : shape) {
    if (d && *d < 1)
      throw UserError(fmt::format("{}: input shape {} has an axis of {}; axes hold 1 or more elements", model.name,
                                  keras_shape_string(shape), *d));
    keras.push_back(d.value_or(fill));
  }
  const Shape s = shape_from_keras(keras, rank, f);
  check_shape_limits(s, f, model.name, "the input shape");
  return s;
}

ModelSummary summarize(const Model& model, const OpenShape& input) {
  ModelSummary out;
  out.name = model.name;
  out.input_name = model.input_name;
  out.input = input;
  out.graph = !model.is_chain();
  // Two sizes no layer treats alike by accident: primes well above any kernel.
  const Shape a = concrete_input(model, input, 1, 1009), b = concrete_input(model, input, 1, 1013);
  const bool open = !(a == b);
  const auto sa = infer_shapes(model, a), sb = infer_shapes(model, b);
  // Keras names a tensor by its layer and that layer's call: "conv[1][0]".
  std::vector<size_t> call(model.nodes.size());
  std::map<const Layer*, size_t> calls;
  for (size_t i = 0; i < model.nodes.size(); ++i) call[i] = calls[model.nodes[i].layer.get()]++;
  for (size_t i = 0; i < model.nodes.size(); ++i) {
    const Layer& layer = model.layer(i);
    const Shape in = input_shape_of(model, i, a, sa);
    LayerSummary row{layer.name(), std::string(layer.class_name()), {}, 0, 0, open ? 0.0 : layer.flops(in), {}, call[i] > 0};
    const OpenShape oa = open_shape(sa[i], sa[i].format), ob = open_shape(sb[i], sb[i].format);
    for (size_t k = 0; k < oa.size(); ++k) row.output.push_back(oa[k] == ob[k] ? oa[k] : std::nullopt);
    for (const Ref& r : model.nodes[i].inputs)
      row.connected_to.push_back(r.is_node() ? fmt::format("{}[{}][0]", model.layer(r.index).name(), call[r.index])
                                             : fmt::format("{}[0][0]", model.input_name));
    const auto shapes = layer.weight_shapes(in);
    for (size_t w = 0; w < shapes.size() && !row.later_call; ++w) {
      const auto count = bounded_count(shapes[w]);  // a kernel_size of 2^31 on every axis is 2^93 weights
      if (!count)
        throw UserError(fmt::format("{}: weights of shape {} have more than 2^48 elements", layer.label(),
                                    shape_string(shapes[w])));
      row.params += *count;
      if (!layer.trainable() || w + layer.non_trainable_weight_count() >= shapes.size()) row.non_trainable += *count;
    }
    out.total_params += row.params;
    out.non_trainable_params += row.non_trainable;
    out.layers.push_back(std::move(row));
  }
  return out;
}

namespace {

std::string totals(const ModelSummary& s, const std::string& double_rule, const std::string& rule) {
  return fmt::format("{}\nTotal params: {}\nTrainable params: {}\nNon-trainable params: {}\n{}\n", double_rule,
                     thousands(s.total_params), thousands(s.total_params - s.non_trainable_params),
                     thousands(s.non_trainable_params), rule);
}

// tf.keras 2's functional layout: 98 columns, "Connected to" one tensor per line, a shared
// layer on one row with every call's tensors and "multiple" when its calls' shapes differ.
std::string format_graph(const ModelSummary& s) {
  const std::string rule(98, '_'), double_rule(98, '=');
  std::string t = fmt::format("Model: \"{}\"\n{}\n {:<31} {:<20} {:<11} {:<32}\n{}\n", s.name, rule, "Layer (type)",
                              "Output Shape", "Param #", "Connected to", double_rule);
  auto row = [&](const std::string& layer, const std::string& shape, int64_t params, const std::vector<std::string>& reads) {
    std::vector<std::string> lines;
    for (size_t k = 0; k < reads.size(); ++k)
      lines.push_back(fmt::format("{}'{}'{}", k == 0 ? "[" : "", reads[k], k + 1 == reads.size() ? "]" : ","));
    if (lines.empty()) lines.push_back("[]");
    t += fmt::format(" {:<31} {:<20} {:<11} {}\n", layer, shape, thousands(params), lines[0]);
    for (size_t k = 1; k < lines.size(); ++k) t += fmt::format(" {:<31} {:<20} {:<11} {}\n", "", "", "", lines[k]);
  };
  row(fmt::format("{} (InputLayer)", s.input_name), "[" + keras_shape_string(s.input) + "]", 0, {});
  for (size_t i = 0; i < s.layers.size(); ++i) {
    const LayerSummary& l = s.layers[i];
    if (l.later_call) continue;
    std::string shape = keras_shape_string(l.output);
    std::vector<std::string> reads = l.connected_to;
    for (size_t k = i + 1; k < s.layers.size(); ++k)
      if (s.layers[k].later_call && s.layers[k].name == l.name) {
        if (s.layers[k].output != l.output) shape = "multiple";
        reads.insert(reads.end(), s.layers[k].connected_to.begin(), s.layers[k].connected_to.end());
      }
    t += "\n";
    row(fmt::format("{} ({})", l.name, l.class_name), shape, l.params, reads);
  }
  return t + totals(s, double_rule, rule);
}

}  // namespace

std::string format_summary(const ModelSummary& s) {
  if (s.graph) return format_graph(s);
  const std::string rule(65, '_'), double_rule(65, '=');
  std::string t = fmt::format("Model: \"{}\"\n{}\n {:<27} {:<25} {:<10}\n{}\n", s.name, rule, "Layer (type)", "Output Shape",
                              "Param #", double_rule);
  for (size_t i = 0; i < s.layers.size(); ++i) {
    const LayerSummary& l = s.layers[i];
    // Columns as Keras lays them out, with at least one space where a long entry overflows.
    t += fmt::format(" {:<27} {:<25} {:<10}\n", fmt::format("{} ({})", l.name, l.class_name), keras_shape_string(l.output),
                     thousands(l.params));
    t += i + 1 < s.layers.size() ? "\n" : "";
  }
  return t + totals(s, double_rule, rule);
}

}  // namespace convscope
