// Fusing for inference (model/fusion.h): conv -> BatchNormalization [-> activation] folded
// into one convolution gives the unfused graph's outputs, on the CPU references and on the
// GPU, for every convolution kind and both data formats; and the graphs it must leave alone
// are left alone.
#include <catch2/catch.hpp>

#include <random>

#include "gpu.h"
#include "io/json_file.h"
#include "io/npy.h"
#include "layer_check.h"
#include "layers/norm/batch_norm.h"
#include "model/fusion.h"
#include "model/parse_pipeline.h"
#include "model/shapes.h"
#include "model/weights.h"
#include "run/reference_run.h"
#include "run/session.h"

using namespace convscope;
using json = nlohmann::json;

namespace {

json sequential(const std::vector<int64_t>& input, const std::vector<json>& layers) {
  json shape = json::array({nullptr});
  for (int64_t d : input) shape.push_back(d);
  json list = json::array({{{"class_name", "InputLayer"}, {"config", {{"name", "in"}, {"batch_shape", shape}}}}});
  for (const json& l : layers) list.push_back(l);
  return {{"class_name", "Sequential"}, {"config", {{"name", "seq"}, {"layers", list}}}};
}

json layer(const std::string& cls, json config = json::object()) { return {{"class_name", cls}, {"config", config}}; }

// Keras' initialisation, then statistics far from the identity on every BatchNormalization
// (Keras initialises them to gamma 1, beta 0, mean 0, variance 1: nothing to fold).
void random_weights(Model& model, const Shape& input, uint32_t seed) {
  initialize_weights(model, input, seed);
  const std::vector<Shape> shapes = infer_shapes(model, input);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  for (size_t i = 0; i < model.nodes.size(); ++i) {
    Layer& l = *model.nodes[i].layer;
    if (!dynamic_cast<BatchNormLayer*>(&l)) continue;
    std::vector<NdArray> w = l.weights();
    const std::vector<std::string> names = l.weight_names();
    for (size_t k = 0; k < w.size(); ++k)
      for (float& v : w[k].data) v = names[k] == "moving_variance" ? 0.2f + std::abs(u(rng)) : 2 * u(rng);
    l.set_weights(input_shape_of(model, i, input, shapes), std::move(w));
  }
}

struct Outcome {
  std::vector<std::string> fusions;
  size_t nodes_before = 0, nodes_after = 0;
};

// The model fused and not, compared at every output: CPU references of both, and the fused
// graph on the GPU against the unfused reference.
Outcome require_same_outputs(Model model, const std::vector<int64_t>& keras_input, uint32_t seed = 3) {
  const Tensor input = from_keras(test::random_array(keras_input, seed),
                                  model.input_rank().value_or(static_cast<int>(keras_input.size()) - 2),
                                  model.input_format(), "fusion input");
  random_weights(model, input.shape, seed);
  const Fused fused = fuse_for_inference(model, input.shape);
  const std::vector<Tensor> plain = run_reference(model, {input});
  const std::vector<Tensor> folded = run_reference(fused.model, {input});
  const std::vector<size_t> outs = model.outputs(), fused_outs = fused.model.outputs();
  REQUIRE(outs.size() == fused_outs.size());
  const RunResult gpu = run_model(test::gpu(), fused.model, input);
  test::require_validation_clean(test::gpu());
  for (size_t k = 0; k < outs.size(); ++k) {
    INFO("output " << k);
    CHECK(test::max_relative_error(folded[fused_outs[k]], plain[outs[k]]) <= 1e-5);
    CHECK(test::max_relative_error(gpu.outputs[fused_outs[k]], plain[outs[k]]) <= 1e-5);
  }
  return {fused.fusions, model.nodes.size(), fused.model.nodes.size()};
}

}  // namespace

