#include "layers/activation/activation.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "core/error.h"
#include "core/keras_axes.h"
#include "layers/config_reader.h"
#include "layers/keras_generation.h"

namespace convscope {

namespace {

using Kind = ActivationKind;

struct Named {
  std::string_view name;
  ActivationSpec spec;
};

ActivationSpec of(Kind k) { return ActivationSpec{.kind = k}; }

// Keras 3's names first (activations.ALL_OBJECTS_DICT), in the order the app lists them.
// "hard_sigmoid" is resolved by generation in parse_name; this entry is Keras 3's.
const std::vector<Named>& named() {
  static const std::vector<Named> table = [] {
    ActivationSpec leaky = of(Kind::LeakyRelu);
    leaky.negative_slope = 0.2;  // keras.activations.leaky_relu's default, as tf.nn.leaky_relu's
    ActivationSpec gelu_tanh = of(Kind::Gelu);
    gelu_tanh.approximate = true;
    return std::vector<Named>{
        {"linear", of(Kind::Linear)},
        {"relu", of(Kind::Relu)},
        {"relu6", of(Kind::Relu6)},
        {"leaky_relu", leaky},
        {"elu", of(Kind::Elu)},
        {"selu", of(Kind::Selu)},
        {"gelu", of(Kind::Gelu)},
        {"sigmoid", of(Kind::Sigmoid)},
        {"hard_sigmoid", of(Kind::HardSigmoid)},
        {"hard_silu", of(Kind::HardSilu)},
        {"hard_swish", of(Kind::HardSilu)},
        {"tanh", of(Kind::Tanh)},
        {"softplus", of(Kind::Softplus)},
        {"softsign", of(Kind::Softsign)},
        {"silu", of(Kind::Silu)},
        {"swish", of(Kind::Silu)},
        {"mish", of(Kind::Mish)},
        {"exponential", of(Kind::Exponential)},
        {"softmax", of(Kind::Softmax)},
        {"log_softmax", of(Kind::LogSoftmax)},
        // TensorFlow.js' name for the tanh form of gelu.
        {"gelu_new", gelu_tanh},
        // convscope's own, for what Keras 3 has no name for (see activation_config).
        {"hard_sigmoid_keras2", of(Kind::HardSigmoidKeras2)},
        {"gelu_approximate", gelu_tanh},
    };
  }();
  return table;
}

// Names newer Keras 3 releases define that convscope does not compute: said as such.
constexpr std::string_view kKerasOnly[] = {"celu", "glu", "hard_shrink", "hard_tanh", "log_sigmoid", "soft_shrink",
                                           "sparse_plus", "sparse_sigmoid", "sparsemax", "squareplus", "tanh_shrink",
                                           "threshold", "crelu"};

constexpr std::string_view kPackage = "convscope>";

std::string accepted_list() {
  std::string s;
  for (const Named& n : named()) s += (s.empty() ? "" : ", ") + std::string(n.name);
  return s;
}

[[noreturn]] void refuse(std::string_view who, const std::string& what) {
  throw UserError(fmt::format("{}: activation: {} (accepted: {}, or None)", who, what, accepted_list()));
}

ActivationSpec parse_name(std::string name, std::string_view who) {
  if (name.empty() || name == "None") return of(Kind::Linear);
  if (name.rfind(kPackage, 0) == 0) name = name.substr(kPackage.size());
  if (name == "hard_sigmoid") return of(keras_generation() >= 3 ? Kind::HardSigmoid : Kind::HardSigmoidKeras2);
  for (const Named& n : named())
    if (n.name == name) return n.spec;
  if (std::find(std::begin(kKerasOnly), std::end(kKerasOnly), name) != std::end(kKerasOnly))
    refuse(who, fmt::format("'{}' is a Keras activation convscope does not implement", name));
  if (name.find('>') != std::string::npos)
    refuse(who, fmt::format("'{}' is a custom function registered with Keras, which convscope cannot run", name));
  refuse(who, fmt::format("'{}' is not a Keras activation convscope knows", name));
}

// SELU's constants (Klambauer et al. 2017), as Keras writes them.
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;

double relu(const ActivationSpec& s, double x) {
  // Keras' relu(x, negative_slope, max_value, threshold) (activations.py, ReLU.static_call):
  // x * (x > threshold), clipped to [0, max_value], minus negative_slope * relu(threshold - x).
  // At x == threshold both parts are 0.
  const double negative_part = s.negative_slope != 0 ? std::max(s.threshold - x, 0.0) : 0.0;
  double y = s.threshold != 0 ? (x > s.threshold ? x : 0.0) : std::max(x, 0.0);
  if (s.max_value) y = std::clamp(y, 0.0, *s.max_value);
  return y - s.negative_slope * negative_part;
}

double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }

std::string axes_words(const Shape& s) {
  const bool last = s.format == DataFormat::ChannelsLast;
  switch (s.spatial_rank) {
    case 0: return "(batch, features)";
    case 1: return last ? "(batch, steps, channels)" : "(batch, channels, steps)";
    case 2: return last ? "(batch, rows, cols, channels)" : "(batch, channels, rows, cols)";
    default: return last ? "(batch, depth, rows, cols, channels)" : "(batch, channels, depth, rows, cols)";
  }
}

}  // namespace

