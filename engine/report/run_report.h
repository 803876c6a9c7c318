#pragma once
// `convscope run` for one image: the model on the GPU, then a folder a person can open:
// the input as the model saw it, one PNG mosaic (with its colour legend) and one .npy of
// activations per layer, and an offline index.html tying them together.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "io/image_prep.h"
#include "model/model.h"
#include "model/summary.h"
#include "viz/colormap.h"
#include "vk/context.h"

namespace convscope {

struct ImageRunOptions {
  ImagePrep prep;                     // channels and size follow the model's input when it fixes them
  std::optional<Colormap> colormap;   // nullopt: diverging for signed maps, viridis otherwise
};

// What the model's input shape asks of an image: channels and, when fixed, height and width.
ImagePrep prep_for(const Model& model, ImagePrep prep, int64_t file_channels);

struct ImageRunResult {
  std::filesystem::path index;
  std::vector<std::filesystem::path> files;  // every PNG and .npy written
  std::vector<std::string> notices;
  std::vector<double> layer_ms;               // GPU time per node
};

// `model` must have its weights. Writes into `out_dir` (created if needed).
ImageRunResult run_image(vk::Context& ctx, const Model& model, const NdArray& loaded_image,
                         const std::string& image_name, const std::filesystem::path& out_dir,
                         const ImageRunOptions& options, const std::vector<std::string>& extra_notices = {});

// Prepares `loaded_image` for `model` and gives the model its weights for that input
// (files, the pipeline's own .npz, or Keras' initialisation); returns the notices.
std::vector<std::string> weights_for_image(Model& model, const NdArray& loaded_image, const ImagePrep& prep,
                                           const std::vector<std::filesystem::path>& weight_files,
                                           const std::optional<std::filesystem::path>& pipeline_file, uint64_t seed);

}  // namespace convscope
