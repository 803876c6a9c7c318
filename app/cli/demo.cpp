// `convscope demo`: the headless main job. `run` with the bundled sample image and the
// bundled default pipeline (and its weights), writing into ./convscope-demo unless told.
#include <fmt/format.h>

#include "app/assets.h"
#include "app/cli/commands.h"
#include "app/cli/run_images.h"
#include "core/error.h"

namespace convscope::app {

namespace {

struct DemoArgs {
  std::string image, pipeline, out = "convscope-demo", colormap = "auto";
};

int run_demo(const GlobalOptions& global, const DemoArgs& args) {
  RunImagesRequest r;
  r.model = args.pipeline.empty() ? asset_path("pipelines/default.json").string() : args.pipeline;
  r.image = args.image.empty() ? asset_path("images/default.png").string() : args.image;
  r.out = args.out;
  if (args.colormap != "auto") r.options.colormap = parse_colormap(args.colormap);
  const int rc = run_images(global, r);
  if (rc == 0) fmt::print("open {}/index.html to see every layer's feature maps\n", args.out);
  return rc;
}

}  // namespace

void add_demo_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto args = std::make_shared<DemoArgs>();
  auto* cmd = app.add_subcommand("demo", "Run an image through a pipeline and write feature-map PNGs (headless)");
  cmd->add_option("--image", args->image, "Image file (default: the bundled sample)");
  cmd->add_option("--pipeline", args->pipeline, "Pipeline JSON (default: assets/pipelines/default.json)");
  cmd->add_option("--out", args->out, "Folder for the PNGs")->capture_default_str();
  cmd->add_option("--colormap", args->colormap, "auto, gray, viridis, magma or diverging")->capture_default_str();
  cmd->callback([&global, &action, args] { action = [&global, args] { return run_demo(global, *args); }; });
}

}  // namespace convscope::app
