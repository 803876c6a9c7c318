#include "model/graph_builder.h"

#include <fmt/format.h>

#include <set>
#include <tuple>

#include "core/error.h"
#include "model/keras_names.h"
#include "model/model_config.h"

namespace convscope {

namespace {

std::string tensor_name(const std::string& scope, const std::string& layer, int64_t call, int64_t tensor) {
  return fmt::format("{}|{}|{}|{}", scope, layer, call, tensor);
}

// How a message names a tensor: "'conv' call 1 output 0", or "'conv'" for the usual first.
std::string tensor_label(const std::string& name) {
  const auto last = name.rfind('|'), mid = name.rfind('|', last - 1), first = name.rfind('|', mid - 1);
  const std::string layer = name.substr(first + 1, mid - first - 1);
  const std::string call = name.substr(mid + 1, last - mid - 1), tensor = name.substr(last + 1);
  if (call == "0" && tensor == "0") return fmt::format("'{}'", layer);
  return fmt::format("'{}' call {} output {}", layer, call, tensor);
}

}  // namespace

bool is_model_class(const std::string& class_name) {
  return class_name == "Sequential" || class_name == "Functional" || class_name == "Model";
}

std::string GraphBuilder::model_input(size_t i) {
  const std::string name = fmt::format("input {}", i);
  made_[name] = Ref::input(i);
  return name;
}

std::vector<std::string> GraphBuilder::add_model(const nlohmann::json& spec, const std::string& definition,
                                                 const std::string& scope, const std::vector<std::string>& inputs) {
  if (string_at(spec, "class_name") == "Sequential") return add_sequential(spec, definition, scope, inputs);
  return add_functional(spec, definition, scope, inputs);
}

std::shared_ptr<Layer> GraphBuilder::layer_for(const std::string& definition, const nlohmann::json& spec) {
  auto [it, fresh] = layers_.try_emplace(definition);
  if (fresh) it->second = registry_.create(spec);
  return it->second;
}

void GraphBuilder::add_node(std::shared_ptr<Layer> layer, std::vector<std::string> reads, const std::string& makes) {
  if (!made_.emplace(makes, Ref::node(model_.nodes.size())).second)
    throw UserError(fmt::format("two layers make {}: Keras names every layer of a model uniquely", tensor_label(makes)));
  model_.nodes.push_back({std::move(layer), {}});
  reads_.push_back(std::move(reads));
}

std::vector<std::string> GraphBuilder::add_sequential(const nlohmann::json& spec, const std::string& definition,
                                                      const std::string& scope, const std::vector<std::string>& inputs) {
  const std::string name = model_name(spec, "sequential");
  if (inputs.size() != 1)
    throw UserError(fmt::format("{}: a Sequential reads one tensor; it is called on {}", name, inputs.size()));
  const nlohmann::json& layers = layer_list(spec);
  std::set<std::string> names;
  std::string previous = inputs.front();
  for (size_t i = 0; i < layers.size(); ++i) {
    nlohmann::json layer = layers[i];
    const std::string cls = layer["class_name"].get<std::string>();
    nlohmann::json& config = layer["config"];
    if (!config.is_object() && !(is_model_class(cls) && config.is_array())) config = nlohmann::json::object();
    if (scope.empty() && !model_.input_shape && config.is_object()) model_.input_shape = batch_shape(config);
    if (cls == "InputLayer") continue;
    std::string layer_name = layer_name_of(layer);
    if (layer_name.empty()) {
      layer_name = unique_keras_name(registry_.find(cls) ? registry_.find(cls)->class_name : cls,
                                     [&](const std::string& n) { return names.count(n) > 0; });
      if (config.is_object()) config["name"] = layer_name;
    }
    names.insert(layer_name);
    try {
      if (is_model_class(cls)) {
        const auto outs = add_model(layer, definition + "/" + layer_name, scope + "/" + layer_name, {previous});
        if (outs.size() != 1)
          throw UserError(fmt::format("{} gives {} outputs; in a Sequential a layer gives one", layer_name, outs.size()));
        previous = outs.front();
      } else {
        const std::string makes = tensor_name(scope, layer_name, 0, 0);
        add_node(layer_for(definition + "/" + layer_name, layer), {previous}, makes);
        previous = makes;
      }
    } catch (const UserError& e) {
      throw UserError(fmt::format("{}: layer {}: {}", name, i, e.what()));
    }
  }
  return {previous};
}

std::vector<std::string> GraphBuilder::add_functional(const nlohmann::json& spec, const std::string& definition,
                                                      const std::string& scope, const std::vector<std::string>& inputs) {
  const std::string name = model_name(spec, "model");
  const nlohmann::json& config = spec.contains("config") ? spec["config"] : nlohmann::json();
  if (!config.is_object() || !config.contains("layers") || !config["layers"].is_array())
    throw UserError(fmt::format("{}: config: expected \"layers\", \"input_layers\" and \"output_layers\"", name));
  const auto ins = tensor_list(config.value("input_layers", nlohmann::json()), name + ": input_layers");
  const auto outs = tensor_list(config.value("output_layers", nlohmann::json()), name + ": output_layers");
  if (ins.size() != inputs.size())
    throw UserError(fmt::format("{}: the model reads {} tensor{}; it is called on {}", name, ins.size(),
                                ins.size() == 1 ? "" : "s", inputs.size()));
  for (size_t i = 0; i < ins.size(); ++i) alias_[tensor_name(scope, ins[i].layer, ins[i].call, ins[i].tensor)] = inputs[i];

  const nlohmann::json& layers = config["layers"];
  for (size_t i = 0; i < layers.size(); ++i) {
    const nlohmann::json& layer = layers[i];
    const std::string cls = layer["class_name"].get<std::string>();
    const std::string layer_name = layer_name_of(layer);
    try {
      if (layer_name.empty()) throw UserError("the layer has no \"name\"; a functional model's layers need one");
      if (cls == "InputLayer") {
        const nlohmann::json input_config = layer.value("config", nlohmann::json());
        if (scope.empty() && !ins.empty() && ins.front().layer == layer_name && input_config.is_object())
          model_.input_shape = batch_shape(input_config);
        continue;
      }
      const auto calls = layer_calls(layer);
      if (calls.empty()) throw UserError(fmt::format("{} is never called (its inbound_nodes are empty)", layer_name));
      for (size_t k = 0; k < calls.size(); ++k) {
        std::vector<std::string> reads;
        for (const TensorRef& t : calls[k]) reads.push_back(tensor_name(scope, t.layer, t.call, t.tensor));
        if (is_model_class(cls)) {
          const auto made = add_model(layer, definition + "/" + layer_name, fmt::format("{}/{}#{}", scope, layer_name, k),
                                      reads);
          for (size_t t = 0; t < made.size(); ++t)
            alias_[tensor_name(scope, layer_name, static_cast<int64_t>(k), static_cast<int64_t>(t))] = made[t];
        } else {
          add_node(layer_for(definition + "/" + layer_name, layer), std::move(reads),
                   tensor_name(scope, layer_name, static_cast<int64_t>(k), 0));
        }
      }
    } catch (const UserError& e) {
      throw UserError(fmt::format("{}: layer {}: {}", name, i, e.what()));
    }
  }
  std::vector<std::string> out;
  for (const TensorRef& t : outs) out.push_back(tensor_name(scope, t.layer, t.call, t.tensor));
  return out;
}

Ref GraphBuilder::ref_of(const std::string& tensor, const std::string& reader) const {
  std::string at = tensor;
  // Aliases form chains (a nested model's input is the outer call's tensor); a chain longer
  // than the aliases themselves is a loop that a malformed file can write.
  for (size_t step = 0; step <= alias_.size(); ++step) {
    if (auto m = made_.find(at); m != made_.end()) return m->second;
    auto a = alias_.find(at);
    if (a == alias_.end()) break;
    at = a->second;
  }
  throw UserError(fmt::format("{}: {} reads {}, which no layer of the model makes", model_.name, reader, tensor_label(at)));
}

void GraphBuilder::resolve() {
  for (size_t i = 0; i < model_.nodes.size(); ++i)
    for (const std::string& t : reads_[i]) model_.nodes[i].inputs.push_back(ref_of(t, model_.nodes[i].layer->label()));
  // Each layer's calls side by side, layers in the order they first appear: the order a
  // Functional config lists them, so the graph written back (keras_json.h) reads as the same
  // nodes. A nested model called twice otherwise leaves its second call's nodes apart.
  std::vector<size_t> order;  // new position -> old index
  std::vector<bool> placed(model_.nodes.size(), false);
  for (size_t i = 0; i < model_.nodes.size(); ++i) {
    if (placed[i]) continue;
    for (size_t k = i; k < model_.nodes.size(); ++k)
      if (!placed[k] && model_.nodes[k].layer == model_.nodes[i].layer) placed[k] = true, order.push_back(k);
  }
  std::vector<size_t> position(model_.nodes.size());
  for (size_t p = 0; p < order.size(); ++p) position[order[p]] = p;
  std::vector<Node> nodes;
  for (size_t old : order) {
    Node n = std::move(model_.nodes[old]);
    for (Ref& r : n.inputs)
      if (r.is_node()) r.index = position[r.index];
    nodes.push_back(std::move(n));
  }
  model_.nodes = std::move(nodes);
  for (auto& [name, ref] : made_)
    if (ref.is_node()) ref.index = position[ref.index];
}

}  // namespace convscope