TEST_CASE("conv, BatchNormalization and an activation fold into one convolution of the same outputs", "[fusion][gpu]") {
  const json bn = layer("BatchNormalization", {{"epsilon", 0.01}});
  SECTION("Conv2D without bias, then relu; the second conv's BN without beta and gamma, then relu6") {
    const Outcome o = require_same_outputs(
        parse_pipeline(sequential({9, 11, 3}, {layer("Conv2D", {{"filters", 5}, {"kernel_size", 3}, {"padding", "same"}, {"use_bias", false}}),
                                               bn, layer("Activation", {{"activation", "relu"}}),
                                               layer("Conv2D", {{"filters", 4}, {"kernel_size", 2}, {"strides", 2}}),
                                               layer("BatchNormalization", {{"center", false}, {"scale", false}}),
                                               layer("ReLU", {{"max_value", 6.0}})})),
        {2, 9, 11, 3});
    CHECK(o.fusions.size() == 2);
    CHECK(o.fusions[0] == "conv2d + batch_normalization + activation");
  }
  SECTION("channels_first Conv2D, BN on axis 1, swish") {
    const Outcome o = require_same_outputs(
        parse_pipeline(sequential({3, 8, 7}, {layer("Conv2D", {{"filters", 4}, {"kernel_size", 3}, {"data_format", "channels_first"}}),
                                              layer("BatchNormalization", {{"axis", 1}}), layer("Activation", {{"activation", "swish"}})})),
        {1, 3, 8, 7});
    CHECK(o.fusions.size() == 1);
    CHECK(o.nodes_after == 1);
  }
  SECTION("DepthwiseConv2D with a depth multiplier, SeparableConv2D, Conv2DTranspose, Conv1D with softmax") {
    CHECK(require_same_outputs(parse_pipeline(sequential({7, 6, 3}, {layer("DepthwiseConv2D", {{"kernel_size", 3}, {"depth_multiplier", 2}, {"padding", "same"}}),
                                                                     bn, layer("Activation", {{"activation", "elu"}})})),
                               {1, 7, 6, 3})
              .fusions.size() == 1);
    CHECK(require_same_outputs(parse_pipeline(sequential({7, 6, 3}, {layer("SeparableConv2D", {{"filters", 5}, {"kernel_size", 3}, {"depth_multiplier", 2}}), bn})),
                               {2, 7, 6, 3})
              .fusions.size() == 1);
    CHECK(require_same_outputs(parse_pipeline(sequential({5, 4, 3}, {layer("Conv2DTranspose", {{"filters", 6}, {"kernel_size", 3}, {"strides", 2}}),
                                                                     bn, layer("LeakyReLU", {{"negative_slope", 0.2}})})),
                               {1, 5, 4, 3})
              .fusions.size() == 1);
    CHECK(require_same_outputs(parse_pipeline(sequential({12, 3}, {layer("Conv1D", {{"filters", 4}, {"kernel_size", 3}, {"padding", "causal"}}),
                                                                   bn, layer("Activation", {{"activation", "softmax"}})})),
                               {2, 12, 3})
              .fusions.size() == 1);
  }
}

TEST_CASE("a residual block from tf.keras folds its conv-BN pairs and keeps the golden output", "[fusion][golden]") {
  // The BN before the Add folds into its conv; the Add, which reads two tensors, stays.
  const std::filesystem::path dir = std::filesystem::path(CONVSCOPE_SOURCE_DIR) / "tests/golden/models/tf_keras2_fn_resnet_block_batch2";
  Model model = parse_pipeline(read_json(dir / "model.json"));
  const NdArray x = read_npy(dir / "input.npy"), expected = read_npy(dir / "expected.npy");
  const Tensor input = from_keras(x, 2, model.input_format(), "input");
  provide_weights(model, input.shape, {dir / "weights.npz"}, std::nullopt, 0);
  const Fused fused = fuse_for_inference(model, input.shape);
  CHECK(fused.fusions == std::vector<std::string>{"conv2d + batch_normalization + activation", "conv2d_1 + batch_normalization_1"});
  CHECK(fused.model.nodes.size() == model.nodes.size() - 3);
  const RunResult gpu = run_model(test::gpu(), fused.model, input);
  test::require_validation_clean(test::gpu());
  const NdArray got = to_keras(gpu.outputs.at(fused.model.outputs().at(0)), DataFormat::ChannelsLast);
  REQUIRE(got.shape == expected.shape);
  for (size_t i = 0; i < got.size(); ++i) CHECK(std::abs(got.data[i] - expected.data[i]) <= 1e-4 * (1 + std::abs(expected.data[i])));
}

TEST_CASE("what fusion must leave alone stays as it is", "[fusion]") {
  auto fusions = [](const json& spec, const std::vector<int64_t>& input) {
    Model m = parse_pipeline(spec);
    const Shape s = shape_from_keras(input, static_cast<int>(input.size()) - 2, m.input_format());
    random_weights(m, s, 1);
    return fuse_for_inference(m, s).fusions.size();
  };
  // The conv's own activation comes before the BN: the order cannot be swapped.
  CHECK(fusions(sequential({6, 6, 2}, {layer("Conv2D", {{"filters", 3}, {"kernel_size", 3}, {"activation", "relu"}}),
                                       layer("BatchNormalization")}),
                {1, 6, 6, 2}) == 0);
  // A BN over a spatial axis is not a per-channel scale of the conv's output.
  CHECK(fusions(sequential({6, 6, 2}, {layer("Conv2D", {{"filters", 3}, {"kernel_size", 3}}), layer("BatchNormalization", {{"axis", 1}})}),
                {1, 6, 6, 2}) == 0);
  // A PReLU has weights no activation argument holds: the BN folds, the PReLU stays a node.
  CHECK(fusions(sequential({6, 6, 2}, {layer("Conv2D", {{"filters", 3}, {"kernel_size", 3}}), layer("BatchNormalization"), layer("PReLU")}),
                {1, 6, 6, 2}) == 1);
  // BN then pooling: nothing follows the pattern.
  CHECK(fusions(sequential({6, 6, 2}, {layer("MaxPooling2D"), layer("BatchNormalization")}), {1, 6, 6, 2}) == 0);
}
