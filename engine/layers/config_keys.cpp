#include "layers/config_keys.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "core/error.h"

namespace convscope {

namespace {

// Keys Keras' base Layer takes or writes in some generation, and what files carry beside them.
constexpr auto kEveryLayer = std::to_array<std::string_view>({
    "name", "trainable", "dtype", "batch_input_shape", "batch_shape", "batch_size", "input_shape", "input_dim",
    "input_length", "input_dtype", "weights", "autocast", "implementation", "activity_regularizer",
    // Keras 3 writes these on some layers and InputLayer; harmless on any.
    "synchronized", "quantization_config", "optional", "sparse", "ragged",
    // Keras 3 keeps them beside "config", some writers inside it.
    "module", "registered_name", "build_config",
    // Keras 1: per-weight regularizers, constraints and learning-rate multipliers.
    "W_regularizer", "b_regularizer", "W_constraint", "b_constraint", "W_learning_rate_multiplier",
    "b_learning_rate_multiplier"});

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

bool accepted_on_every_layer(std::string_view key) {
  // Initializers, regularizers and constraints of any weight: Keras accepts them everywhere
  // they name a weight, and convscope never needs them (the weights come saved or initialised).
  if (ends_with(key, "_initializer") || ends_with(key, "_regularizer") || ends_with(key, "_constraint")) return true;
  return std::find(kEveryLayer.begin(), kEveryLayer.end(), key) != kEveryLayer.end();
}

std::string closest_key(std::string_view key, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = SIZE_MAX;
  for (const std::string& c : candidates) {
    // A typo (two edits at most), or the start of the real name ("dilation" for dilation_rate).
    const bool prefix = key.size() >= 4 && (c.rfind(key, 0) == 0 || key.rfind(c, 0) == 0);
    const size_t d = prefix ? 1 : edit_distance(key, c);
    if (d <= std::min<size_t>(2, key.size() / 2) && d < best_distance) best = c, best_distance = d;
  }
  return best;
}

void refuse_unknown_keys(const std::string& label, const nlohmann::json& config,
                         const std::vector<std::string>& arguments) {
  for (const auto& [key, value] : config.items()) {
    if (accepted_on_every_layer(key) || std::find(arguments.begin(), arguments.end(), key) != arguments.end()) continue;
    std::vector<std::string> candidates = arguments;
    candidates.insert(candidates.end(), {"name", "trainable", "dtype"});
    const std::string near = closest_key(key, candidates);
    std::string known;
    for (const std::string& a : arguments) known += (known.empty() ? "" : ", ") + a;
    throw UserError(fmt::format("{}: {}: unrecognized keyword argument, which Keras refuses too; {}", label, key,
                                near.empty() ? fmt::format("the layer takes {}", known.empty() ? "none" : known)
                                             : fmt::format("did you mean '{}'?", near)));
  }
}

}  // namespace convscope
