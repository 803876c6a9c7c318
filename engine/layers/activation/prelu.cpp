#include "layers/activation/prelu.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>

#include "core/error.h"
#include "core/keras_axes.h"
#include "embedded_shaders.h"
#include "layers/config_reader.h"
#include "prelu_params.h"
#include "vk/device_tensor.h"

namespace convscope {

static_assert(sizeof(gpu::PreluParams) == shaders::prelu_push_bytes, "prelu_params.h and the SPIR-V disagree");

namespace {

// Keras' own default, as Keras 3's get_config writes it.
const nlohmann::json kZeros = {{"module", "keras.initializers"}, {"class_name", "Zeros"}, {"config", nlohmann::json::object()},
                               {"registered_name", nullptr}};

// The constant an initializer fills alpha with: Zeros ("zeros", "zero" in Keras 1, the
// class dict), Ones, Constant(value). 0 for anything else.
double constant_of(const nlohmann::json& init) {
  const std::string name = init.is_string()                                            ? init.get<std::string>()
                           : init.is_object() && init.contains("class_name") && init["class_name"].is_string()
                               ? init["class_name"].get<std::string>()
                               : "";
  if (name == "ones" || name == "Ones" || name == "one") return 1;
  if (name == "Constant" || name == "constant") {
    const nlohmann::json& c = init.contains("config") ? init["config"] : nlohmann::json();
    if (c.is_object() && c.contains("value") && c["value"].is_number()) return c["value"].get<double>();
  }
  return 0;
}

}  // namespace

PReLULayer::PReLULayer(const ConfigReader& cfg) : Layer(cfg.name(), cfg.label(), 0, DataFormat::ChannelsLast) {
  const nlohmann::json& shared = cfg.get("shared_axes");
  if (shared.is_array()) {
    shared_axes_.emplace();
    for (const nlohmann::json& a : shared) shared_axes_->push_back(cfg.integer("shared_axes", a));
  } else if (!shared.is_null()) {
    shared_axes_ = std::vector<int64_t>{cfg.integer("shared_axes", shared)};  // Keras takes one int as [int]
  }
  alpha_initializer_ = cfg.get("alpha_initializer").is_null() ? kZeros : cfg.get("alpha_initializer");
  alpha_regularizer_ = cfg.get("alpha_regularizer");
  alpha_constraint_ = cfg.get("alpha_constraint");
  initial_alpha_ = constant_of(alpha_initializer_);
}

std::vector<int64_t> PReLULayer::alpha_shape(const Shape& input) const {
  std::vector<int64_t> shape = input.keras();
  shape.erase(shape.begin());
  if (!shared_axes_) return shape;
  const int rank = input.keras_rank();
  for (int64_t a : *shared_axes_) {
    // Keras sets param_shape[a - 1] = 1: axes count from the batch, which cannot be shared.
    if (a < 1 || a >= rank)
      throw UserError(fmt::format("{}: shared_axes: {} is not an axis of the input {} beside the batch: 1 to {}",
                                  label(), a, shape_string(input.keras()), rank - 1));
    shape[static_cast<size_t>(a - 1)] = 1;
  }
  return shape;
}

Shape PReLULayer::output_shape(const Shape& input) const {
  alpha_shape(input);
  return checked_output(input);
}

std::vector<std::vector<int64_t>> PReLULayer::weight_shapes(const Shape& input) const { return {alpha_shape(input)}; }

std::vector<NdArray> PReLULayer::initial_weights(const Shape& input, uint64_t) const {
  NdArray alpha(alpha_shape(input));
  std::fill(alpha.data.begin(), alpha.data.end(), static_cast<float>(initial_alpha_));
  return {alpha};
}

Tensor PReLULayer::reference(const Tensor& input) const {
  require_weights_fit(input.shape);
  const NdArray& alpha = weights()[0];
  // In Keras order, as Keras broadcasts: alpha[i1, ..., ik] with index 0 along its unit axes.
  const DataFormat f = input.shape.format;
  NdArray x = to_keras(input, f);
  const size_t rank = x.shape.size();
  std::vector<int64_t> index(rank, 0);
  for (size_t flat = 0; flat < x.data.size(); ++flat) {
    size_t a = 0;
    for (size_t k = 1; k < rank; ++k) a = a * static_cast<size_t>(alpha.shape[k - 1]) + (alpha.shape[k - 1] == 1 ? 0 : index[k]);
    const double v = x.data[flat];
    x.data[flat] = static_cast<float>(v > 0 ? v : static_cast<double>(alpha.data[a]) * v);
    for (size_t k = rank; k-- > 0;) {  // the next Keras index, last axis fastest
      if (++index[k] < x.shape[k]) break;
      index[k] = 0;
    }
  }
  return from_keras(x, input.shape.spatial_rank, f, label());
}

void PReLULayer::record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const {
  require_weights_fit(input.shape);
  const Shape& s = input.shape;
  if (s.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max()))
    throw UserError(fmt::format("{}: {} elements are too many for one dispatch", label(), s.size()));
  const std::vector<int64_t>& alpha = weights()[0].shape;
  // alpha's row-major strides in Keras order, 0 along its unit axes, moved to canonical axes.
  CanonicalDims canonical_stride{};
  const std::vector<int> order = keras_order(s);
  int64_t step = 1;
  for (size_t k = alpha.size(); k-- > 0;) {
    canonical_stride[static_cast<size_t>(order[k + 1])] = alpha[k] == 1 ? 0 : step;
    step *= alpha[k];
  }
  auto i32 = [](int64_t v) { return static_cast<int32_t>(v); };
  gpu::PreluParams p{};
  p.size = {i32(s.w), i32(s.h), i32(s.d), i32(s.c)};
  p.alpha_stride = {i32(canonical_stride[4]), i32(canonical_stride[3]), i32(canonical_stride[2]), i32(canonical_stride[1])};
  p.elements = static_cast<uint32_t>(s.size());
  const vk::Buffer& alpha_buffer = seq.constant(weights()[0].data);
  const vk::ShaderCode& shader = tensor_shader(seq.context(), shaders::prelu, shaders::prelu_fp16);
  seq.dispatch_elements(seq.context().pipeline(shader, vk::workgroup_width(64)),
                        {&input.buffer, &alpha_buffer, &output.buffer}, p, s.size(), label());
}

nlohmann::json PReLULayer::keras_config() const {
  nlohmann::json c = base_config(false);
  c["alpha_initializer"] = alpha_initializer_;
  c["alpha_regularizer"] = alpha_regularizer_;
  c["alpha_constraint"] = alpha_constraint_;
  c["shared_axes"] = shared_axes_ ? nlohmann::json(*shared_axes_) : nlohmann::json();
  return c;
}

Layer::Region PReLULayer::source_region(const Shape&, const Region& output) const { return output; }

}  // namespace convscope
