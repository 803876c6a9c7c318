// `convscope summary MODEL [--input-shape ...]`: the model.summary() table of a Keras model
// file: each layer's output shape and parameter count, and the total.
#include <fmt/format.h>

#include <charconv>

#include "app/cli/commands.h"
#include "core/error.h"
#include "io/json_file.h"
#include "model/parse_pipeline.h"
#include "model/summary.h"

namespace convscope::app {

namespace {

struct SummaryArgs {
  std::string model, input_shape;
};

// "28,28,3" or "None,None,3": the input shape without the batch axis.
OpenShape parse_open_shape(const std::string& text) {
  OpenShape shape;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, end - start);
    int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item == "None" || item == "none" || item == "?") shape.push_back(std::nullopt);
    else if (ec == std::errc() && ptr == item.data() + item.size() && v > 0) shape.push_back(v);
    else throw UserError(fmt::format("summary: --input-shape: '{}' is not a positive size or None in '{}'", item, text));
    start = end + 1;
  }
  return shape;
}

int run_summary(const SummaryArgs& args) {
  const Model model = parse_pipeline(read_json(args.model));
  for (const auto& note : model.notices) fmt::print(stderr, "convscope: note: {}\n", note);
  OpenShape input;
  if (!args.input_shape.empty()) input = parse_open_shape(args.input_shape);
  else if (model.input_shape) input = *model.input_shape;
  else throw UserError(fmt::format("{}: the model gives no input shape; pass --input-shape, e.g. 28,28,3", args.model));
  fmt::print("{}", format_summary(summarize(model, input)));
  return 0;
}

}  // namespace

void add_summary_command(CLI::App& app, const GlobalOptions&, Action& action) {
  auto args = std::make_shared<SummaryArgs>();
  auto* cmd = app.add_subcommand("summary", "Print a Keras model's layers, output shapes and parameter counts");
  cmd->add_option("model", args->model, "Keras model JSON (model.to_json() of Keras 1, tf.keras 2, TF.js or Keras 3)")
      ->required();
  cmd->add_option("--input-shape", args->input_shape, "Input shape without the batch axis, e.g. 28,28,3 (None for open)");
  cmd->callback([&action, args] { action = [args] { return run_summary(*args); }; });
}

}  // namespace convscope::app
