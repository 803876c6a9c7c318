#pragma once
// Unknown config keys are refused, as Keras refuses them ("Unrecognized keyword arguments"),
// so `"stride": 2` is not silently read as stride 1. Accepted beyond a layer's own arguments:
// what every Keras layer takes or writes in some generation (name, trainable, dtype as a
// string or a policy dict, input shapes, initializers, regularizers, constraints, Keras 3's
// synchronized / quantization_config / optional, Keras 1's W_regularizer and input_dtype...).
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace convscope {

// True for a key every layer accepts.
bool accepted_on_every_layer(std::string_view key);

// UserError "<label>: <key>: unrecognized keyword argument (Keras refuses it); did you mean
// '<closest>'?" for the first key of `config` that is neither one of `arguments` nor accepted
// on every layer.
void refuse_unknown_keys(const std::string& label, const nlohmann::json& config,
                         const std::vector<std::string>& arguments);

// The candidate closest to `key` by edit distance, when it is close enough to be a typo.
std::string closest_key(std::string_view key, const std::vector<std::string>& candidates);

}  // namespace convscope
