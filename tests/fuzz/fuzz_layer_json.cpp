// libFuzzer target for the layer and model JSON readers: the path `convscope eval / summary /
// run --model / convert` takes from a file's text to layers and shapes. Any text either
// becomes a model or is refused with a one-line UserError; a model's shape rules answer for a
// few small inputs (and for the input the file gives, as `summary` does) with shapes or a
// one-line UserError; and what to_keras3_json writes reads back as the same model.
// Run by scripts/test-fuzz.sh; the seeds are in corpus/layer_json/.
//
// Only shapes are computed, never tensors: a fuzzed layer may legitimately ask for an output
// of 2^60 elements, and allocating it would be a false finding. Nothing touches Vulkan.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

#include "core/error.h"
#include "fuzz_checks.h"
#include "io/json_file.h"
#include "model/keras_json.h"
#include "model/parse_pipeline.h"
#include "model/summary.h"
#include "run/session.h"

namespace {

using namespace convscope;
using convscope::fuzz::finding;
using convscope::fuzz::require_one_line;

// Shape inference through the whole chain for one input: every layer's output, or a refusal.
struct ChainResult {
  bool refused = false;
  std::vector<Shape> shapes;
  bool operator==(const ChainResult&) const = default;
};

// The pure parts of the layer API besides output_shape, with the shapes just inferred: what
// `summary`, the app's hover highlight and the weight checks call. None may fail here.
void exercise(const Layer& layer, const Shape& input, const Shape& output) {
  for (const auto& w : layer.weight_shapes(input)) (void)NdArray::element_count(w);
  (void)layer.flops(input);
  (void)layer.warnings();
  Layer::Region all{}, last{};
  for (int a = 0; a < output.spatial_rank; ++a) {
    all[a] = {0, output.spatial(a) - 1};
    last[a] = {output.spatial(a) - 1, output.spatial(a) - 1};
  }
  (void)layer.source_region(input, all);
  (void)layer.source_region(input, last);
}

ChainResult infer(const Model& model, const Shape& input) {
  ChainResult r;
  try {
    r.shapes = infer_shapes(model, input);
    for (size_t i = 0; i < model.nodes.size(); ++i)
      exercise(model.layer(i), input_shape_of(model, i, input, r.shapes), r.shapes[i]);
  } catch (const UserError& e) {
    require_one_line(e.what());
    r = ChainResult{true, {}};
  }
  return r;
}

// Inputs for the first layer's rank, small enough that every output is a few numbers.
std::vector<Shape> probe_inputs(const Model& model) {
  struct Probe {
    int64_t n, c, side[3];
  };
  std::vector<Shape> out;
  for (const Probe& p : {Probe{1, 1, {1, 1, 1}}, Probe{1, 3, {5, 6, 7}}, Probe{2, 4, {32, 31, 30}}}) {
    Shape s;
    s.spatial_rank = model.layer(0).spatial_rank();
    s.n = p.n;
    s.c = p.c;
    for (int a = 0; a < s.spatial_rank; ++a) s.spatial(a) = p.side[a];
    out.push_back(s);
  }
  return out;
}

// `convscope summary MODEL`: the table for the input the file gives, or its refusal.
std::optional<std::string> summary_of(const Model& model) {
  if (!model.input_shape) return std::nullopt;
  try {
    return format_summary(summarize(model, *model.input_shape));
  } catch (const UserError& e) {
    require_one_line(e.what());
    return "refused";
  }
}

void check(std::string_view text) {
  Model model;
  try {
    model = parse_pipeline(parse_json(text, "fuzz.json"));
  } catch (const UserError& e) {
    require_one_line(e.what());
    return;
  }
  const std::vector<Shape> inputs = probe_inputs(model);
  std::vector<ChainResult> results;
  for (const Shape& s : inputs) results.push_back(infer(model, s));
  const std::optional<std::string> summary = summary_of(model);

  // Written as Keras 3 and read again, the model must be the same model.
  const nlohmann::json written = to_keras3_json(model);
  Model again;
  try {
    again = parse_pipeline(parse_json(written.dump(), "written.json"));
  } catch (const UserError& e) {
    finding("to_keras3_json wrote a model parse_pipeline refuses", e.what());
  }
  if (to_keras3_json(again) != written) finding("round trip", "the re-read model writes different JSON");
  for (size_t i = 0; i < inputs.size(); ++i)
    if (!(infer(again, inputs[i]) == results[i])) finding("round trip", "the re-read model infers other shapes");
  if (summary_of(again) != summary) finding("round trip", "the re-read model has another summary");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    check(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const std::exception& e) {
    // Only UserError is an expected answer to bad input; anything else reaches the CLI as
    // "failed" (exit 1), as if the tool itself were broken.
    finding(typeid(e).name(), e.what());
  }
  return 0;
}
