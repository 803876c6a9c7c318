// libFuzzer target for the TensorFlow.js weights reader (engine/io/tfjs_weights.h): any
// model.json text either gives weights or is refused with a one-line UserError, never reads
// a path out of its folder, and every array it gives holds as many values as its shape says.
// The shards it may name are fixed files in a folder made once: a 64-byte one tfjs would call
// group1-shard1of1.bin and a 3-byte one.
// Run by scripts/test-fuzz.sh; the seeds are in corpus/tfjs_manifest/.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <typeinfo>

#include <unistd.h>

#include "core/error.h"
#include "fuzz_checks.h"
#include "io/tfjs_weights.h"

namespace {

namespace fs = std::filesystem;

// The folder of the shards, made on the first call.
const fs::path& shard_folder() {
  static const fs::path folder = [] {
    const fs::path root = fs::temp_directory_path() / ("convscope-fuzz-tfjs-" + std::to_string(::getpid()));
    fs::create_directories(root / "model");
    std::ofstream(root / "model" / "group1-shard1of1.bin", std::ios::binary) << std::string(64, '\x3f');
    std::ofstream(root / "model" / "short.bin", std::ios::binary) << "abc";
    return root / "model";
  }();
  return folder;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using convscope::fuzz::finding;
  try {
    const nlohmann::json doc = nlohmann::json::parse(data, data + size, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("weightsManifest")) return 0;
    std::vector<convscope::NamedArray> weights;
    try {
      weights = convscope::read_tfjs_weights(doc["weightsManifest"], shard_folder(), "model.json");
    } catch (const convscope::UserError& e) {
      convscope::fuzz::require_one_line(e.what());
      return 0;
    }
    for (const auto& w : weights)
      if (w.array.data.size() != convscope::NdArray::element_count(w.array.shape))
        finding("a weight's values and shape disagree", w.name);
  } catch (const std::exception& e) {
    finding(typeid(e).name(), e.what());
  }
  return 0;
}
