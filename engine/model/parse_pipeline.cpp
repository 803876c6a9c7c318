#include "model/parse_pipeline.h"

#include <fmt/format.h>

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
  const std::string module = spec.value("module", std::string());
  if ((registered.is_string() && registered.get<std::string>() != cls) || (!module.empty() && module.rfind("keras", 0) != 0))
    return "is a custom layer (Python code of its own), which convscope cannot run";
  return "";
}

// Every class of the model and its nested models is checked first, so that one message names
// all the layers convscope lacks, by their index in Keras' model.layers (which leaves a
// Sequential's InputLayer out and keeps a functional model's).
void find_missing(const nlohmann::json& spec, const std::string& path, const LayerRegistry& registry,
                  std::vector<std::string>& missing, std::vector<std::string>& unusable) {
  const bool sequential = spec["class_name"] == "Sequential";
  const nlohmann::json& layers = sequential ? layer_list(spec)
                                 : spec.contains("config") && spec["config"].is_object() && spec["config"].contains("layers")
                                     ? spec["config"]["layers"]
                                     : layer_list(spec);
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
    if (is_model_class(cls)) {
      find_missing(layer, at + ".", registry, missing, unusable);
    } else if (!registry.find(cls)) {
      const std::string layer_name = layer_name_of(layer);
      const std::string where = fmt::format("{} {}({})", at, layer_name.empty() ? "" : "'" + layer_name + "' ", cls);
      const std::string why = why_missing(layer, cls);
      (why.empty() ? missing : unusable).push_back(why.empty() ? where : where + " " + why);
    }
  }
}

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : separator) + s;
  return out;
}

void refuse_missing(const nlohmann::json& doc, const std::string& name, const LayerRegistry& registry) {
  std::vector<std::string> missing, unusable;
  find_missing(doc, "model.", registry, missing, unusable);
  std::vector<std::string> parts;
  if (!missing.empty())
    parts.push_back(fmt::format("convscope does not implement {} (the layers it runs: `convscope summary --layers` and "
                                "the README)",
                                joined(missing, ", ")));
  if (!unusable.empty()) parts.push_back(joined(unusable, "; "));
  if (!parts.empty()) throw UserError(fmt::format("{}: {}", name, joined(parts, "; ")));
}

}  // namespace

Model parse_pipeline(const nlohmann::json& top, const LayerRegistry& registry) {
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
  const nlohmann::json& config = doc["config"];
  if (config.is_object() && config.contains("description") && config["description"].is_string())
    model.description = config["description"].get<std::string>();
  refuse_missing(doc, model.name, registry);

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

}  // namespace convscope
