#include "io/weights_file.h"

#include "io/npy.h"
#include "io/npz.h"

namespace convscope {

std::vector<NdArray> load_weights(const std::vector<std::filesystem::path>& files) {
  std::vector<NdArray> out;
  for (const auto& f : files) {
    if (f.extension() == ".npz") {
      for (auto& a : read_weight_list(f)) out.push_back(std::move(a));
    } else {
      out.push_back(read_npy(f));
    }
  }
  return out;
}

std::optional<std::filesystem::path> weights_beside(const std::filesystem::path& pipeline) {
  std::filesystem::path p = pipeline;
  p.replace_extension(".weights.npz");
  if (std::filesystem::exists(p)) return p;
  return std::nullopt;
}

}  // namespace convscope
