#include "layers/conv/activation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/error.h"

namespace convscope {

namespace {

constexpr std::pair<std::string_view, Activation> kNames[] = {
    {"linear", Activation::Linear},         {"relu", Activation::Relu},
    {"relu6", Activation::Relu6},           {"leaky_relu", Activation::LeakyRelu},
    {"elu", Activation::Elu},               {"selu", Activation::Selu},
    {"gelu", Activation::Gelu},             {"sigmoid", Activation::Sigmoid},
    {"hard_sigmoid", Activation::HardSigmoid}, {"tanh", Activation::Tanh},
    {"softplus", Activation::Softplus},     {"softsign", Activation::Softsign},
    {"swish", Activation::Swish},           {"silu", Activation::Swish},
    {"exponential", Activation::Exponential},
};

}  // namespace

Activation parse_activation(const std::string& name, std::string_view who) {
  if (name.empty() || name == "None") return Activation::Linear;
  for (const auto& [n, a] : kNames)
    if (n == name) return a;
  std::string known;
  for (const auto& [n, a] : kNames) known += (known.empty() ? "" : ", ") + std::string(n);
  throw UserError(fmt::format("{}: activation: '{}' is not one convscope implements ({})", who, name, known));
}

std::string_view to_string(Activation a) {
  for (const auto& [n, act] : kNames)
    if (act == a) return n;
  return "linear";
}

double apply_activation(Activation a, double x) {
  // SELU constants from Klambauer et al. 2017, as Keras uses them.
  constexpr double selu_alpha = 1.6732632423543772848170429916717;
  constexpr double selu_scale = 1.0507009873554804934193349852946;
  switch (a) {
    case Activation::Linear: return x;
    case Activation::Relu: return std::max(x, 0.0);
    case Activation::Relu6: return std::clamp(x, 0.0, 6.0);
    case Activation::LeakyRelu: return x >= 0 ? x : 0.2 * x;  // Keras 3 default negative_slope
    case Activation::Elu: return x > 0 ? x : std::expm1(x);
    case Activation::Selu: return selu_scale * (x > 0 ? x : selu_alpha * std::expm1(x));
    case Activation::Gelu: return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));  // exact form, Keras' default
    case Activation::Sigmoid: return 1.0 / (1.0 + std::exp(-x));
    case Activation::HardSigmoid: return std::clamp(x + 3.0, 0.0, 6.0) / 6.0;  // Keras 3: relu6(x + 3) / 6
    case Activation::Tanh: return std::tanh(x);
    case Activation::Softplus: return std::log1p(std::exp(x));
    case Activation::Softsign: return x / (1.0 + std::abs(x));
    case Activation::Swish: return x / (1.0 + std::exp(-x));
    case Activation::Exponential: return std::exp(x);
  }
  return x;
}

}  // namespace convscope
