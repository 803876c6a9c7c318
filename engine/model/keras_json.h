#pragma once
// Writing a pipeline back as Keras 3's model.to_json(), so what convscope builds or edits
// loads in Keras (LearnableCrop as a registered custom layer) and in convscope again.
#include <nlohmann/json.hpp>

#include "model/model.h"

namespace convscope {

nlohmann::json to_keras3_json(const Model& model);

}  // namespace convscope
