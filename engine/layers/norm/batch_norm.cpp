#include "layers/norm/batch_norm.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "layers/config_reader.h"
#include "layers/norm/affine.h"

namespace convscope {

BatchNormLayer::BatchNormLayer(const ConfigReader& cfg)
    : Layer(cfg.name(), cfg.label(), 0, DataFormat::ChannelsLast), axis_(read_axis_argument(cfg, "axis", -1)) {
  if (axis_.axes.empty()) cfg.fail("axis", "[] names no axis; BatchNormalization normalises along at least one");
  momentum_ = read_number(cfg, "momentum", 0.99);
  epsilon_ = read_number(cfg, "epsilon", 1e-3);
  if (epsilon_ < 0) cfg.fail("epsilon", fmt::format("{} is negative; the variance plus epsilon must stay positive", epsilon_));
  center_ = read_bool(cfg, "center", true);
  scale_ = read_bool(cfg, "scale", true);
  // Keras 1: mode 0 is today's layer; 1 normalised each sample, 2 used the batch's own
  // statistics at inference too, which a layer given one image cannot reproduce.
  if (const nlohmann::json& mode = cfg.get("mode"); !mode.is_null()) {
    const int64_t m = cfg.integer("mode", mode);
    if (m == 1 || m == 2)
      cfg.fail("mode", fmt::format("{} is Keras 1's {}; convscope implements mode 0, the moving statistics", m,
                                   m == 1 ? "sample-wise normalisation" : "normalisation by each batch's statistics"));
    if (m != 0) cfg.fail("mode", fmt::format("{} is not a Keras 1 mode (0, 1 or 2)", m));
  }
  // Batch renormalisation changes training only: Keras 3 and tf.keras both normalise with
  // moving_mean and moving_variance at inference. It adds three weights, read and ignored.
  renorm_ = read_bool(cfg, "renorm", false);
  renorm_clipping_ = cfg.get("renorm_clipping");
  renorm_momentum_ = read_number(cfg, "renorm_momentum", 0.99);
  // tf.keras's ghost batches give every weight an extra unit axis after the batch and shift
  // the axis it saves by one; no file convscope has seen uses them.
  if (const nlohmann::json& v = cfg.get("virtual_batch_size"); !v.is_null())
    cfg.fail("virtual_batch_size", fmt::format("{}: tf.keras's ghost batches add an axis to every weight and shift the "
                                               "saved axis; convscope reads BatchNormalization without them",
                                               python_repr(v)));
  if (const nlohmann::json& v = cfg.get("fused"); !v.is_null() && !v.is_boolean())
    cfg.fail("fused", fmt::format("{} is not true, false or None", python_repr(v)));
  // `adjustment` (tf.keras) acts in training only and is never saved; `synchronized`
  // (Keras 3) concerns training across devices.
}

Shape BatchNormLayer::output_shape(const Shape& input) const {
  resolve_keras_axes(label(), "axis", axis_, input);
  return checked_output(input);
}

std::vector<std::string> BatchNormLayer::weight_names() const {
  std::vector<std::string> names;
  if (scale_) names.push_back("gamma");
  if (center_) names.push_back("beta");
  names.insert(names.end(), {"moving_mean", "moving_variance"});
  if (renorm_) names.insert(names.end(), {"moving_stddev", "renorm_mean", "renorm_stddev"});
  return names;
}

std::vector<std::vector<int64_t>> BatchNormLayer::weight_shapes(const Shape& input) const {
  const std::vector<int> axes = resolve_keras_axes(label(), "axis", axis_, input);
  // One axis: a vector of its size. Several (tf.keras only; Keras 3 takes an int): the input's
  // rank with 1 on every other axis, batch included, as tf.keras builds them.
  const std::vector<int64_t> shape = axes.size() == 1 ? axis_sizes(input, axes) : broadcast_shape(input, axes);
  return std::vector<std::vector<int64_t>>(weight_names().size(), shape);
}

std::vector<NdArray> BatchNormLayer::initial_weights(const Shape& input, uint64_t) const {
  const auto shapes = weight_shapes(input);
  const auto names = weight_names();
  std::vector<NdArray> out;
  for (size_t i = 0; i < names.size(); ++i) {
    NdArray a(shapes[i]);
    const bool ones = names[i] == "gamma" || names[i] == "moving_variance" || names[i] == "moving_stddev" ||
                      names[i] == "renorm_stddev";
    if (ones) std::fill(a.data.begin(), a.data.end(), 1.0f);
    out.push_back(std::move(a));
  }
  return out;
}

BatchNormLayer::Folded BatchNormLayer::params(const Shape& input) const {
  require_weights_fit(input);
  const std::vector<int64_t> keras_shape = broadcast_shape(input, resolve_keras_axes(label(), "axis", axis_, input));
  const auto& w = weights();
  size_t next = 0;
  auto take = [&](bool present, float absent) {
    if (present) return to_canonical(input, keras_shape, std::span<const float>(w[next++].data));
    const std::vector<float> fill(NdArray::element_count(keras_shape), absent);
    return to_canonical(input, keras_shape, std::span<const float>(fill));
  };
  Folded f;
  f.gamma = take(scale_, 1.0f);
  f.beta = take(center_, 0.0f);
  f.mean = take(true, 0.0f);
  f.variance = take(true, 1.0f);
  return f;
}

Tensor BatchNormLayer::reference(const Tensor& input) const {
  const Folded f = params(input.shape);
  return map_elements(input, [&](double x, const CanonicalDims& c) {
    return f.gamma.at(c) * (x - f.mean.at(c)) / std::sqrt(f.variance.at(c) + epsilon_) + f.beta.at(c);
  });
}

void BatchNormLayer::record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const {
  const Folded f = params(input.shape);
  // As tf.nn.batch_normalization: x * (gamma / sqrt(var + eps)) + (beta - mean * that).
  CanonicalParam scale = f.gamma, shift = f.beta;
  for (size_t i = 0; i < scale.values.size(); ++i) {
    scale.values[i] = f.gamma.values[i] / std::sqrt(f.variance.values[i] + epsilon_);
    shift.values[i] = f.beta.values[i] - f.mean.values[i] * scale.values[i];
  }
  record_affine(seq, input, output, scale, shift, label());
}

nlohmann::json BatchNormLayer::keras_config() const {
  nlohmann::json c = base_config(false);
  c["axis"] = axis_.to_json();
  c["momentum"] = momentum_;
  c["epsilon"] = epsilon_;
  c["center"] = center_;
  c["scale"] = scale_;
  c["synchronized"] = false;
  if (renorm_) {
    c["renorm"] = true;
    c["renorm_clipping"] = renorm_clipping_;
    c["renorm_momentum"] = renorm_momentum_;
  }
  return c;
}

Layer::Region BatchNormLayer::source_region(const Shape&, const Region& output) const { return output; }

}  // namespace convscope
