#pragma once
// Reads one layer's Keras config with messages that name the layer and the argument:
// "Cropping2D 'crop': cropping: -1 is negative; crops are counts of rows or columns".
#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/tensor.h"

namespace convscope {

class ConfigReader {
 public:
  ConfigReader(std::string class_name, const nlohmann::json& config);

  const std::string& class_name() const { return class_name_; }
  const std::string& name() const { return name_; }  // the config's "name", or the class name
  // "Cropping2D 'crop'": how messages start.
  const std::string& label() const { return label_; }
  const nlohmann::json& config() const { return config_; }

  // The value under `key`, or null when absent (Keras writes null for "use the default").
  const nlohmann::json& get(std::string_view key) const;
  DataFormat data_format() const;
  int64_t integer(std::string_view key, const nlohmann::json& value) const;

  [[noreturn]] void fail(std::string_view argument, std::string_view why) const;

 private:
  std::string class_name_;
  std::string name_;
  std::string label_;
  const nlohmann::json& config_;
};

// Readers every layer family shares, failing with the layer and the argument named.
// An int (every axis) or a list of `rank` ints, each >= `minimum`; `fallback` when absent.
std::array<int64_t, 3> read_tuple(const ConfigReader& cfg, std::string_view key, int rank, int64_t fallback,
                                  int64_t minimum);
int64_t read_positive(const ConfigReader& cfg, std::string_view key, int64_t fallback);
bool read_bool(const ConfigReader& cfg, std::string_view key, bool fallback);

// Python's repr of a JSON value in messages: [1, 2] -> (1, 2), "x" -> 'x'.
std::string python_repr(const nlohmann::json& v);

}  // namespace convscope
