#include "layers/activation/activation_layers.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "layers/activation/activation_pass.h"
#include "layers/config_reader.h"
#include "layers/keras_generation.h"

namespace convscope {

namespace {

bool given(const ConfigReader& cfg, std::string_view key) { return cfg.config().contains(std::string(key)); }

// A float argument: `fallback` when absent; None and non-numbers refused, as Keras refuses
// None for every one of these (ReLU's max_value aside, read apart).
double read_number(const ConfigReader& cfg, std::string_view key, double fallback) {
  if (!given(cfg, key)) return fallback;
  const nlohmann::json& v = cfg.get(key);
  if (!v.is_number()) cfg.fail(key, fmt::format("{} is not a number", python_repr(v)));
  return v.get<double>();
}

double read_nonnegative(const ConfigReader& cfg, std::string_view key, double fallback) {
  const double v = read_number(cfg, key, fallback);
  if (v < 0) cfg.fail(key, fmt::format("{} is negative, which Keras refuses", python_repr(cfg.get(key))));
  return v;
}

ActivationSpec relu_spec(const ConfigReader& cfg) {
  ActivationSpec s{.kind = ActivationKind::Relu};
  if (!cfg.get("max_value").is_null()) s.max_value = read_nonnegative(cfg, "max_value", 0);
  s.negative_slope = read_nonnegative(cfg, "negative_slope", 0);
  s.threshold = read_nonnegative(cfg, "threshold", 0);
  return s;
}

// Keras 3 takes Keras 2's `alpha` for negative_slope, and `alpha` wins when both are given.
std::string_view leaky_key(const ConfigReader& cfg) { return given(cfg, "alpha") ? "alpha" : "negative_slope"; }

ActivationSpec leaky_spec(const ConfigReader& cfg) {
  ActivationSpec s{.kind = ActivationKind::LeakyRelu};
  const std::string_view key = leaky_key(cfg);
  s.negative_slope = read_number(cfg, key, 0.3);
  if (s.negative_slope < 0 && keras_generation() >= 3)
    cfg.fail(key, fmt::format("{} is negative, which Keras 3 refuses", python_repr(cfg.get(key))));
  return s;
}

ActivationSpec elu_spec(const ConfigReader& cfg) {
  ActivationSpec s{.kind = ActivationKind::Elu};
  s.alpha = read_number(cfg, "alpha", 1.0);
  return s;
}

ActivationSpec thresholded_spec(const ConfigReader& cfg) {
  ActivationSpec s{.kind = ActivationKind::Relu};
  s.threshold = read_nonnegative(cfg, "theta", 1.0);
  return s;
}

ActivationSpec softmax_spec(const ConfigReader& cfg) {
  ActivationSpec s{.kind = ActivationKind::Softmax};
  const nlohmann::json& axis = cfg.get("axis");
  if (!given(cfg, "axis")) return s;  // -1
  if (axis.is_null()) {
    // Keras 3's ops.softmax reads None as every axis; Keras 2's tf.nn.softmax as the last.
    if (keras_generation() >= 3) s.axes.reset();
    return s;
  }
  std::vector<int64_t> axes;
  if (axis.is_array()) {
    if (axis.empty()) cfg.fail("axis", "() names no axis");
    for (const nlohmann::json& a : axis) axes.push_back(cfg.integer("axis", a));
  } else {
    axes.push_back(cfg.integer("axis", axis));
  }
  s.axes = axes;
  return s;
}

ActivationSpec activation_spec(const ConfigReader& cfg) {
  if (!given(cfg, "activation")) cfg.fail("activation", "missing: the layer applies the function it names");
  return parse_activation(cfg.get("activation"), cfg.label());
}

}  // namespace

ActivationFunctionLayer::ActivationFunctionLayer(const ConfigReader& cfg, ActivationSpec spec)
    : Layer(cfg.name(), cfg.label(), 0, DataFormat::ChannelsLast), spec_(std::move(spec)), class_name_(cfg.class_name()) {}

Shape ActivationFunctionLayer::output_shape(const Shape& input) const {
  check_activation_fits(spec_, input, label());
  return checked_output(input);
}

Tensor ActivationFunctionLayer::reference(const Tensor& input) const {
  output_shape(input.shape);
  Tensor out = input;
  apply_activation(spec_, out);
  return out;
}

void ActivationFunctionLayer::record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const {
  record_activation(seq, input.buffer, output.buffer, input.shape, spec_, label());
}

Layer::Region ActivationFunctionLayer::source_region(const Shape& input, const Region& output) const {
  Region r = output;
  const std::array<bool, 5> reduced = reduced_axes(spec_, input, label());
  for (int a = 0; a < input.spatial_rank; ++a)
    if (reduced[static_cast<size_t>(5 - input.spatial_rank + a)]) r[a] = {0, input.spatial(a) - 1};
  return r;
}

double ActivationFunctionLayer::flops(const Shape& input) const {
  // One operation an element for the elementwise functions; softmax subtracts, exponentiates,
  // adds and divides.
  return static_cast<double>(input.size()) * (spec_.elementwise() ? 1 : 4);
}

ActivationLayer::ActivationLayer(const ConfigReader& cfg) : ActivationFunctionLayer(cfg, activation_spec(cfg)) {}

nlohmann::json ActivationLayer::keras_config() const {
  nlohmann::json c = base_config(false);
  c["activation"] = activation_config(spec_);
  return c;
}

ReLULayer::ReLULayer(const ConfigReader& cfg) : ActivationFunctionLayer(cfg, relu_spec(cfg)) {}

nlohmann::json ReLULayer::keras_config() const {
  nlohmann::json c = base_config(false);
  c["max_value"] = spec_.max_value ? nlohmann::json(*spec_.max_value) : nlohmann::json();
  c["negative_slope"] = spec_.negative_slope;
  c["threshold"] = spec_.threshold;
  return c;
}

LeakyReLULayer::LeakyReLULayer(const ConfigReader& cfg) : ActivationFunctionLayer(cfg, leaky_spec(cfg)) {
  if (spec_.negative_slope < 0)
    warnings_.push_back(fmt::format("{}: {} < 0: Keras 2 computes it, Keras 3 refuses it", leaky_key(cfg),
                                    spec_.negative_slope));
}

nlohmann::json LeakyReLULayer::keras_config() const {
  nlohmann::json c = base_config(false);
  c["negative_slope"] = spec_.negative_slope;
  return c;
}

ELULayer::ELULayer(const ConfigReader& cfg) : ActivationFunctionLayer(cfg, elu_spec(cfg)) {}

nlohmann::json ELULayer::keras_config() const {
  nlohmann::json c = base_config(false);
  c["alpha"] = spec_.alpha;
  return c;
}

ThresholdedReLULayer::ThresholdedReLULayer(const ConfigReader& cfg) : ActivationFunctionLayer(cfg, thresholded_spec(cfg)) {}

nlohmann::json ThresholdedReLULayer::keras_config() const {
  nlohmann::json c = base_config(false);
  c["theta"] = spec_.threshold;
  return c;
}

SoftmaxLayer::SoftmaxLayer(const ConfigReader& cfg)
    : ActivationFunctionLayer(cfg, softmax_spec(cfg)), axis_as_list_(cfg.get("axis").is_array()) {}

nlohmann::json SoftmaxLayer::keras_config() const {
  nlohmann::json c = base_config(false);
  if (!spec_.axes) c["axis"] = nullptr;
  else if (axis_as_list_) c["axis"] = *spec_.axes;
  else c["axis"] = spec_.axes->front();
  return c;
}

}  // namespace convscope
