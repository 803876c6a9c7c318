#include "layer_check.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "gpu.h"
#include "layers/registry.h"
#include "run/session.h"

namespace convscope::test {

Tensor random_tensor(const Shape& shape, uint32_t seed) {
  Tensor t(shape);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (float& v : t.data) v = dist(rng);
  return t;
}

NdArray random_array(const std::vector<int64_t>& shape, uint32_t seed) {
  NdArray a(shape);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (float& v : a.data) v = dist(rng);
  return a;
}

std::unique_ptr<Layer> make_layer(const nlohmann::json& spec) { return LayerRegistry::builtin().create(spec); }

Tensor run_on_gpu(const Layer& layer, const Tensor& input) { return run_on_gpu(gpu(), layer, input); }

Tensor run_on_gpu(vk::Context& ctx, const Layer& layer, const Tensor& input) {
  // The session runs a copy: the test keeps its layer for the reference.
  RunResult r = run_model(ctx, chain_of({layer.clone()}), input);
  require_validation_clean(ctx);
  return std::move(r.outputs.back());
}

double max_relative_error(const Tensor& actual, const Tensor& expected) {
  REQUIRE(actual.shape == expected.shape);
  REQUIRE(actual.data.size() == expected.data.size());
  double worst = 0;
  for (size_t i = 0; i < actual.data.size(); ++i) {
    const double e = expected.data[i];
    const double err = std::abs(static_cast<double>(actual.data[i]) - e) / (1.0 + std::abs(e));
    if (!(err <= worst)) worst = std::isnan(err) ? INFINITY : err;
  }
  return worst;
}

void require_gpu_matches_reference(const Layer& layer, const Tensor& input, double tolerance) {
  require_gpu_matches_reference(gpu(), layer, input, tolerance);
}

void require_gpu_matches_reference(vk::Context& ctx, const Layer& layer, const Tensor& input, double tolerance) {
  const Tensor expected = layer.reference(input);
  const Tensor actual = run_on_gpu(ctx, layer, input);
  const double err = max_relative_error(actual, expected);
  INFO(layer.label() << " on input " << shape_string(input.shape.keras(layer.data_format())) << ": max error " << err);
  REQUIRE(err <= tolerance);
}

Tensor run_node_on_gpu(const Layer& layer, const std::vector<Tensor>& inputs) { return run_node_on_gpu(gpu(), layer, inputs); }

Tensor run_node_on_gpu(vk::Context& ctx, const Layer& layer, const std::vector<Tensor>& inputs) {
  Model model;
  model.input_count = inputs.size();
  Node node{layer.clone(), {}};
  for (size_t k = 0; k < inputs.size(); ++k) node.inputs.push_back(Ref::input(k));
  model.nodes.push_back(std::move(node));
  Session session(ctx, std::move(model));
  for (size_t k = 0; k < inputs.size(); ++k) session.set_input(inputs[k], k);
  session.require_fit();
  session.run();
  require_validation_clean(ctx);
  return session.output(0);
}

void require_node_gpu_matches_reference(const Layer& layer, const std::vector<Tensor>& inputs, double tolerance) {
  require_node_gpu_matches_reference(gpu(), layer, inputs, tolerance);
}

void require_node_gpu_matches_reference(vk::Context& ctx, const Layer& layer, const std::vector<Tensor>& inputs,
                                        double tolerance) {
  std::vector<const Tensor*> in;
  for (const Tensor& t : inputs) in.push_back(&t);
  const Tensor expected = layer.node_reference(in);
  const double err = max_relative_error(run_node_on_gpu(ctx, layer, inputs), expected);
  INFO(layer.label() << " on " << inputs.size() << " inputs, the first " << shape_string(inputs[0].shape.keras())
                     << ": max error " << err);
  REQUIRE(err <= tolerance);
}

}  // namespace convscope::test
