#include "layers/layer.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <random>

#include "core/error.h"

namespace convscope {

std::vector<std::vector<int64_t>> Layer::weight_shapes(const Shape&) const { return {}; }

std::vector<WeightSpec> Layer::weight_specs(const Shape& input) const {
  const auto names = weight_names();
  const auto shapes = weight_shapes(input);
  if (names.size() != shapes.size())
    throw Error(fmt::format("internal: {} names {} weight arrays and shapes {}", label(), names.size(), shapes.size()));
  std::vector<WeightSpec> specs;
  for (size_t i = 0; i < names.size(); ++i) specs.push_back({names[i], shapes[i]});
  return specs;
}

namespace {

// One-input layers take their graph calls here: exactly one tensor.
template <typename T>
const T& only_input(std::span<const T> inputs, const std::string& label) {
  if (inputs.size() != 1)
    throw UserError(fmt::format("{}: reads one tensor; the model gives it {}", label, inputs.size()));
  return inputs.front();
}

}  // namespace

Shape Layer::node_output_shape(std::span<const Shape> inputs) const {
  return output_shape(only_input(inputs, label_));
}

Tensor Layer::node_reference(std::span<const Tensor* const> inputs) const {
  return reference(*only_input(inputs, label_));
}

void Layer::node_record(vk::Sequence& seq, std::span<const DeviceTensor* const> inputs,
                        const DeviceTensor& output) const {
  record(seq, *only_input(inputs, label_), output);
}

std::optional<DotProduct> Layer::dot_product(const Shape&, const InputReader&, int64_t, int64_t, int64_t,
                                             int64_t) const {
  return std::nullopt;
}

std::optional<PoolReadout> Layer::pool_readout(const Shape&, const InputReader&, int64_t, int64_t, int64_t,
                                               int64_t) const {
  return std::nullopt;
}

Layer::Region Layer::source_region(const Shape& input, const Region&) const {
  Region r{};
  for (int a = 0; a < input.spatial_rank; ++a) r[a] = {0, input.spatial(a) - 1};
  return r;
}

Layer::Region Layer::node_source_region(std::span<const Shape> inputs, size_t k, const Region& output) const {
  if (inputs.size() == 1) return source_region(inputs[0], output);
  return Layer::source_region(inputs[k], output);
}

void Layer::require_rank(const Shape& input) const {
  if (input.spatial_rank == spatial_rank_) return;
  if (input.spatial_rank == 0)
    throw UserError(fmt::format("{}: input is a vector {} (batch, features), the layer is {}D", label_,
                                shape_string(input.keras()), spatial_rank_));
  throw UserError(fmt::format("{}: input is {}D, the layer is {}D", label_, input.spatial_rank, spatial_rank_));
}

Shape Layer::checked_output(const Shape& output) const {
  Shape out = output;
  // A spatial layer writes its tensors in its own data_format; the others keep their input's.
  if (spatial_rank_ > 0) out.format = data_format_;
  check_shape_limits(out, out.format, label_, "the output shape");
  return out;
}

nlohmann::json Layer::base_config(bool with_format) const {
  nlohmann::json c = {{"name", name_}, {"trainable", trainable_}, {"dtype", "float32"}};
  if (with_format) c["data_format"] = to_string(data_format_);
  return c;
}

std::vector<NdArray> Layer::initial_weights(const Shape& input, uint64_t seed) const {
  std::mt19937_64 rng(seed);
  std::vector<NdArray> out;
  for (const auto& shape : weight_shapes(input)) {
    // Counted in double: four 32-bit axes overflow any integer. Past 2^31 - 1 elements no
    // shader could index the array, and making it would exhaust the host first.
    double elements = 1;
    for (int64_t d : shape) elements *= static_cast<double>(d);
    if (elements > 2147483647.0)
      throw UserError(fmt::format("{}: weights: an array of shape {} would hold {:.3g} elements; the GPU kernels index "
                                  "at most 2147483647",
                                  label(), shape_string(shape), elements));
    NdArray a(shape);
    if (shape.size() >= 2) {
      // Keras' fans: the last two axes are (inputs, outputs), the rest the receptive field.
      double field = 1;
      for (size_t i = 0; i + 2 < shape.size(); ++i) field *= static_cast<double>(shape[i]);
      const double fan_in = field * static_cast<double>(shape[shape.size() - 2]);
      const double fan_out = field * static_cast<double>(shape.back());
      std::uniform_real_distribution<double> dist(-1.0, 1.0);
      const double limit = std::sqrt(6.0 / (fan_in + fan_out));
      for (float& v : a.data) v = static_cast<float>(limit * dist(rng));
    }
    out.push_back(std::move(a));  // rank 1: biases start at zero
  }
  return out;
}

void Layer::set_weights(const Shape& input, std::vector<NdArray> weights) {
  check_weights(input, weights);
  weights_ = std::move(weights);
}

bool Layer::weights_fit(const Shape& input) const {
  const auto expected = weight_shapes(input);
  if (expected.size() != weights_.size()) return false;
  for (size_t i = 0; i < expected.size(); ++i)
    if (weights_[i].shape != expected[i]) return false;
  return true;
}

void Layer::require_weights_fit(const Shape& input) const {
  if (weights_.empty() && !weight_shapes(input).empty())
    throw UserError(fmt::format("{}: weights: none given", label()));
  check_weights(input, weights_);
}

void Layer::check_weights(const Shape& input, const std::vector<NdArray>& weights) const {
  const auto expected = weight_shapes(input);
  auto list = [](const auto& shapes, auto shape_of) {
    std::string s;
    for (const auto& w : shapes) s += (s.empty() ? "" : ", ") + shape_string(shape_of(w));
    return "[" + s + "]";
  };
  auto same = [](const std::vector<int64_t>& s) { return s; };
  auto of_array = [](const NdArray& a) { return a.shape; };
  if (expected.empty() && !weights.empty())
    throw UserError(fmt::format("{}: weights: the layer takes no weights, {} array{} given", label(), weights.size(),
                                weights.size() == 1 ? " was" : "s were"));
  if (weights.size() != expected.size())
    throw UserError(fmt::format("{}: weights: expected {} array{} {}, got {} {}", label(), expected.size(),
                                expected.size() == 1 ? "" : "s", list(expected, same), weights.size(),
                                list(weights, of_array)));
  for (size_t i = 0; i < weights.size(); ++i)
    if (weights[i].shape != expected[i])
      throw UserError(fmt::format("{}: weights: array {} has shape {}, expected {} (Keras get_weights() layout)",
                                  label(), i, shape_string(weights[i].shape), shape_string(expected[i])));
}

}  // namespace convscope
