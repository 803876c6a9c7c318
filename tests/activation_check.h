#pragma once
// What the activation tests share: shapes of every rank and format, inputs that reach the
// extremes of each function, and layers made from a class and a config.
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "layers/layer.h"
#include "vk/context.h"

namespace convscope::test {

// A canonical shape: rank 0 is a (batch, features) vector, the features in `channels`.
Shape activation_shape(int rank, DataFormat f, int64_t batch, int64_t channels, std::vector<int64_t> spatial = {});

// Vectors, 1D, 2D and 3D, channels_last and channels_first, odd sizes, batch 1 and more.
std::vector<Shape> awkward_shapes();

// Random values in [-4, 4), the first ones replaced by extremes (+-80, +-20, +-1e-3, 0, 88,
// the hard_sigmoid and relu6 corners): where a float32 formula overflows or cancels.
Tensor extreme_tensor(const Shape& shape, uint32_t seed);

// The layer's GPU work on `input` as it is, its format included, recorded straight into a
// sequence: a Session gives a model of rank-free layers alone channels_last input (the
// format comes from a model's first spatial layer), and these tests try both formats.
Tensor run_recorded(vk::Context& ctx, const Layer& layer, const Tensor& input);
// That against the reference, within `tolerance` as max_relative_error, validation clean.
void require_recorded_matches_reference(vk::Context& ctx, const Layer& layer, const Tensor& input,
                                        double tolerance = 1e-5);

// {"class_name": cls, "config": config + {"name": "a"}} made by the registry.
std::unique_ptr<Layer> activation_layer(const std::string& cls, nlohmann::json config);

}  // namespace convscope::test
