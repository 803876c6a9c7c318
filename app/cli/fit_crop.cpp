// `convscope fit-crop`: cuts a target patch from an image with a box, then fits a
// LearnableCrop box to it by gradient descent on the GPU from another start.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <charconv>

#include "app/assets.h"
#include "app/cli/commands.h"
#include "core/error.h"
#include "io/image.h"
#include "layers/learnable_crop/box_fit.h"

namespace convscope::app {

namespace {

struct FitArgs {
  std::string image, target, init, output_size;
  int steps = 400;
  bool json = false;
};

std::vector<double> numbers(const std::string& text, size_t count, const char* option) {
  std::vector<double> values;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find(',', start), text.size());
    double v = 0;
    const auto [ptr, ec] = std::from_chars(text.data() + start, text.data() + end, v);
    if (ec != std::errc() || ptr != text.data() + end)
      throw UserError(fmt::format("fit-crop: {}: '{}' is not {} comma-separated numbers", option, text, count));
    values.push_back(v);
    start = end + 1;
  }
  if (values.size() != count)
    throw UserError(fmt::format("fit-crop: {}: '{}' has {} numbers, expected {}", option, text, values.size(), count));
  return values;
}

Box box_from(const std::string& text, const char* option) {
  const auto v = numbers(text, 4, option);
  return {v[0], v[1], v[2], v[3]};
}

int run_fit(const GlobalOptions& global, const FitArgs& args) {
  const auto image_path = args.image.empty() ? asset_path("images/default.png") : std::filesystem::path(args.image);
  BoxFitOptions options;
  options.target = box_from(args.target, "--target-box");
  options.init = box_from(args.init, "--init-box");
  options.steps = args.steps;
  if (!args.output_size.empty()) {
    const auto v = numbers(args.output_size, 2, "--output-size");
    if (v[0] < 1 || v[1] < 1 || v[0] != std::floor(v[0]) || v[1] != std::floor(v[1]))
      throw UserError(fmt::format("fit-crop: --output-size: '{}' must be two whole numbers of at least 1", args.output_size));
    options.output_size = {static_cast<int64_t>(v[0]), static_cast<int64_t>(v[1])};
  }
  const Tensor image = from_keras(load_image(image_path), 2, DataFormat::ChannelsLast, image_path.string());

  vk::Context ctx(global.context_options());
  const int every = std::max(1, options.steps / 20);
  const BoxFitResult r = fit_box(ctx, image, options, [&](const BoxFitProgress& p) {
    if (p.step % every == 0 || p.step == 1)
      fmt::print("step {:4}  sigma {:3.0f}  loss {:.6f}  box ({:.2f}, {:.2f}, {:.2f}, {:.2f})\n", p.step, p.sigma, p.loss,
                 p.box[0], p.box[1], p.box[2], p.box[3]);
  });
  fmt::print("target   box ({:.2f}, {:.2f}, {:.2f}, {:.2f})\n", options.target[0], options.target[1], options.target[2],
             options.target[3]);
  fmt::print("fitted   box ({:.2f}, {:.2f}, {:.2f}, {:.2f})  loss {:.3g}\n", r.box[0], r.box[1], r.box[2], r.box[3], r.loss);
  if (args.json) {
    const nlohmann::json out = {{"box", r.box}, {"loss", r.loss}, {"steps", r.steps}};
    fmt::print("{}\n", out.dump());
  }
  return report_validation(ctx) ? 0 : 1;
}

}  // namespace

void add_fit_crop_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto args = std::make_shared<FitArgs>();
  auto* cmd = app.add_subcommand("fit-crop", "Fit a LearnableCrop box to a patch cut from an image, on the GPU");
  cmd->add_option("--image", args->image, "Image (default: the bundled sample)");
  cmd->add_option("--target-box", args->target, "y0,x0,h,w of the patch to find, in pixels")->required();
  cmd->add_option("--init-box", args->init, "y0,x0,h,w to start from")->required();
  cmd->add_option("--output-size", args->output_size, "OH,OW of the crop (default: the target box's size)");
  cmd->add_option("--steps", args->steps, "Gradient steps in all")->capture_default_str();
  cmd->add_flag("--json", args->json, "End with one JSON line {\"box\", \"loss\", \"steps\"}");
  cmd->callback([&global, &action, args] { action = [&global, args] { return run_fit(global, *args); }; });
}

}  // namespace convscope::app
