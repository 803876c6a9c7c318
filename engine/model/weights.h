#pragma once
// Giving a model its weights: arrays in Keras get_weights() order (the files the user names,
// else the pipeline's own "<stem>.weights.npz"), else Keras' initialisation, with a notice
// saying which. A layer shared by several nodes takes its arrays once, at its first node.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "model/model.h"

namespace convscope {

// Hands the arrays out in order: each layer takes as many as it has, for the shape its input
// will have. UserError when the count or a shape does not fit.
void assign_weights(Model& model, const Shape& input, std::vector<NdArray> weights);

// The same by count alone (each layer's weight_names()), without checking shapes: for a model
// whose layers may not all fit their input (the app shows those in place). UserError when the
// total differs, naming what each layer takes.
void hold_weights(Model& model, std::vector<NdArray> weights);

// Keras' initialisation for every layer (glorot_uniform kernels, zero biases), from `seed`.
void initialize_weights(Model& model, const Shape& input, uint64_t seed);

// Returns notices to show the user (empty when the weights came from files).
std::vector<std::string> provide_weights(Model& model, const Shape& input,
                                         const std::vector<std::filesystem::path>& files,
                                         const std::optional<std::filesystem::path>& pipeline_file, uint64_t seed);

}  // namespace convscope
