#pragma once
// Keras 1 wrote other argument names (subsample, border_mode, dim_ordering...). Mapping them
// here, before any layer reads its config, keeps layers Keras 3 only. Keras 1 class names
// are aliases in each layer's descriptor (registry.h).
#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace convscope {

// The names every Keras 1 layer used, then `class_renames` (the class's own), mapped to
// Keras 3's; a key already there in its Keras 3 name wins.
nlohmann::json from_keras1(const nlohmann::json& config,
                           const std::vector<std::pair<std::string, std::string>>& class_renames = {});

}  // namespace convscope
