// `convscope run MODEL --image IMG|DIR --out DIR [--weights W...]`: a Keras model (or pipeline)
// on images, writing per layer a PNG mosaic with its legend and the activations as .npy, and an
// offline index.html. A folder of images gets one subfolder each and a progress bar.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "app/cli/commands.h"
#include "app/cli/run_images.h"
#include "core/error.h"

namespace convscope::app {

namespace {

struct RunArgs {
  RunImagesRequest request;
  std::string scaling = "0,1", colormap = "auto";
};

}  // namespace

void add_run_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "Run a Keras model on images; write feature maps, activations and index.html");
  cmd->add_option("model", args->request.model, "Keras model JSON or convscope pipeline")->required();
  cmd->add_option("--image", args->request.image, "An image, or a folder of images")->required();
  cmd->add_option("--out", args->request.out, "Output folder")->required();
  cmd->add_option("--weights", args->request.weights,
                  "Weights in get_weights() order: .npy files or one .npz (default: the pipeline's own "
                  "<name>.weights.npz, else Keras' initialisation)");
  cmd->add_option("--scaling", args->scaling, "Input scaling: 0,1 / -1,1 / meanstd")->capture_default_str();
  cmd->add_option("--colormap", args->colormap, "auto, gray, viridis, magma or diverging")->capture_default_str();
  cmd->add_option("--seed", args->request.seed, "Seed of the initialisation when there are no weights")->capture_default_str();
  cmd->callback([&global, &action, args] {
    action = [&global, args] {
      RunImagesRequest r = args->request;
      r.options.prep.scaling = parse_scaling(args->scaling);
      if (args->colormap != "auto") r.options.colormap = parse_colormap(args->colormap);
      return run_images(global, r);
    };
  });
}

}  // namespace convscope::app
