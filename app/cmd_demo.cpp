// `convscope demo`: the headless main job. Runs an image (the bundled sample by default)
// through a pipeline (the bundled default) and writes one feature-map mosaic per layer.
#include <fmt/format.h>

#include <filesystem>

#include "app/assets.h"
#include "app/commands.h"
#include "core/error.h"
#include "io/image.h"
#include "io/json_file.h"
#include "model/sequential.h"
#include "run/runner.h"
#include "viz/mosaic.h"

namespace convscope::app {

namespace {

struct DemoArgs {
  std::string image, pipeline, out = "convscope-demo", colormap = "viridis";
};

std::string file_stem(const std::string& name) {
  std::string s;
  for (char c : name) s += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
  return s;
}

int run_demo(const GlobalOptions& global, const DemoArgs& args) {
  namespace fs = std::filesystem;
  const fs::path image_path = args.image.empty() ? asset_path("images/default.png") : fs::path(args.image);
  const fs::path pipeline_path = args.pipeline.empty() ? asset_path("pipelines/default.json") : fs::path(args.pipeline);
  const Colormap cmap = parse_colormap(args.colormap);
  Sequential model = parse_pipeline(read_json(pipeline_path));
  const Tensor input = from_keras(load_image(image_path), 2, DataFormat::ChannelsLast, image_path.string());
  for (const auto& layer : model.layers)
    if (layer->spatial_rank() != 2)
      throw UserError(fmt::format("{}: {} is a {}D layer; the demo feeds 2D images", pipeline_path.string(),
                                  layer->label(), layer->spatial_rank()));
  assign_weights(model, input.shape, {});
  const auto shapes = infer_shapes(model.chain(), input.shape);

  vk::Context ctx(global.context_options());
  const RunResult result = run_layers(ctx, model.chain(), input, true);

  fs::create_directories(args.out);
  const fs::path input_png = fs::path(args.out) / "00_input.png";
  write_png(input_png, image_to_rgb8(input, 0));
  fmt::print("convscope demo on {} ({})\n", ctx.info().name, vk::device_type_name(ctx.info().type));
  fmt::print("  input   {:<28} {}\n", shape_string(input.shape.keras(DataFormat::ChannelsLast)), input_png.string());
  for (size_t i = 0; i < model.layers.size(); ++i) {
    const Layer& layer = *model.layers[i];
    const fs::path png = fs::path(args.out) / fmt::format("{:02}_{}.png", i + 1, file_stem(layer.name()));
    write_png(png, feature_mosaic(result.outputs[i], 0, cmap));
    const double ms = i < result.timings.size() ? result.timings[i].ms : 0.0;
    fmt::print("  {:<7} {:<28} {}  ({:.2f} ms)\n", layer.class_name(),
               shape_string(shapes[i].keras(layer.data_format())), png.string(), ms);
  }
  fmt::print("feature maps written to {}\n", fs::absolute(args.out).string());
  return report_validation(ctx) ? 0 : 1;
}

}  // namespace

void add_demo_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto args = std::make_shared<DemoArgs>();
  auto* cmd = app.add_subcommand("demo", "Run an image through a pipeline and write feature-map PNGs (headless)");
  cmd->add_option("--image", args->image, "Image file (default: the bundled sample)");
  cmd->add_option("--pipeline", args->pipeline, "Pipeline JSON (default: assets/pipelines/default.json)");
  cmd->add_option("--out", args->out, "Folder for the PNGs")->capture_default_str();
  cmd->add_option("--colormap", args->colormap, "gray, viridis, magma or diverging")->capture_default_str();
  cmd->callback([&global, &action, args] { action = [&global, args] { return run_demo(global, *args); }; });
}

}  // namespace convscope::app
