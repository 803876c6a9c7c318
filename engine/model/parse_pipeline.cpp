#include "model/parse_pipeline.h"

#include <fmt/format.h>

#include <functional>
#include <map>
#include <utility>

#include "core/error.h"
#include "layers/keras_generation.h"
#include "model/graph_builder.h"
#include "model/model_config.h"

namespace convscope {

namespace {

// The model itself, and the keras_version written beside it: TensorFlow.js' model.json keeps
// the topology beside its weights manifest, and the converter's topology wraps model_config.
std::pair<const nlohmann::json&, std::string> unwrap(const nlohmann::json& top) {
  const nlohmann::json* doc = &top;
  std::string version;
  for (const char* wrapper : {"modelTopology", "model_config"}) {
    if (!doc->is_object()) break;
    if (doc->contains("keras_version") && (*doc)["keras_version"].is_string())
      version = (*doc)["keras_version"].get<std::string>();
    if (doc->contains(wrapper) && (*doc)[wrapper].is_object()) doc = &(*doc)[wrapper];
  }
  if (doc->is_object() && doc->contains("keras_version") && (*doc)["keras_version"].is_string())
    version = (*doc)["keras_version"].get<std::string>();
  return {*doc, version};
}

// What to tell a user whose model has a layer convscope cannot run.
std::string why_missing(const nlohmann::json& spec, const std::string& cls) {
  if (cls == "Lambda" || cls == "TFOpLambda" || cls == "SlicingOpLambda")
    return "holds Python code, which convscope cannot run: replace it by the built-in layer it computes "
           "(x / 255.0 - 0.5 is Rescaling with scale 1/255 and offset -0.5), in the JSON or in the app";
  const nlohmann::json registered = spec.value("registered_name", nlohmann::json());
  const std::string module = string_at(spec, "module");
  if ((registered.is_string() && registered.get<std::string>() != cls) || (!module.empty() && module.rfind("keras", 0) != 0))
    return "is a custom layer (Python code of its own), which convscope cannot run";
  return "";
}

// The layer list of a model spec, whichever form it takes (Keras 1's list is the config).
const nlohmann::json& layers_of(const nlohmann::json& spec) {
  const nlohmann::json& config = spec.contains("config") ? spec["config"] : spec;
  if (config.is_object() && config.contains("layers") && config["layers"].is_array()) return config["layers"];
  return layer_list(spec);
}
// The same list, to edit: the const form's answer, which lives in the mutable `spec`.
nlohmann::json& layers_of(nlohmann::json& spec) { return const_cast<nlohmann::json&>(layers_of(std::as_const(spec))); }

// Every class of the model and its nested models is checked first, so that one message names
// all the layers convscope lacks, by their index in Keras' model.layers (which leaves a
// Sequential's InputLayer out and keeps a functional model's).
void find_unrunnable(const nlohmann::json& spec, const std::string& path, const LayerRegistry& registry,
                     std::vector<UnrunnableLayer>& out) {
  const bool sequential = spec["class_name"] == "Sequential";
  const nlohmann::json& layers = layers_of(spec);
  const std::string name = model_name(spec, sequential ? "sequential" : "model");
  size_t position = 0;
  for (size_t i = 0; i < layers.size(); ++i) {
    const nlohmann::json& layer = layers[i];
    if (!layer.is_object() || !layer.contains("class_name") || !layer["class_name"].is_string())
      throw UserError(fmt::format("{}: layer {}: expected {{\"class_name\": ..., \"config\": {{...}}}}", name, i));
    const std::string cls = layer["class_name"].get<std::string>();
    if (cls == "InputLayer") {
      position += sequential ? 0 : 1;
      continue;
    }
    const std::string at = fmt::format("{}layers[{}]", path, position++);
    if (is_model_class(cls)) find_unrunnable(layer, at + ".", registry, out);
    else if (!registry.find(cls)) out.push_back({at, layer_name_of(layer), cls, why_missing(layer, cls)});
  }
}

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : separator) + s;
  return out;
}

void refuse_unrunnable(const nlohmann::json& doc, const std::string& name, const LayerRegistry& registry) {
  std::vector<UnrunnableLayer> found;
  find_unrunnable(doc, "model.", registry, found);
  std::vector<std::string> missing, unusable;
  for (const auto& u : found) {
    const std::string where = fmt::format("{} {}({})", u.position, u.name.empty() ? "" : "'" + u.name + "' ", u.class_name);
    if (u.why.empty()) missing.push_back(where);
    else unusable.push_back(where + " " + u.why);
  }
  std::vector<std::string> parts;
  if (!missing.empty())
    parts.push_back(fmt::format("convscope does not implement {} (`convscope layers` lists the layers it runs)",
                                joined(missing, ", ")));
  if (!unusable.empty()) parts.push_back(joined(unusable, "; "));
  if (!parts.empty()) throw UserError(fmt::format("{}: {}", name, joined(parts, "; ")));
}

