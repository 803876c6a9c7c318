#pragma once
#include <nlohmann/json.hpp>

#include <filesystem>

namespace convscope {

// Parses a JSON file; UserError "PATH: invalid JSON at line L, column C: ..." when malformed.
nlohmann::json read_json(const std::filesystem::path& path);
nlohmann::json parse_json(std::string_view text, std::string_view name);

}  // namespace convscope
