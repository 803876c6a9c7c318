#pragma once
// What the normalisation layers share: Keras' `axis` argument (an int or a list of ints) and
// parameters that broadcast over some Keras axes of a canonical tensor (BatchNormalization's
// moving statistics, LayerNormalization's gamma and beta, Rescaling's scale, Normalization's
// mean), laid out over the canonical axes for the CPU reference and the shaders.
#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/keras_axes.h"
#include "core/tensor.h"

namespace convscope {

class ConfigReader;

// `axis` as written: an int or a list of ints (tf.keras writes [3] where Keras 3 writes 3).
struct AxisArgument {
  std::vector<int64_t> axes;
  bool list = false;  // written as a list
  nlohmann::json to_json() const;
};
// The argument under `key`, `fallback` when absent or null (null_means_empty: a null written
// is the empty list, Normalization's axis=None). UserError naming the layer and the argument for
// anything but an int or a list of ints.
AxisArgument read_axis_argument(const ConfigReader& cfg, std::string_view key, int64_t fallback,
                                bool null_means_empty = false);

// A number (int or float) under `key`, `fallback` when absent or null; UserError otherwise.
double read_number(const ConfigReader& cfg, std::string_view key, double fallback);

// A number or an array of them as a config holds it: a number, nested lists, or Keras 3's
// serialised array {"class_name": "__numpy__" or "__tensor__", "config": {"value": ...}}.
struct ArrayValue {
  std::vector<int64_t> shape;  // {} for a number
  std::vector<double> values;  // row-major
};
// UserError naming the layer and `key` for anything else (ragged lists, strings...).
ArrayValue read_array_value(const ConfigReader& cfg, std::string_view key, const nlohmann::json& v);

// The Keras axes (batch = 0) `axes` names on `s`, made positive and sorted: UserError
// "<label>: axis: 4 is out of range for an input of shape (1, 5, 7, 3) ..." for an axis outside
// the rank, one named twice, or the batch axis (whose size Keras does not know when it builds).
std::vector<int> resolve_keras_axes(std::string_view label, std::string_view key, const AxisArgument& axes,
                                    const Shape& s);

// The Keras shape of a parameter that varies along `keras_axes` of `s` and broadcasts over the
// rest: the axis' size there, 1 elsewhere (batch included).
std::vector<int64_t> broadcast_shape(const Shape& s, const std::vector<int>& keras_axes);
// The sizes of `keras_axes` of `s`, in order: a weight's shape (gamma of LayerNormalization).
std::vector<int64_t> axis_sizes(const Shape& s, const std::vector<int>& keras_axes);

// A parameter over a canonical tensor: the canonical dims it varies along (the tensor's size
// there, 1 elsewhere) and its values, row-major over those dims in canonical (N, C, D, H, W)
// order.
struct CanonicalParam {
  CanonicalDims dims{1, 1, 1, 1, 1};
  std::vector<double> values;

  // The value for the tensor element at canonical coordinates `at`.
  double at(const CanonicalDims& at) const;
  std::vector<float> as_floats() const { return {values.begin(), values.end()}; }
};

// The canonical dims of a parameter of Keras shape `keras_shape` on `s`.
CanonicalDims canonical_param_dims(const Shape& s, const std::vector<int64_t>& keras_shape);
// `values`, row-major over `keras_shape` (one entry per Keras axis of `s`, batch first, each 1
// or the axis' size), laid out over the canonical axes of `s`.
CanonicalParam to_canonical(const Shape& s, const std::vector<int64_t>& keras_shape, std::span<const double> values);
CanonicalParam to_canonical(const Shape& s, const std::vector<int64_t>& keras_shape, std::span<const float> values);
// `p` over `dims`, which vary along every axis p does (and maybe more): repeated where p broadcasts.
CanonicalParam broadcast_to(const CanonicalParam& p, const CanonicalDims& dims);

// How a shader turns an index over some canonical axes of a tensor into an offset elsewhere:
// offset = sum over runs r of ((index / divisor[r]) % size[r]) * stride[r]. Runs are the
// enumerated axes merged where they are contiguous on both sides, unit axes dropped; unused
// runs have size 1. Five axes give at most three runs of axes separated by the others.
struct IndexRuns {
  std::array<int32_t, 3> divisor{1, 1, 1}, size{1, 1, 1}, stride{0, 0, 0};
};
// The index enumerates the canonical axes in `enumerated` of `dims` row-major (N outermost);
// `target_strides` are the offsets per step along each axis where the index lands (0 for an
// axis the target does not vary along).
IndexRuns index_runs(const CanonicalDims& dims, const std::array<bool, kCanonicalAxes>& enumerated,
                     const CanonicalDims& target_strides);
// The runs from a tensor's element index to the offset of a CanonicalParam with `param` dims.
IndexRuns param_runs(const CanonicalDims& tensor, const CanonicalDims& param);

}  // namespace convscope