// The model a file holds, to edit: inside TensorFlow.js' and the converter's wrappers.
nlohmann::json& model_of(nlohmann::json& top) {
  nlohmann::json* doc = &top;
  for (const char* wrapper : {"modelTopology", "model_config"})
    if (doc->is_object() && doc->contains(wrapper) && (*doc)[wrapper].is_object()) doc = &(*doc)[wrapper];
  return *doc;
}

// `visit(layer, class_name)` for every layer entry of `spec` and its nested models, which are
// walked into, not visited; UserError (layer_list's) for a model without a layer list.
void for_each_leaf_layer(nlohmann::json& spec, const std::function<void(nlohmann::json&, const std::string&)>& visit) {
  for (nlohmann::json& layer : layers_of(spec)) {
    if (!layer.is_object() || !layer.contains("class_name") || !layer["class_name"].is_string()) continue;
    const std::string cls = layer["class_name"].get<std::string>();
    if (is_model_class(cls)) for_each_leaf_layer(layer, visit);
    else visit(layer, cls);
  }
}

void replace_in(nlohmann::json& spec, const std::map<std::string, nlohmann::json>& replacements) {
  for_each_leaf_layer(spec, [&](nlohmann::json& layer, const std::string&) {
    const std::string name = layer_name_of(layer);
    auto it = replacements.find(name);
    if (name.empty() || it == replacements.end()) return;
    // The call (inbound_nodes) and the name stay: only what the layer computes changes.
    layer["class_name"] = it->second.at("class_name");
    nlohmann::json config = it->second.value("config", nlohmann::json::object());
    config["name"] = name;
    layer["config"] = config;
    for (const char* key : {"module", "registered_name"})
      if (layer.contains(key)) layer[key] = key == std::string("module") ? nlohmann::json("keras.layers") : nlohmann::json();
  });
}

}  // namespace

std::vector<UnrunnableLayer> unrunnable_layers(const nlohmann::json& top, const LayerRegistry& registry) {
  const auto [doc, version] = unwrap(top);
  std::vector<UnrunnableLayer> out;
  if (!doc.is_object() || !doc.contains("class_name") || !doc["class_name"].is_string()) return out;
  const std::string cls = doc["class_name"].get<std::string>();
  if (is_model_class(cls)) find_unrunnable(doc, "model.", registry, out);
  else if (!registry.find(cls)) out.push_back({"", cls, cls, why_missing(doc, cls)});
  return out;
}

nlohmann::json with_replacements(const nlohmann::json& top, const std::map<std::string, nlohmann::json>& replacements) {
  nlohmann::json out = top;
  nlohmann::json* doc = &model_of(out);
  if (!doc->is_object() || !doc->contains("class_name") || !(*doc)["class_name"].is_string()) return out;
  const std::string cls = (*doc)["class_name"].get<std::string>();
  if (is_model_class(cls)) {
    replace_in(*doc, replacements);
  } else if (auto it = replacements.find(cls); it != replacements.end()) {
    *doc = it->second;  // a lone layer is named by its class (unrunnable_layers)
  }
  return out;
}

nlohmann::json common_lambda_replacement() {
  return {{"class_name", "Rescaling"}, {"config", {{"scale", 1.0 / 255.0}, {"offset", -0.5}}}};
}

