#pragma once
// Reading the parts of a Keras model config that are not layer arguments: names, the layer
// list, input shapes and the tensor references of functional graphs, in every form Keras 1,
// Keras 2 / tf.keras, TensorFlow.js and Keras 3 write them.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "model/model.h"

namespace convscope {

// A tensor as a functional config names it: the layer that makes it, which call of that
// layer (Keras' node_index), and which of the call's outputs.
struct TensorRef {
  std::string layer;
  int64_t call = 0, tensor = 0;
};

// v[key] when v is an object holding a string there, else `fallback`: nlohmann's value()
// throws a type_error (not a UserError) when the key holds another type.
std::string string_at(const nlohmann::json& v, const char* key, const std::string& fallback = "");
// config.name of a model spec, `fallback` when it has none.
std::string model_name(const nlohmann::json& spec, const std::string& fallback);
// A layer entry's name: the entry's own "name" (functional configs) or config.name; empty
// when neither is a string.
std::string layer_name_of(const nlohmann::json& layer);
// A Sequential's layers (Keras 1: the config is the list); UserError when there is no list.
const nlohmann::json& layer_list(const nlohmann::json& spec);
// Keras writes (None, 28, 28, 3) as batch_shape or batch_input_shape: drop the batch axis.
std::optional<OpenShape> batch_shape(const nlohmann::json& config);
// input_layers / output_layers: a list of [name, node, tensor], one such triple, or a dict of
// name -> triple.
std::vector<TensorRef> tensor_list(const nlohmann::json& value, const std::string& what);
// A functional layer entry's calls (inbound_nodes), each the tensors it reads in order:
// Keras 2 form [["name", node, tensor, {kwargs}], ...], Keras 3 form {"args": [...], "kwargs"}.
std::vector<std::vector<TensorRef>> layer_calls(const nlohmann::json& layer);

}  // namespace convscope