ActivationSpec parse_activation(const nlohmann::json& value, std::string_view who) {
  if (value.is_null()) return of(Kind::Linear);
  if (value.is_string()) return parse_name(value.get<std::string>(), who);
  if (value.is_object() && value.value("class_name", nlohmann::json()) == "function") {
    const nlohmann::json& config = value.contains("config") ? value["config"] : value;
    if (config.is_string()) return parse_name(config.get<std::string>(), who);
  }
  if (value.is_object() && value.contains("class_name") && value["class_name"].is_string())
    refuse(who, fmt::format("{} is a layer object; convscope takes activations by name (a {} layer of its own "
                            "may compute it)",
                            python_repr(value), value["class_name"].get<std::string>()));
  refuse(who, fmt::format("{} is not an activation name", python_repr(value)));
}

std::string activation_name(const ActivationSpec& s) {
  switch (s.kind) {
    case Kind::Gelu: return s.approximate ? "gelu_approximate" : "gelu";
    case Kind::HardSigmoid: return "hard_sigmoid";
    case Kind::HardSigmoidKeras2: return "hard_sigmoid_keras2";
    case Kind::HardSilu: return "hard_silu";
    case Kind::Silu: return "silu";
    default: break;
  }
  for (const Named& n : named())
    if (n.spec.kind == s.kind) return std::string(n.name);
  return "linear";
}

nlohmann::json activation_config(const ActivationSpec& s) {
  const std::string name = activation_name(s);
  const Named* plain = nullptr;
  for (const Named& n : named())
    if (n.name == name) plain = &n;
  if (!plain || !(plain->spec == s))
    throw Error(fmt::format("internal: the {} activation with these parameters has no Keras name", name));
  if (s.kind != Kind::HardSigmoidKeras2 && !(s.kind == Kind::Gelu && s.approximate)) return name;
  const std::string registered = std::string(kPackage) + name;
  return {{"module", "convscope"}, {"class_name", "function"}, {"config", registered}, {"registered_name", registered}};
}

const std::vector<std::string>& activation_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const Named& n : named()) out.emplace_back(n.name);
    return out;
  }();
  return names;
}