namespace {

// TensorFlow.js leaves depth_multiplier out of DepthwiseConv and SeparableConv configs
// (tfjs issue 6083), so Keras' default of 1 would refuse a kernel of shape (3, 3, 4, 2). The
// model.json's weightsManifest gives the kernel's shape: its last axis is the multiplier.
void fill_depth_multipliers(nlohmann::json& spec, const std::map<std::string, nlohmann::json>& shapes,
                            std::vector<std::string>& notices) {
  for_each_leaf_layer(spec, [&](nlohmann::json& layer, const std::string& cls) {
    if (cls.rfind("DepthwiseConv", 0) != 0 && cls.rfind("SeparableConv", 0) != 0) return;
    if (!layer.contains("config") || !layer["config"].is_object() || layer["config"].contains("depth_multiplier")) return;
    const std::string name = layer_name_of(layer);
    const auto it = shapes.find(name);
    if (name.empty() || it == shapes.end() || !it->second.is_array() || it->second.empty() ||
        !it->second.back().is_number_integer() || it->second.back().get<int64_t>() < 1)
      return;
    const int64_t dm = it->second.back().get<int64_t>();
    layer["config"]["depth_multiplier"] = dm;
    std::vector<int64_t> kernel;
    for (const auto& d : it->second) kernel.push_back(d.is_number_integer() ? d.get<int64_t>() : -1);
    if (dm != 1)
      notices.push_back(fmt::format("{} '{}': depth_multiplier {}, read from its depthwise kernel of shape {}: "
                                    "TensorFlow.js leaves it out of the config",
                                    cls, name, dm, shape_string(kernel)));
  });
}

// `top` with its depth multipliers filled in from its weightsManifest; false (nothing made)
// for a file without one.
bool with_depth_multipliers(const nlohmann::json& top, nlohmann::json& out, std::vector<std::string>& notices) {
  if (!top.is_object() || !top.contains("weightsManifest") || !top["weightsManifest"].is_array()) return false;
  std::map<std::string, nlohmann::json> shapes;  // layer name -> its depthwise kernel's shape
  for (const auto& group : top["weightsManifest"]) {
    if (!group.is_object() || !group.contains("weights") || !group["weights"].is_array()) continue;
    for (const auto& w : group["weights"]) {
      const std::string name = string_at(w, "name");
      const std::string suffix = "/depthwise_kernel";
      if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
      const std::string path = name.substr(0, name.size() - suffix.size());
      shapes[path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1)] = w.value("shape", nlohmann::json());
    }
  }
  if (shapes.empty()) return false;
  out = top;
  nlohmann::json* doc = &model_of(out);
  if (!doc->is_object() || !doc->contains("class_name") || !(*doc)["class_name"].is_string() ||
      !is_model_class((*doc)["class_name"].get<std::string>()) || !doc->contains("config"))
    return false;
  try {
    fill_depth_multipliers(*doc, shapes, notices);
  } catch (const UserError&) {
    return false;  // no layer list: parse_pipeline says so below
  }
  return true;
}

}  // namespace

namespace {

Model parse_model(const nlohmann::json& top, const LayerRegistry& registry) {
  const auto [doc, keras_version] = unwrap(top);
  if (!doc.is_object() || !doc.contains("class_name") || !doc["class_name"].is_string())
    throw UserError("pipeline: expected a Keras model or layer: an object with \"class_name\" and \"config\"");
  // hard_sigmoid's maths follow the generation that wrote the file (keras_generation.h).
  const KerasGenerationScope generation(keras_generation_of(keras_version));
  Model model;
  const std::string cls = doc["class_name"].get<std::string>();
  if (!is_model_class(cls)) {
    if (const std::string why = registry.find(cls) ? "" : why_missing(doc, cls); !why.empty())
      throw UserError(fmt::format("{} {}", cls, why));
    model.name = cls;
    model.append(registry.create(doc));
    return model;
  }
  model.name = model_name(doc, cls == "Sequential" ? "sequential" : "model");
  const nlohmann::json config = doc.value("config", nlohmann::json());  // absent: layer_list() says so
  if (config.is_object() && config.contains("description") && config["description"].is_string())
    model.description = config["description"].get<std::string>();
  refuse_unrunnable(doc, model.name, registry);

  GraphBuilder graph(model, registry);
  std::vector<std::string> inputs{graph.model_input(0)};
  if (cls != "Sequential" && config.is_object()) {
    const auto declared = tensor_list(config.value("input_layers", nlohmann::json()), model.name + ": input_layers");
    if (declared.size() != 1) {
      std::vector<std::string> names;
      for (const auto& t : declared) names.push_back(t.layer);
      throw UserError(fmt::format("{}: the model has {} inputs ({}); convscope runs models with one input for now",
                                  model.name, declared.size(), joined(names, ", ")));
    }
    model.input_name = declared.front().layer;
  }
  const auto outputs = graph.add_model(doc, "", "", inputs);
  graph.resolve();
  if (model.nodes.empty()) throw UserError(fmt::format("{}: the model has no layers", model.name));
  if (cls != "Sequential") {
    for (const std::string& t : outputs) {
      const Ref r = graph.ref_of(t, "output_layers");
      if (!r.is_node()) throw UserError(fmt::format("{}: output_layers: an output is the model's input itself", model.name));
      model.output_nodes.push_back(r.index);
    }
  }
  model.topological_order();  // refuse a cycle now, naming the node
  return model;
}

}  // namespace

Model parse_pipeline(const nlohmann::json& given, const LayerRegistry& registry) {
  std::vector<std::string> notices;
  nlohmann::json filled;
  const nlohmann::json& top = with_depth_multipliers(given, filled, notices) ? filled : given;
  Model parsed = parse_model(top, registry);
  parsed.notices = std::move(notices);
  if (given.is_object() && given.contains("weightsManifest")) parsed.weights_manifest = std::make_shared<const nlohmann::json>(given["weightsManifest"]);
  return parsed;
}


}  // namespace convscope
