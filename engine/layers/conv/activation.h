#pragma once
// Keras activations applied after a convolution. The numbering is shared with the shaders
// (shaders/activation.glsl), which switch on it.
#include <string>
#include <string_view>

namespace convscope {

enum class Activation : int {
  Linear = 0, Relu, Relu6, LeakyRelu, Elu, Selu, Gelu, Sigmoid, HardSigmoid, Tanh, Softplus, Softsign, Swish,
  Exponential,
};

// Keras names ("relu", "silu", "swish", None...). Throws UserError listing the accepted names,
// prefixed by `who`.
Activation parse_activation(const std::string& name, std::string_view who);
std::string_view to_string(Activation a);

// Keras 3 definitions, in double: the CPU reference.
double apply_activation(Activation a, double x);

}  // namespace convscope
