#include "layers/norm/norm_axes.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "layers/config_reader.h"

namespace convscope {

nlohmann::json AxisArgument::to_json() const {
  if (!list && axes.size() == 1) return axes.front();
  return axes;
}

AxisArgument read_axis_argument(const ConfigReader& cfg, std::string_view key, int64_t fallback, bool null_means_empty) {
  const nlohmann::json& v = cfg.get(key);
  // Normalization(axis=None) keeps no axis; an absent axis is the default all the same.
  if (v.is_null())
    return null_means_empty && cfg.config().contains(key) ? AxisArgument{{}, true} : AxisArgument{{fallback}, false};
  if (v.is_number_integer()) return {{cfg.integer(key, v)}, false};
  if (!v.is_array()) cfg.fail(key, fmt::format("{} is not an int or a list of ints", python_repr(v)));
  AxisArgument a{{}, true};
  for (const auto& item : v) {
    if (!item.is_number_integer()) cfg.fail(key, fmt::format("{} holds {}, which is not an int", python_repr(v), python_repr(item)));
    a.axes.push_back(cfg.integer(key, item));
  }
  return a;
}

double read_number(const ConfigReader& cfg, std::string_view key, double fallback) {
  const nlohmann::json& v = cfg.get(key);
  if (v.is_null()) return fallback;
  if (!v.is_number()) cfg.fail(key, fmt::format("{} is not a number", python_repr(v)));
  return v.get<double>();
}

namespace {

void flatten_into(const ConfigReader& cfg, std::string_view key, const nlohmann::json& whole, const nlohmann::json& v,
                  size_t depth, ArrayValue& out) {
  if (v.is_number()) {
    if (depth != out.shape.size())
      cfg.fail(key, fmt::format("{} is ragged: its lists nest to different depths", python_repr(whole)));
    out.values.push_back(v.get<double>());
    return;
  }
  if (!v.is_array() || v.empty())
    cfg.fail(key, fmt::format("{} is not a number or a list of numbers", python_repr(whole)));
  if (depth == out.shape.size() && out.values.empty()) out.shape.push_back(static_cast<int64_t>(v.size()));
  if (depth >= out.shape.size() || out.shape[depth] != static_cast<int64_t>(v.size()))
    cfg.fail(key, fmt::format("{} is ragged: its lists differ in length", python_repr(whole)));
  for (const auto& item : v) flatten_into(cfg, key, whole, item, depth + 1, out);
}

}  // namespace

ArrayValue read_array_value(const ConfigReader& cfg, std::string_view key, const nlohmann::json& v) {
  // Keras 3 serialises a NumPy array or a tensor as {"class_name": "__numpy__", "config":
  // {"value": [...], "dtype": "float32"}} (saving/serialization_lib.py).
  if (v.is_object()) {
    const auto cls = v.find("class_name");
    const auto config = v.find("config");
    if (cls == v.end() || (*cls != "__numpy__" && *cls != "__tensor__") || config == v.end() ||
        !config->is_object() || !config->contains("value"))
      cfg.fail(key, fmt::format("{} is not a number, a list of numbers or a serialised array", python_repr(v)));
    return read_array_value(cfg, key, (*config)["value"]);
  }
  ArrayValue out;
  flatten_into(cfg, key, v, v, 0, out);
  return out;
}

std::vector<int> resolve_keras_axes(std::string_view label, std::string_view key, const AxisArgument& axes,
                                    const Shape& s) {
  const int rank = s.keras_rank();
  std::vector<int> out;
  for (int64_t a : axes.axes) {
    const auto k = normalized_axis(a, rank);
    if (!k)
      throw UserError(fmt::format("{}: {}: {} is out of range for an input of shape {}; its axes run from {} to {}",
                                  label, key, a, shape_string(s.keras()), -rank, rank - 1));
    if (*k == 0)
      throw UserError(fmt::format("{}: {}: {} is the batch axis, whose size Keras does not know when it builds the "
                                  "layer; name a feature axis (1 to {})",
                                  label, key, a, rank - 1));
    if (std::find(out.begin(), out.end(), *k) != out.end())
      throw UserError(fmt::format("{}: {}: {} names axis {} twice", label, key, python_repr(axes.to_json()), *k));
    out.push_back(*k);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<int64_t> broadcast_shape(const Shape& s, const std::vector<int>& keras_axes) {
  const std::vector<int64_t> k = s.keras();
  std::vector<int64_t> shape(k.size(), 1);
  for (int a : keras_axes) shape[static_cast<size_t>(a)] = k[static_cast<size_t>(a)];
  return shape;
}

std::vector<int64_t> axis_sizes(const Shape& s, const std::vector<int>& keras_axes) {
  const std::vector<int64_t> k = s.keras();
  std::vector<int64_t> sizes;
  for (int a : keras_axes) sizes.push_back(k[static_cast<size_t>(a)]);
  return sizes;
}

double CanonicalParam::at(const CanonicalDims& coord) const {
  size_t index = 0;
  for (int a = 0; a < kCanonicalAxes; ++a) index = index * static_cast<size_t>(dims[a]) + (dims[a] > 1 ? coord[a] : 0);
  return values[index];
}

CanonicalDims canonical_param_dims(const Shape& s, const std::vector<int64_t>& keras_shape) {
  const std::vector<int> order = keras_order(s);
  CanonicalDims dims{1, 1, 1, 1, 1};
  for (size_t k = 0; k < order.size() && k < keras_shape.size(); ++k) dims[order[k]] = keras_shape[k];
  return dims;
}

namespace {

template <typename T>
CanonicalParam to_canonical_impl(const Shape& s, const std::vector<int64_t>& keras_shape, std::span<const T> values) {
  const std::vector<int> order = keras_order(s);
  if (keras_shape.size() != order.size() || values.size() != NdArray::element_count(keras_shape))
    throw Error(fmt::format("internal: a parameter of shape {} with {} values on a tensor of shape {}",
                            shape_string(keras_shape), values.size(), shape_string(s.keras())));
  CanonicalParam p;
  p.dims = canonical_param_dims(s, keras_shape);
  const CanonicalDims strides = canonical_strides(with_dims(s, p.dims));
  p.values.resize(values.size());
  // Walk the Keras coordinates row-major (the last Keras axis fastest), carrying the
  // canonical offset along.
  std::vector<int64_t> coord(keras_shape.size(), 0);
  size_t offset = 0;
  for (size_t f = 0; f < values.size(); ++f) {
    p.values[offset] = static_cast<double>(values[f]);
    for (size_t k = keras_shape.size(); k-- > 0;) {
      const int64_t step = strides[order[k]];
      if (++coord[k] < keras_shape[k]) {
        offset += static_cast<size_t>(step);
        break;
      }
      offset -= static_cast<size_t>(step * (keras_shape[k] - 1));
      coord[k] = 0;
    }
  }
  return p;
}

}  // namespace

CanonicalParam to_canonical(const Shape& s, const std::vector<int64_t>& keras_shape, std::span<const double> values) {
  return to_canonical_impl(s, keras_shape, values);
}
CanonicalParam to_canonical(const Shape& s, const std::vector<int64_t>& keras_shape, std::span<const float> values) {
  return to_canonical_impl(s, keras_shape, values);
}

CanonicalParam broadcast_to(const CanonicalParam& p, const CanonicalDims& dims) {
  CanonicalParam out;
  out.dims = dims;
  out.values.reserve(NdArray::element_count({dims.begin(), dims.end()}));
  CanonicalDims c{};
  for (c[0] = 0; c[0] < dims[0]; ++c[0])
    for (c[1] = 0; c[1] < dims[1]; ++c[1])
      for (c[2] = 0; c[2] < dims[2]; ++c[2])
        for (c[3] = 0; c[3] < dims[3]; ++c[3])
          for (c[4] = 0; c[4] < dims[4]; ++c[4]) out.values.push_back(p.at(c));
  return out;
}

IndexRuns index_runs(const CanonicalDims& dims, const std::array<bool, kCanonicalAxes>& enumerated,
                     const CanonicalDims& target_strides) {
  struct Run {
    int64_t divisor, size, stride;
  };
  std::vector<Run> runs;
  int64_t divisor = 1;
  bool previous_kept = false;  // the enumerated axis just inside this one started or extended a run
  for (int a = kCanonicalAxes - 1; a >= 0; --a) {
    if (!enumerated[a] || dims[a] == 1) continue;  // not enumerated, or a unit axis: no step
    const bool kept = target_strides[a] != 0;
    if (kept) {
      // Contiguous with the run inside it on both sides: one longer run.
      Run* inner = previous_kept ? &runs.back() : nullptr;
      if (inner && inner->divisor * inner->size == divisor && inner->stride * inner->size == target_strides[a])
        inner->size *= dims[a];
      else
        runs.push_back({divisor, dims[a], target_strides[a]});
    }
    previous_kept = kept;
    divisor *= dims[a];
  }
  if (runs.size() > 3) throw Error("internal: more than three index runs");
  IndexRuns r;
  for (size_t i = 0; i < runs.size(); ++i) {
    r.divisor[i] = static_cast<int32_t>(runs[i].divisor);
    r.size[i] = static_cast<int32_t>(runs[i].size);
    r.stride[i] = static_cast<int32_t>(runs[i].stride);
  }
  return r;
}

IndexRuns param_runs(const CanonicalDims& tensor, const CanonicalDims& param) {
  CanonicalDims strides{};
  int64_t step = 1;
  for (int a = kCanonicalAxes - 1; a >= 0; --a) {
    strides[a] = param[a] > 1 ? step : 0;
    step *= param[a];
  }
  return index_runs(tensor, {true, true, true, true, true}, strides);
}

}  // namespace convscope
