#include "layers/norm/normalization.h"

#include <fmt/format.h>

#include <cmath>

#include "core/error.h"
#include "layers/config_reader.h"
#include "layers/norm/affine.h"

namespace convscope {

namespace {

// Keras' backend.epsilon(), the floor of the standard deviation.
constexpr double kStdFloor = 1e-7;

}  // namespace

NormalizationLayer::NormalizationLayer(const ConfigReader& cfg)
    : Layer(cfg.name(), cfg.label(), 0, DataFormat::ChannelsLast),
      axis_(read_axis_argument(cfg, "axis", -1, true)),
      invert_(read_bool(cfg, "invert", false)),
      mean_written_(cfg.get("mean")),
      variance_written_(cfg.get("variance")) {
  if (mean_written_.is_null() != variance_written_.is_null())
    cfg.fail(mean_written_.is_null() ? "mean" : "variance",
             fmt::format("missing while {} is set; Keras takes both or neither (then the weights hold them)",
                         mean_written_.is_null() ? "variance" : "mean"));
  if (mean_written_.is_null()) return;
  mean_ = read_array_value(cfg, "mean", mean_written_);
  variance_ = read_array_value(cfg, "variance", variance_written_);
  if (mean_->shape != variance_->shape)
    cfg.fail("variance", fmt::format("has shape {} and mean {}; Keras requires the same", shape_string(variance_->shape),
                                     shape_string(mean_->shape)));
  if (mean_->shape.size() > axis_.axes.size())
    cfg.fail("mean", fmt::format("has {} axes, more than the {} kept (axis {})", mean_->shape.size(), axis_.axes.size(),
                                 python_repr(axis_.to_json())));
}

namespace {

// A config mean of shape `v` (at most one axis per kept axis) right-aligned to the kept axes,
// as Keras 3 reshapes it before broadcasting: the Keras shape it then has, 1 elsewhere.
std::vector<int64_t> aligned_to_kept(const std::string& label, const ArrayValue& v, const std::vector<int>& kept,
                                     const Shape& s) {
  const std::vector<int64_t> k = s.keras();
  std::vector<int64_t> shape(k.size(), 1);
  for (size_t i = 1; i <= v.shape.size(); ++i) {
    const size_t axis = static_cast<size_t>(kept[kept.size() - i]);
    const int64_t d = v.shape[v.shape.size() - i];
    if (d != 1 && d != k[axis])
      throw UserError(fmt::format("{}: mean: an array of shape {} does not fit the input {}: kept axis {} has {}, not {}",
                                  label, shape_string(v.shape), shape_string(k), axis, k[axis], d));
    shape[axis] = d;
  }
  return shape;
}

}  // namespace

Shape NormalizationLayer::output_shape(const Shape& input) const {
  const std::vector<int> kept = resolve_keras_axes(label(), "axis", axis_, input);
  if (mean_) aligned_to_kept(label(), *mean_, kept, input);
  return checked_output(input);
}

std::vector<std::string> NormalizationLayer::weight_names() const {
  if (mean_) return {};
  return {"mean", "variance", "count"};
}

std::vector<std::vector<int64_t>> NormalizationLayer::weight_shapes(const Shape& input) const {
  if (mean_) return {};
  const auto kept = axis_sizes(input, resolve_keras_axes(label(), "axis", axis_, input));
  return {kept, kept, {}};
}

std::vector<NdArray> NormalizationLayer::initial_weights(const Shape& input, uint64_t) const {
  // What Keras builds before adapt(): mean zeros, variance ones, count 0.
  std::vector<NdArray> out;
  for (const auto& shape : weight_shapes(input)) out.emplace_back(shape);
  if (!out.empty()) std::fill(out[1].data.begin(), out[1].data.end(), 1.0f);
  return out;
}

NormalizationLayer::Stats NormalizationLayer::stats(const Shape& input) const {
  const std::vector<int> kept = resolve_keras_axes(label(), "axis", axis_, input);
  const std::vector<int64_t> full = broadcast_shape(input, kept);
  Stats st;
  if (mean_) {
    const std::vector<int64_t> shape = aligned_to_kept(label(), *mean_, kept, input);
    CanonicalParam m = to_canonical(input, shape, std::span<const double>(mean_->values));
    CanonicalParam v = to_canonical(input, shape, std::span<const double>(variance_->values));
    const CanonicalDims dims = canonical_param_dims(input, full);
    st.mean = broadcast_to(m, dims);
    st.variance = broadcast_to(v, dims);
    return st;
  }
  require_weights_fit(input);
  st.mean = to_canonical(input, full, std::span<const float>(weights()[0].data));
  st.variance = to_canonical(input, full, std::span<const float>(weights()[1].data));
  return st;
}

Tensor NormalizationLayer::reference(const Tensor& input) const {
  const Stats st = stats(input.shape);
  return map_elements(input, [&](double x, const CanonicalDims& c) {
    const double sd = std::max(std::sqrt(st.variance.at(c)), kStdFloor);
    return invert_ ? st.mean.at(c) + x * sd : (x - st.mean.at(c)) / sd;
  });
}

void NormalizationLayer::record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const {
  const Stats st = stats(input.shape);
  CanonicalParam scale = st.variance, shift = st.mean;
  for (size_t i = 0; i < scale.values.size(); ++i) {
    const double sd = std::max(std::sqrt(st.variance.values[i]), kStdFloor);
    scale.values[i] = invert_ ? sd : 1.0 / sd;
    shift.values[i] = invert_ ? st.mean.values[i] : -st.mean.values[i] / sd;
  }
  record_affine(seq, input, output, scale, shift, label());
}

nlohmann::json NormalizationLayer::keras_config() const {
  nlohmann::json c = base_config(false);
  c["axis"] = axis_.axes;  // Keras keeps a tuple and writes a list
  c["invert"] = invert_;
  c["mean"] = mean_written_;
  c["variance"] = variance_written_;
  return c;
}

Layer::Region NormalizationLayer::source_region(const Shape&, const Region& output) const { return output; }

}  // namespace convscope
