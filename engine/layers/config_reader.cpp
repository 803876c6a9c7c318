#include "layers/config_reader.h"

#include <fmt/format.h>

#include "core/error.h"

namespace convscope {

ConfigReader::ConfigReader(std::string class_name, const nlohmann::json& config)
    : class_name_(std::move(class_name)), config_(config) {
  const nlohmann::json& n = get("name");
  name_ = n.is_string() ? n.get<std::string>() : class_name_;
  label_ = name_ == class_name_ ? class_name_ : fmt::format("{} '{}'", class_name_, name_);
}

const nlohmann::json& ConfigReader::get(std::string_view key) const {
  static const nlohmann::json null;
  auto it = config_.find(key);
  return it == config_.end() ? null : *it;
}

DataFormat ConfigReader::data_format() const {
  const nlohmann::json& v = get("data_format");
  if (v.is_null() || v == "channels_last") return DataFormat::ChannelsLast;
  if (v == "channels_first") return DataFormat::ChannelsFirst;
  fail("data_format", fmt::format("{} is not 'channels_last' or 'channels_first'", python_repr(v)));
}

int64_t ConfigReader::integer(std::string_view key, const nlohmann::json& v) const {
  if (v.is_number_integer()) {
    // The GPU kernels take sizes, strides and counts as 32-bit ints (push constants); the
    // bound also keeps every shape rule's arithmetic within 64 bits (core/tensor.h).
    const bool fits = v.is_number_unsigned() ? v.get<uint64_t>() <= uint64_t{2147483647}
                                             : v.get<int64_t>() >= -2147483648LL && v.get<int64_t>() <= 2147483647;
    if (!fits) fail(key, fmt::format("{} is out of range; the GPU kernels take 32-bit integers", v.dump()));
    return v.get<int64_t>();
  }
  // Python writes 2.0 for a float; Keras would refuse it as a size, and so do we.
  fail(key, fmt::format("{} is not an integer", python_repr(v)));
}

void ConfigReader::fail(std::string_view argument, std::string_view why) const {
  throw UserError(fmt::format("{}: {}: {}", label_, argument, why));
}

std::array<int64_t, 3> read_tuple(const ConfigReader& cfg, std::string_view key, int rank, int64_t fallback,
                                  int64_t minimum) {
  const nlohmann::json& v = cfg.get(key);
  std::array<int64_t, 3> out{fallback, fallback, fallback};
  if (v.is_null()) return out;
  if (v.is_array()) {
    if (static_cast<int>(v.size()) != rank)
      cfg.fail(key, fmt::format("{} has {} items; a {}D layer takes an int or {}", python_repr(v), v.size(), rank, rank));
    for (int a = 0; a < rank; ++a) out[a] = cfg.integer(key, v[a]);
  } else {
    out.fill(cfg.integer(key, v));
  }
  for (int a = 0; a < rank; ++a)
    if (out[a] < minimum) cfg.fail(key, fmt::format("{} must be {} or more on every axis", python_repr(v), minimum));
  return out;
}

int64_t read_positive(const ConfigReader& cfg, std::string_view key, int64_t fallback) {
  const nlohmann::json& v = cfg.get(key);
  if (v.is_null()) return fallback;
  const int64_t n = cfg.integer(key, v);
  if (n < 1) cfg.fail(key, fmt::format("{} must be 1 or more", n));
  return n;
}

bool read_bool(const ConfigReader& cfg, std::string_view key, bool fallback) {
  const nlohmann::json& v = cfg.get(key);
  if (v.is_null()) return fallback;
  if (!v.is_boolean()) cfg.fail(key, fmt::format("{} is not true or false", python_repr(v)));
  return v.get<bool>();
}

std::string python_repr(const nlohmann::json& v) {
  if (v.is_string()) return "'" + v.get<std::string>() + "'";
  if (v.is_null()) return "None";
  if (v.is_boolean()) return v.get<bool>() ? "True" : "False";
  if (v.is_array()) {
    std::string s = "(";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + python_repr(v[i]);
    return s + (v.size() == 1 ? ",)" : ")");
  }
  if (v.is_object()) {
    std::string s = "{";
    bool first = true;
    for (const auto& [k, item] : v.items()) {
      s += fmt::format("{}'{}': {}", first ? "" : ", ", k, python_repr(item));
      first = false;
    }
    return s + "}";
  }
  return v.dump();
}

}  // namespace convscope
