#pragma once
// Keras activations: what a layer's `activation` argument names (Conv*, Dense) and what the
// activation layers compute (activation_layers.h). One ActivationSpec says which function
// and with which parameters; the CPU reference is here, the GPU pass in activation_pass.h.
//
// For a layer with an `activation` argument (a Dense layer, say):
//   parse:      spec_ = parse_activation(cfg.get("activation"), cfg.label());
//   shape rule: check_activation_fits(spec_, output_shape, label());  // softmax axes exist
//   reference:  apply_activation(spec_, out);  // out.shape.format set: softmax reads Keras axes
//   record:     record_activation(seq, output.buffer, output.shape, spec_, label());
//   config:     c["activation"] = activation_config(spec_);
// Keras applies a fused softmax over the output's last Keras axis (axis=-1): the channels
// of a channels_last tensor, W of a channels_first one, the features of a vector.
#include <nlohmann/json_fwd.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "activation_kinds.h"
#include "core/tensor.h"

namespace convscope {

// Numbered as shaders/activation_kinds.h, which the elementwise shader switches on.
enum class ActivationKind : int {
  Linear = ACT_LINEAR,
  Relu = ACT_RELU,
  Relu6 = ACT_RELU6,
  LeakyRelu = ACT_LEAKY_RELU,
  Elu = ACT_ELU,
  Selu = ACT_SELU,
  Gelu = ACT_GELU,  // approximate selects the tanh form, ACT_GELU_TANH on the GPU
  Sigmoid = ACT_SIGMOID,
  HardSigmoid = ACT_HARD_SIGMOID,              // Keras 3
  HardSigmoidKeras2 = ACT_HARD_SIGMOID_KERAS2,  // Keras 1, 2, tf.keras, TensorFlow.js
  HardSilu = ACT_HARD_SILU,
  Tanh = ACT_TANH,
  Softplus = ACT_SOFTPLUS,
  Softsign = ACT_SOFTSIGN,
  Silu = ACT_SILU,
  Mish = ACT_MISH,
  Exponential = ACT_EXPONENTIAL,
  Softmax = ACT_SOFTMAX,
  LogSoftmax = ACT_LOG_SOFTMAX,
};

struct ActivationSpec {
  ActivationKind kind = ActivationKind::Linear;
  // Relu: Keras' relu(x, negative_slope, max_value, threshold), what the ReLU and
  // ThresholdedReLU layers compute. LeakyRelu: x if x > 0 else negative_slope * x.
  double negative_slope = 0;
  std::optional<double> max_value;  // Relu: none = unbounded
  double threshold = 0;             // Relu: x <= threshold is "negative", x == threshold gives 0
  double alpha = 1;                 // Elu: alpha * (exp(x) - 1) below 0
  bool approximate = false;         // Gelu: 0.5x(1 + tanh(sqrt(2/pi)(x + 0.044715x^3))) instead of erf
  // Softmax, LogSoftmax: the Keras axes reduced over (batch = 0, negative from the end),
  // nullopt for every axis, the batch included (Keras 3's axis=None).
  std::optional<std::vector<int64_t>> axes = std::vector<int64_t>{-1};

  // Every kind but Softmax and LogSoftmax maps each element on its own.
  bool elementwise() const { return kind != ActivationKind::Softmax && kind != ActivationKind::LogSoftmax; }
  bool operator==(const ActivationSpec&) const = default;
};

// A Keras `activation` config value: a name ("relu", "swish", ...), null or "linear" (none),
// or a serialized function {"module": "keras.activations", "class_name": "function",
// "config": "relu", "registered_name": "relu"} (Keras 3, and Keras 2.13's .keras format).
// "hard_sigmoid" is Keras 2's or Keras 3's by keras_generation() (layers/keras_generation.h),
// read now: the spec keeps it. TensorFlow.js' "gelu_new" is gelu with approximate. UserError
// "<who>: activation: 'mishy' is not ... (accepted: ...)" for anything else.
ActivationSpec parse_activation(const nlohmann::json& value, std::string_view who);

// What Keras 3 writes for a spec parse_activation gives: its name ("relu"), or, for the two
// functions Keras 3 has no name for (Keras 2's hard_sigmoid, approximate gelu), the form
// Keras 3 writes for a function registered under the package "convscope":
// {"module": "convscope", "class_name": "function", "config": "convscope>hard_sigmoid_keras2",
//  "registered_name": "convscope>hard_sigmoid_keras2"}. parse_activation reads both back as
// they were; Keras 3 loads the second only with such a function registered, rather than
// computing a different one. Error ("internal") for a Relu with parameters, which no name gives.
nlohmann::json activation_config(const ActivationSpec& spec);

// The name a spec is shown by ("relu", "hard_sigmoid_keras2", "gelu_approximate", "softmax").
std::string activation_name(const ActivationSpec& spec);

// Every name parse_activation accepts as a string, Keras 3's first: what the app offers.
const std::vector<std::string>& activation_names();

// The reference, in double, of an elementwise spec: Keras 3's definitions (Keras 2's for
// HardSigmoidKeras2). exponential overflows to inf past x = 88.72 once stored as float32, as
// it does in Keras. Error ("internal") for softmax, which is not elementwise.
double apply_activation(const ActivationSpec& spec, double x);

// The reference on a whole tensor, in place: elementwise, or softmax / log_softmax over the
// spec's axes read in t.shape.format (max subtracted first, sums in double).
void apply_activation(const ActivationSpec& spec, Tensor& t);

// The canonical axes (N, C, D, H, W) a softmax spec reduces over for a tensor of `shape`:
// UserError "<who>: axis: 5 is outside the input's 4 axes (batch, rows, cols, channels)" for an
// axis the tensor lacks or one given twice. All false for elementwise specs.
std::array<bool, 5> reduced_axes(const ActivationSpec& spec, const Shape& shape, std::string_view who);

// UserError (as reduced_axes) unless the spec applies to a tensor of `shape`: for shape rules.
inline void check_activation_fits(const ActivationSpec& spec, const Shape& shape, std::string_view who) {
  (void)reduced_axes(spec, shape, who);
}

}  // namespace convscope
