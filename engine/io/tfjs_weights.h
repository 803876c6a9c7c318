#pragma once
// The weights of a TensorFlow.js layers model: model.json's weightsManifest, a list of groups,
// each naming its shard files (`paths`, beside model.json) and its weights (`name`, `shape`,
// `dtype`, optional `quantization`). A group's shards concatenated in order hold its weights
// back to back. Dequantized as tfjs-core's io does: {dtype: uint8|uint16, scale, min} stores
// q with value q * scale + min; {dtype: float16} stores IEEE halves; float32 and int32 are
// stored as themselves (int32 converted to float).
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "core/ndarray.h"

namespace convscope {

struct NamedArray {
  std::string name;  // as the manifest names it: "conv2d_Conv2D1/kernel"
  NdArray array;
};

// Every weight of `manifest` in manifest order, its shards read from `folder`. UserError naming
// the model file, the weight and the reason for a malformed manifest, a shard missing, short or
// too long, a path leaving the folder, or a dtype tfjs does not write.
std::vector<NamedArray> read_tfjs_weights(const nlohmann::json& manifest, const std::filesystem::path& folder,
                                          const std::string& model_file);

}  // namespace convscope
