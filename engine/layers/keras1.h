#pragma once
// Keras 1 wrote other class and argument names (subsample, border_mode, dim_ordering...).
// Mapping them here, before any layer reads its config, keeps layers Keras 3 only.
#include <nlohmann/json.hpp>

#include <string>
#include <utility>

namespace convscope {

std::pair<std::string, nlohmann::json> from_keras1(const std::string& class_name, const nlohmann::json& config);

}  // namespace convscope
