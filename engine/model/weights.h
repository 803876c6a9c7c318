#pragma once
// Giving a pipeline its weights: the files the user names, else the pipeline's own
// "<stem>.weights.npz", else Keras' initialisation, with a notice saying which.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "model/sequential.h"

namespace convscope {

// Returns notices to show the user (empty when the weights came from files).
std::vector<std::string> provide_weights(Sequential& model, const Shape& input,
                                         const std::vector<std::filesystem::path>& files,
                                         const std::optional<std::filesystem::path>& pipeline_file, uint64_t seed);

}  // namespace convscope
