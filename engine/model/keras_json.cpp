#include "model/keras_json.h"

#include <map>
#include <set>

#include "layers/registry.h"

namespace convscope {

namespace {

nlohmann::json layer_entry(const Layer& layer) {
  const std::string cls(layer.class_name());
  const LayerDescriptor* d = LayerRegistry::builtin().find(cls);
  const std::string module = d ? d->module : "keras.layers";
  const bool ours = module != "keras.layers";  // not a Keras layer: a registered custom class
  return {{"module", module},
          {"class_name", cls},
          {"config", layer.keras_config()},
          {"registered_name", ours ? nlohmann::json(module + ">" + cls) : nlohmann::json(nullptr)}};
}

nlohmann::json batch_shape_of(const Model& model) {
  nlohmann::json batch_shape = nlohmann::json::array({nullptr});
  for (const auto& d : *model.input_shape) batch_shape.push_back(d ? nlohmann::json(*d) : nlohmann::json(nullptr));
  return batch_shape;
}

// Without a known shape the InputLayer has none, so that reading it back gives the same model.
nlohmann::json input_layer(const nlohmann::json& batch_shape, const std::string& name = "input_layer") {
  nlohmann::json config = {{"dtype", "float32"}, {"sparse", false}, {"name", name}};
  if (!batch_shape.is_null()) config["batch_shape"] = batch_shape;
  return {{"module", "keras.layers"}, {"class_name", "InputLayer"}, {"config", config}, {"registered_name", nullptr}};
}

nlohmann::json keras_tensor(const std::string& layer, size_t call) {
  return {{"class_name", "__keras_tensor__"},
          {"config", {{"dtype", "float32"}, {"keras_history", nlohmann::json::array({layer, call, 0})}}}};
}

// Keras 3's Functional config: each layer once, with one inbound node per call. Names are
// made unique, since a flattened nested model may reuse its outer model's names.
nlohmann::json functional_config(const Model& model, const nlohmann::json& batch_shape) {
  const std::string& input_name = model.input_name;
  std::map<const Layer*, std::string> names;
  std::set<std::string> taken{input_name};
  std::map<const Layer*, nlohmann::json> entries;
  std::vector<size_t> call_of(model.nodes.size());
  std::map<const Layer*, size_t> calls;
  for (const Layer* layer : model.distinct_layers()) {
    std::string name = layer->name();
    for (int k = 1; taken.count(name); ++k) name = layer->name() + "_" + std::to_string(k);
    taken.insert(name);
    names[layer] = name;
    nlohmann::json entry = layer_entry(*layer);
    entry["config"]["name"] = name;
    entry["name"] = name;
    entry["inbound_nodes"] = nlohmann::json::array();
    entries[layer] = std::move(entry);
  }
  for (size_t i = 0; i < model.nodes.size(); ++i) call_of[i] = calls[model.nodes[i].layer.get()]++;
  for (size_t i = 0; i < model.nodes.size(); ++i) {
    nlohmann::json tensors = nlohmann::json::array();
    for (const Ref& r : model.nodes[i].inputs)
      tensors.push_back(r.is_node() ? keras_tensor(names[model.nodes[r.index].layer.get()], call_of[r.index])
                                    : keras_tensor(input_name, 0));
    // A merge's first argument is the list of its inputs; other layers take the tensor.
    nlohmann::json args = nlohmann::json::array({tensors.size() == 1 ? tensors[0] : tensors});
    entries[model.nodes[i].layer.get()]["inbound_nodes"].push_back({{"args", args}, {"kwargs", nlohmann::json::object()}});
  }
  nlohmann::json input = input_layer(batch_shape, input_name);
  input["name"] = input_name;
  input["inbound_nodes"] = nlohmann::json::array();
  nlohmann::json layers = nlohmann::json::array({input});
  for (const Layer* layer : model.distinct_layers()) layers.push_back(entries[layer]);
  nlohmann::json outputs = nlohmann::json::array();
  for (size_t o : model.outputs())
    outputs.push_back(nlohmann::json::array({names[model.nodes[o].layer.get()], call_of[o], 0}));
  return {{"name", model.name},
          {"trainable", true},
          {"layers", layers},
          {"input_layers", nlohmann::json::array({nlohmann::json::array({input_name, 0, 0})})},
          {"output_layers", outputs}};
}

}  // namespace

nlohmann::json to_keras3_json(const Model& model) {
  const nlohmann::json batch_shape = model.input_shape ? batch_shape_of(model) : nlohmann::json();
  if (!model.is_chain()) {
    nlohmann::json config = functional_config(model, batch_shape);
    if (!model.description.empty()) config["description"] = model.description;
    return {{"module", "keras.src.models.functional"}, {"class_name", "Functional"}, {"config", config},
            {"registered_name", "Functional"}, {"build_config", {{"input_shape", nullptr}}}};
  }
  nlohmann::json layers = nlohmann::json::array();
  if (model.input_shape) layers.push_back(input_layer(batch_shape));
  for (const Layer* layer : model.distinct_layers()) layers.push_back(layer_entry(*layer));
  nlohmann::json config = {{"name", model.name}, {"trainable", true}, {"dtype", "float32"}, {"layers", layers}};
  if (!model.description.empty()) config["description"] = model.description;
  nlohmann::json doc = {{"module", "keras"}, {"class_name", "Sequential"}, {"config", config}, {"registered_name", nullptr}};
  if (model.input_shape) {
    doc["config"]["build_input_shape"] = batch_shape;
    doc["build_config"] = {{"input_shape", batch_shape}};
  }
  return doc;
}

}  // namespace convscope
