#pragma once
// The one helper every layer test goes through: run a layer on the GPU and on its CPU
// reference and compare, with the validation layer checked after the GPU work.
#include <nlohmann/json.hpp>

#include <memory>

#include "core/tensor.h"
#include "layers/layer.h"
#include "vk/context.h"

namespace convscope::test {

// Uniform values in [-1, 1) from a fixed seed: reproducible failures.
Tensor random_tensor(const Shape& shape, uint32_t seed);
NdArray random_array(const std::vector<int64_t>& shape, uint32_t seed);

std::unique_ptr<Layer> make_layer(const nlohmann::json& spec);

// Runs `layer` on the GPU (the shared test context unless one is given), returns its output.
Tensor run_on_gpu(const Layer& layer, const Tensor& input);
Tensor run_on_gpu(vk::Context& ctx, const Layer& layer, const Tensor& input);

// Largest |a - b| / (1 + |b|) over all elements; shapes must match.
double max_relative_error(const Tensor& actual, const Tensor& expected);

// GPU output vs CPU reference within `tolerance` (relative, as max_relative_error).
void require_gpu_matches_reference(const Layer& layer, const Tensor& input, double tolerance = 1e-5);
void require_gpu_matches_reference(vk::Context& ctx, const Layer& layer, const Tensor& input, double tolerance = 1e-5);

// A layer that reads several tensors (a merge) through its node_* forms: one model input per
// tensor, run by a session on the shared test context.
Tensor run_node_on_gpu(const Layer& layer, const std::vector<Tensor>& inputs);
Tensor run_node_on_gpu(vk::Context& ctx, const Layer& layer, const std::vector<Tensor>& inputs);
void require_node_gpu_matches_reference(const Layer& layer, const std::vector<Tensor>& inputs, double tolerance = 1e-5);
void require_node_gpu_matches_reference(vk::Context& ctx, const Layer& layer, const std::vector<Tensor>& inputs,
                                        double tolerance = 1e-5);

}  // namespace convscope::test
