// `convscope convert MODEL -o OUT.json [--weights W...]`: any Keras generation's model file
// written back as Keras 3 JSON, with the weights as OUT.weights.npz beside it when given.
#include <fmt/format.h>

#include <fstream>

#include "app/cli/commands.h"
#include "core/error.h"
#include "io/atomic_file.h"
#include "io/json_file.h"
#include "io/npz.h"
#include "io/weights_file.h"
#include "model/keras_json.h"
#include "model/parse_pipeline.h"
#include "model/weights.h"
#include "model/summary.h"

namespace convscope::app {

namespace {

struct ConvertArgs {
  std::string model, output;
  std::vector<std::string> weights;
};

int run_convert(const ConvertArgs& args) {
  Model model = parse_pipeline(read_json(args.model));
  std::filesystem::path out = args.output;
  if (!args.weights.empty()) {
    if (!model.input_shape)
      throw UserError(fmt::format("{}: the model gives no input shape, so its weights cannot be checked", args.model));
    const Shape input = concrete_input(model, *model.input_shape, 1, 64);
    const std::vector<std::filesystem::path> files(args.weights.begin(), args.weights.end());
    assign_weights(model, input, load_weights(files));  // checks count and shapes
    std::vector<std::pair<std::string, NdArray>> arrays;
    for (const Layer* layer : model.distinct_layers())
      for (const auto& w : layer->weights()) arrays.emplace_back(fmt::format("arr_{}", arrays.size()), w);
    std::filesystem::path npz = out;
    npz.replace_extension(".weights.npz");
    write_npz(npz, arrays);
    fmt::print("wrote {}\n", npz.string());
  }
  write_file_atomically(out, to_keras3_json(model).dump(2) + "\n", "the model file");
  fmt::print("wrote {} (Keras 3, {} layers)\n", out.string(), model.nodes.size());
  return 0;
}

}  // namespace

void add_convert_command(CLI::App& app, const GlobalOptions&, Action& action) {
  auto args = std::make_shared<ConvertArgs>();
  auto* cmd = app.add_subcommand("convert", "Write a Keras 1 / tf.keras 2 / TF.js / Keras 3 model file as Keras 3 JSON");
  cmd->add_option("model", args->model, "Keras model JSON")->required();
  cmd->add_option("-o,--output", args->output, "Keras 3 JSON to write")->required();
  cmd->add_option("--weights", args->weights, "Weights to check and write beside it as <output>.weights.npz");
  cmd->callback([&action, args] { action = [args] { return run_convert(*args); }; });
}

}  // namespace convscope::app
