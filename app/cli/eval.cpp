// `convscope eval SPEC INPUT [WEIGHTS...] -o OUTPUT [-o OUTPUT...]`: one Keras layer or a
// model applied to a .npy input, each output written as float32 .npy (-o once per output,
// in output_layers order). Everything is read and checked before the GPU starts, and the
// output files appear only when every result is complete.
#include <fmt/format.h>

#include "app/cli/commands.h"
#include "core/error.h"
#include "io/json_file.h"
#include "io/npy.h"
#include "model/fusion.h"
#include "model/parse_pipeline.h"
#include "model/weights.h"
#include "run/session.h"

namespace convscope::app {

namespace {

struct EvalArgs {
  std::string spec, input;
  std::vector<std::string> outputs;
  std::vector<std::string> weights;
  uint64_t seed = 0;
  bool no_fuse = false;
};

int run_eval(const GlobalOptions& global, const EvalArgs& args) {
  // The spec is a file, or, when it starts with '{', the JSON itself (a layer typed inline).
  const bool inline_spec = !args.spec.empty() && args.spec.front() == '{';
  Model model = parse_pipeline(inline_spec ? parse_json(args.spec, "the layer JSON") : read_json(args.spec));
  for (const auto& note : model.notices) fmt::print(stderr, "convscope: note: {}\n", note);
  const NdArray array = read_npy(args.input);
  const Tensor input = from_keras(array, model.input_rank().value_or(static_cast<int>(array.rank()) - 2),
                                  model.input_format(), fmt::format("{} (input of {})", args.input, model.name));
  const std::vector<std::filesystem::path> files(args.weights.begin(), args.weights.end());
  const std::optional<std::filesystem::path> spec_file =
      inline_spec ? std::nullopt : std::optional<std::filesystem::path>(args.spec);
  for (const auto& note : provide_weights(model, input.shape, files, spec_file, args.seed))
    fmt::print(stderr, "convscope: note: {}\n", note);
  infer_shapes(model, input.shape);  // refuse impossible shapes before the device starts
  for (const Layer* layer : model.distinct_layers())
    for (const auto& w : layer->warnings()) fmt::print(stderr, "convscope: warning: {}: {}\n", layer->label(), w);
  const std::vector<size_t> given = model.outputs();
  if (given.size() != args.outputs.size()) {
    std::string names;
    for (size_t o : given) names += (names.empty() ? "" : ", ") + model.layer(o).name();
    throw UserError(fmt::format("{}: -o: the model gives {} output{} ({}), {} -o given; give -o once per output, in "
                                "output_layers order",
                                model.name, given.size(), given.size() == 1 ? "" : "s", names, args.outputs.size()));
  }
  // Conv -> BatchNormalization [-> activation] as one convolution: the same outputs, one pass
  // where there were three (model/fusion.h).
  if (!args.no_fuse) model = fuse_for_inference(model, input.shape).model;
  const std::vector<size_t> outputs = model.outputs();

  vk::Context ctx(global.context_options());
  Session session(ctx, std::move(model));
  session.set_input(input);
  session.run();
  // Each output in the Keras order of its own tensor (a Dense after a channels_first conv
  // gives a channels-last vector).
  std::vector<NdArray> results;
  for (size_t o : outputs) results.push_back(to_keras(session.output(o), session.output(o).shape.format));
  for (size_t k = 0; k < outputs.size(); ++k) write_npy(args.outputs[k], results[k]);
  return report_validation(ctx) ? 0 : 1;
}

}  // namespace

void add_eval_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto args = std::make_shared<EvalArgs>();
  auto* cmd = app.add_subcommand("eval", "Apply a Keras layer or Model model to a .npy input");
  cmd->add_option("spec", args->spec,
                  "Layer or model JSON file ({\"class_name\": ..., \"config\": {...}} or a model.to_json()), or that "
                  "JSON itself when it starts with '{'")
      ->required();
  cmd->add_option("input", args->input, "Input .npy, batch first, in the layer's data_format")->required();
  cmd->add_option("weights", args->weights,
                  "Weights in Keras get_weights() order: .npy files, or one .npz from np.savez(path, *weights); "
                  "without them, Keras' initialisation");
  cmd->add_flag("--no-fuse", args->no_fuse,
                "Run each BatchNormalization and activation after a convolution as a pass of its own (by default "
                "they are folded into the convolution)");
  cmd->add_option("--seed", args->seed, "Seed of the initialisation when no weights are given")->capture_default_str();
  cmd->add_option("-o,--output", args->outputs,
                  "Output .npy (float32, C order); once per output of a model with several, in output_layers order")
      ->required()
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->callback([&global, &action, args] { action = [&global, args] { return run_eval(global, *args); }; });
}

}  // namespace convscope::app
