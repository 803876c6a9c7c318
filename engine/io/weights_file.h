#pragma once
// Weights as users have them: the arrays of model.get_weights() as separate .npy files, or
// one .npz made by np.savez(path, *model.get_weights()).
#include <filesystem>
#include <optional>
#include <vector>

#include "core/ndarray.h"

namespace convscope {

// The arrays of every file in order: a .npy is one array, a .npz its arr_0, arr_1, ...
std::vector<NdArray> load_weights(const std::vector<std::filesystem::path>& files);

// A pipeline's own weights: "<stem>.weights.npz" beside "<stem>.json", if it exists.
std::optional<std::filesystem::path> weights_beside(const std::filesystem::path& pipeline);

}  // namespace convscope
