#include "model/keras_names.h"

#include <fmt/format.h>

#include <cctype>

namespace convscope {

std::string keras_snake_case(std::string_view name) {
  // Keras' to_snake_case: "_" before a capital that starts a lowercase run (not at the start),
  // and between a lowercase letter and a capital; then lower case.
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    const bool upper = std::isupper(c);
    const bool next_lower = i + 1 < name.size() && std::islower(static_cast<unsigned char>(name[i + 1]));
    const bool prev_lower = i > 0 && std::islower(static_cast<unsigned char>(name[i - 1]));
    if (upper && i > 0 && (next_lower || prev_lower)) out += '_';
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

std::string unique_keras_name(std::string_view class_name, const std::function<bool(const std::string&)>& taken) {
  const std::string base = keras_snake_case(class_name);
  std::string name = base;
  for (int k = 1; taken(name); ++k) name = fmt::format("{}_{}", base, k);
  return name;
}

}  // namespace convscope
