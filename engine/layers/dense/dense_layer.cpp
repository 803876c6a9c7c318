#include "layers/dense/dense_layer.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/keras_axes.h"
#include "dense_params.h"
#include "embedded_shaders.h"
#include "layers/config_reader.h"
#include "layers/activation/activation_pass.h"
#include "layers/registry.h"
#include "vk/device_tensor.h"

namespace convscope {

namespace {

// The tensor as (outer, features, inner) around its last Keras axis.
struct AxisSplit {
  int64_t outer = 1, features = 1, inner = 1;
};

AxisSplit split_last_axis(const Shape& s) {
  const int axis = *canonical_axis(s, -1);
  const CanonicalDims dims = canonical_dims(s);
  AxisSplit out;
  for (int a = 0; a < kCanonicalAxes; ++a) (a < axis ? out.outer : a > axis ? out.inner : out.features) *= dims[a];
  return out;
}

}  // namespace

DenseLayer::DenseLayer(const ConfigReader& cfg)
    : Layer(cfg.name(), cfg.label(), 0, DataFormat::ChannelsLast),
      units_(read_positive(cfg, "units", -1)),
      use_bias_(read_bool(cfg, "use_bias", true)) {
  if (units_ < 0) cfg.fail("units", "is required: the number of outputs");
  activation_ = parse_activation(cfg.get("activation"), cfg.label());
}

int64_t DenseLayer::features(const Shape& input) const { return split_last_axis(input).features; }

Shape DenseLayer::output_shape(const Shape& input) const {
  const int axis = *canonical_axis(input, -1);
  CanonicalDims dims = canonical_dims(input);
  dims[axis] = units_;
  const Shape out = checked_output(with_dims(input, dims));
  check_activation_fits(activation_, out, label());
  return out;
}

std::vector<std::string> DenseLayer::weight_names() const {
  if (use_bias_) return {"kernel", "bias"};
  return {"kernel"};
}

std::vector<std::vector<int64_t>> DenseLayer::weight_shapes(const Shape& input) const {
  std::vector<std::vector<int64_t>> shapes{{features(input), units_}};
  if (use_bias_) shapes.push_back({units_});
  return shapes;
}

Tensor DenseLayer::reference(const Tensor& input) const {
  require_weights_fit(input.shape);
  const AxisSplit s = split_last_axis(input.shape);
  const std::vector<float>& kernel = weights()[0].data;
  Tensor out(output_shape(input.shape));
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t u = 0; u < units_; ++u)
      for (int64_t i = 0; i < s.inner; ++i) {
        double acc = use_bias_ ? weights()[1].data[static_cast<size_t>(u)] : 0.0;
        for (int64_t k = 0; k < s.features; ++k)
          acc += static_cast<double>(input.data[static_cast<size_t>((o * s.features + k) * s.inner + i)]) *
                 kernel[static_cast<size_t>(k * units_ + u)];
        out.data[static_cast<size_t>((o * units_ + u) * s.inner + i)] = static_cast<float>(acc);
      }
  apply_activation(activation_, out);
  return out;
}

void DenseLayer::record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const {
  require_weights_fit(input.shape);
  const AxisSplit s = split_last_axis(input.shape);
  gpu::DenseParams p{};
  p.outer = static_cast<uint32_t>(s.outer);
  p.features = static_cast<uint32_t>(s.features);
  p.inner = static_cast<uint32_t>(s.inner);
  p.units = static_cast<uint32_t>(units_);
  p.has_bias = use_bias_ ? 1 : 0;
  const float zero = 0.0f;
  const vk::Buffer& kernel = seq.constant(weights()[0].data);
  const vk::Buffer& bias = use_bias_ ? seq.constant(weights()[1].data) : seq.constant({&zero, 1});
  const auto& pipeline =
      seq.context().pipeline(tensor_shader(seq.context(), shaders::dense, shaders::dense_fp16), vk::workgroup_width(64));
  const int64_t elements = static_cast<int64_t>(output.shape.size());
  seq.dispatch_elements(pipeline, {&input.buffer, &kernel, &bias, &output.buffer}, p, static_cast<uint64_t>(elements),
                        label());
  record_activation(seq, output.buffer, output.shape, activation_, label());
}

nlohmann::json DenseLayer::keras_config() const {
  nlohmann::json c = base_config(false);
  c["units"] = units_;
  c["activation"] = activation_config(activation_);
  c["use_bias"] = use_bias_;
  return c;
}

double DenseLayer::flops(const Shape& input) const {
  return 2.0 * static_cast<double>(input.size()) * static_cast<double>(units_);  // a multiply-add per input and unit
}

void register_dense_layers(LayerRegistry& registry) {
  LayerDescriptor d;
  d.class_name = "Dense";
  d.keras1_renames = {{"output_dim", "units"}};
  // Keras 3 merges LoRA into the kernel when it saves, so its ranks change nothing here.
  d.arguments = {"units", "activation", "use_bias", "lora_rank", "lora_alpha"};
  d.example = {{"units", 4}};
  d.family = "dense";
  d.make = [](const ConfigReader& cfg) { return std::make_unique<DenseLayer>(cfg); };
  registry.add(std::move(d));
}

}  // namespace convscope