double apply_activation(const ActivationSpec& s, double x) {
  switch (s.kind) {
    case Kind::Linear: return x;
    case Kind::Relu: return relu(s, x);
    case Kind::Relu6: return std::clamp(x, 0.0, 6.0);
    case Kind::LeakyRelu: return x > 0 ? x : s.negative_slope * x;
    case Kind::Elu: return x > 0 ? x : s.alpha * std::expm1(x);
    case Kind::Selu: return kSeluScale * (x > 0 ? x : kSeluAlpha * std::expm1(x));
    case Kind::Gelu:
      if (s.approximate) {
        const double k = std::sqrt(2.0 / std::numbers::pi);
        return 0.5 * x * (1.0 + std::tanh(k * (x + 0.044715 * x * x * x)));
      }
      return 0.5 * x * std::erfc(-x / std::sqrt(2.0));  // = 0.5x(1 + erf(x/sqrt 2)), without cancelling
    case Kind::Sigmoid: return 1.0 / (1.0 + std::exp(-x));
    case Kind::HardSigmoid: return std::clamp(x + 3.0, 0.0, 6.0) / 6.0;
    case Kind::HardSigmoidKeras2: return std::clamp(0.2 * x + 0.5, 0.0, 1.0);
    case Kind::HardSilu: return x * std::clamp(x + 3.0, 0.0, 6.0) / 6.0;
    case Kind::Tanh: return std::tanh(x);
    case Kind::Softplus: return softplus(x);
    case Kind::Softsign: return x / (1.0 + std::abs(x));
    case Kind::Silu: return x / (1.0 + std::exp(-x));
    case Kind::Mish: return x * std::tanh(softplus(x));
    case Kind::Exponential: return std::exp(x);
    case Kind::Softmax:
    case Kind::LogSoftmax: break;
  }
  throw Error(fmt::format("internal: {} is not elementwise", activation_name(s)));
}

std::array<bool, 5> reduced_axes(const ActivationSpec& s, const Shape& shape, std::string_view who) {
  std::array<bool, 5> reduced{};
  if (s.elementwise()) return reduced;
  if (!s.axes) {
    reduced.fill(true);
    return reduced;
  }
  const std::vector<int64_t>& axes = *s.axes;
  const int rank = shape.keras_rank();
  auto listed = [&] {
    return axes.size() == 1 ? std::to_string(axes[0]) : python_repr(nlohmann::json(axes));
  };
  if (axes.empty()) throw UserError(fmt::format("{}: axis: () names no axis", who));
  std::array<bool, 8> seen{};
  for (int64_t a : axes) {
    const auto k = normalized_axis(a, rank);
    if (!k)
      throw UserError(fmt::format("{}: axis: {} is outside the input's {} axes {}, shape {}", who, a, rank,
                                  axes_words(shape), shape_string(shape.keras())));
    if (seen[*k]) throw UserError(fmt::format("{}: axis: {} names axis {} twice", who, listed(), *k));
    seen[*k] = true;
    reduced[static_cast<size_t>(keras_order(shape)[static_cast<size_t>(*k)])] = true;
  }
  return reduced;
}

void apply_activation(const ActivationSpec& s, Tensor& t) {
  if (s.kind == Kind::Linear) return;
  if (s.elementwise()) {
    for (float& v : t.data) v = static_cast<float>(apply_activation(s, static_cast<double>(v)));
    return;
  }
  const std::array<bool, 5> reduced = reduced_axes(s, t.shape, activation_name(s));
  const CanonicalDims dims = canonical_dims(t.shape), strides = canonical_strides(t.shape);
  // Offsets of every element of one reduction (over the reduced axes) and of every start
  // (over the others): element = start + offset.
  auto offsets = [&](bool of_reduced) {
    std::vector<size_t> out{0};
    for (int a = 0; a < kCanonicalAxes; ++a) {
      if (reduced[static_cast<size_t>(a)] != of_reduced) continue;
      std::vector<size_t> next;
      for (int64_t i = 0; i < dims[static_cast<size_t>(a)]; ++i)
        for (size_t o : out) next.push_back(o + static_cast<size_t>(i * strides[static_cast<size_t>(a)]));
      out = std::move(next);
    }
    return out;
  };
  const std::vector<size_t> members = offsets(true), starts = offsets(false);
  const bool log = s.kind == Kind::LogSoftmax;
  for (size_t start : starts) {
    double top = -std::numeric_limits<double>::infinity();
    for (size_t m : members) top = std::max(top, static_cast<double>(t.data[start + m]));
    double sum = 0;
    for (size_t m : members) sum += std::exp(t.data[start + m] - top);
    const double log_sum = std::log(sum);
    for (size_t m : members) {
      float& v = t.data[start + m];
      v = static_cast<float>(log ? v - top - log_sum : std::exp(v - top) / sum);
    }
  }
}

}  // namespace convscope
