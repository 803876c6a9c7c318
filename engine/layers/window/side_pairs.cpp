#include "layers/window/side_pairs.h"

#include <fmt/format.h>

namespace convscope {

namespace {

SidePair pair_from(const ConfigReader& cfg, std::string_view key, const nlohmann::json& item) {
  if (item.is_array()) {
    if (item.size() != 2)
      cfg.fail(key, fmt::format("{} should be an int or a pair (before, after)", python_repr(item)));
    return {cfg.integer(key, item[0]), cfg.integer(key, item[1])};
  }
  const int64_t v = cfg.integer(key, item);
  return {v, v};
}

std::array<SidePair, 3> from_dict(const ConfigReader& cfg, std::string_view key, const nlohmann::json& v, int rank) {
  // Keras 1 dict keys, one pair of sides per axis.
  static const char* k1d[][2] = {{"left_pad", "right_pad"}};
  static const char* k2d[][2] = {{"top_pad", "bottom_pad"}, {"left_pad", "right_pad"}};
  if (rank == 3) cfg.fail(key, "the dict form exists only for 1D and 2D layers");
  const auto& keys = rank == 1 ? k1d : k2d;
  for (const auto& [k, item] : v.items()) {
    bool known = false;
    for (int a = 0; a < rank; ++a) known |= k == keys[a][0] || k == keys[a][1];
    if (!known)
      cfg.fail(key, fmt::format("unknown key '{}' in {} (accepted: {})", k, python_repr(v),
                                rank == 1 ? "left_pad, right_pad" : "top_pad, bottom_pad, left_pad, right_pad"));
  }
  std::array<SidePair, 3> out{};
  for (int a = 0; a < rank; ++a) {
    auto side = [&](const char* name) { return v.contains(name) ? cfg.integer(key, v[name]) : int64_t{0}; };
    out[a] = {side(keys[a][0]), side(keys[a][1])};
  }
  return out;
}

std::array<SidePair, 3> parse_any(const ConfigReader& cfg, std::string_view key, int rank) {
  const nlohmann::json& v = cfg.get(key);
  std::array<SidePair, 3> out{};
  if (v.is_null()) cfg.fail(key, "missing");
  if (v.is_object()) return from_dict(cfg, key, v, rank);
  if (!v.is_array()) {
    const int64_t all = cfg.integer(key, v);
    for (int a = 0; a < rank; ++a) out[a] = {all, all};
    return out;
  }
  if (rank == 1) {
    if (v.size() != 2) cfg.fail(key, fmt::format("{} should be an int or a pair (before, after)", python_repr(v)));
    out[0] = {cfg.integer(key, v[0]), cfg.integer(key, v[1])};
    return out;
  }
  if (rank == 2 && v.size() == 4 && key == "padding") {  // Keras 1 ZeroPadding2D: (top, bottom, left, right)
    for (const auto& item : v)
      if (!item.is_number_integer()) cfg.fail(key, fmt::format("{}: a 4-tuple holds ints only", python_repr(v)));
    out[0] = {cfg.integer(key, v[0]), cfg.integer(key, v[1])};
    out[1] = {cfg.integer(key, v[2]), cfg.integer(key, v[3])};
    return out;
  }
  if (static_cast<int>(v.size()) != rank)
    cfg.fail(key, fmt::format("{} has {} items; a {}D layer takes an int or {} items (each an int or a pair)",
                              python_repr(v), v.size(), rank, rank));
  for (int a = 0; a < rank; ++a) out[a] = pair_from(cfg, key, v[a]);
  return out;
}

}  // namespace

std::array<SidePair, 3> parse_side_pairs(const ConfigReader& cfg, std::string_view key, int rank) {
  const auto out = parse_any(cfg, key, rank);
  for (int a = 0; a < rank; ++a)
    if (out[a].before < 0 || out[a].after < 0)
      cfg.fail(key, fmt::format("{} has a negative value; amounts are counts of elements, 0 or more",
                                python_repr(cfg.get(key))));
  return out;
}

}  // namespace convscope
