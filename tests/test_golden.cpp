// Golden values from an independent implementation (the generators in tests/golden/, PyTorch):
// the GPU path, the CPU reference and the `convscope eval` command must all reproduce them
// within 1e-4 * (1 + |expected|) elementwise.
#include <catch2/catch.hpp>

#include <algorithm>

#include "cli_run.h"
#include "golden_cases.h"
#include "io/json_file.h"
#include "io/npy.h"
#include "layer_check.h"
#include "layers/learnable_crop/learnable_crop.h"
#include "model/parse_pipeline.h"
#include "gpu.h"

using namespace convscope;

namespace {

constexpr double kTolerance = 1e-4;

double max_error(const NdArray& actual, const NdArray& expected) {
  REQUIRE(actual.shape == expected.shape);
  double worst = 0;
  for (size_t i = 0; i < actual.size(); ++i) {
    const double e = expected.data[i];
    worst = std::max(worst, std::abs(actual.data[i] - e) / (1.0 + std::abs(e)));
  }
  return worst;
}

// A spatial layer reads its own rank in its own data_format; a rank-free one (Dense, the
// merges, Flatten, Reshape...) reads any rank, ndim - 2 spatial axes, and means the same
// whichever way the tensor is stored, so it is tried both ways.
int golden_rank(const Layer& layer, const NdArray& array) {
  return layer.spatial_rank() > 0 ? layer.spatial_rank() : static_cast<int>(array.rank()) - 2;
}

std::vector<DataFormat> golden_formats(const Layer& layer, const std::vector<NdArray>& arrays) {
  if (layer.spatial_rank() > 0) return {layer.data_format()};
  const bool any_spatial = std::any_of(arrays.begin(), arrays.end(), [](const NdArray& a) { return a.rank() > 2; });
  if (!any_spatial) return {DataFormat::ChannelsLast};
  return {DataFormat::ChannelsLast, DataFormat::ChannelsFirst};
}

// An output back in Keras order, read in the format its shape carries.
NdArray keras_of(const Tensor& t) { return to_keras(t, t.shape.format); }

// The GPU path (validation layer checked by the helpers) and the CPU reference, both within
// kTolerance of expected.npy. A case of several inputs (a merge) runs through the node_*
// forms, one model input per tensor.
void check_case(const test::GoldenCase& c) {
  INFO("golden case " << c.name);
  Model model = parse_pipeline(read_json(c.layer));
  REQUIRE(model.nodes.size() == 1);
  Layer& layer = *model.nodes.front().layer;
  REQUIRE(!c.inputs.empty());
  std::vector<NdArray> arrays;
  for (const auto& path : c.inputs) arrays.push_back(read_npy(path));
  std::vector<NdArray> weights;
  for (const auto& w : c.weights) weights.push_back(read_npy(w));
  const NdArray expected = read_npy(c.expected);
  for (const DataFormat f : golden_formats(layer, arrays)) {
    INFO("inputs stored " << std::string(to_string(f)));
    std::vector<Tensor> inputs;
    for (const NdArray& a : arrays) inputs.push_back(from_keras(a, golden_rank(layer, a), f, c.name));
    if (inputs.size() == 1) {
      layer.set_weights(inputs[0].shape, weights);
      CHECK(max_error(keras_of(test::run_on_gpu(layer, inputs[0])), expected) <= kTolerance);
      CHECK(max_error(keras_of(layer.reference(inputs[0])), expected) <= kTolerance);
    } else {
      REQUIRE(weights.empty());
      std::vector<const Tensor*> pointers;
      for (const Tensor& t : inputs) pointers.push_back(&t);
      CHECK(max_error(keras_of(test::run_node_on_gpu(layer, inputs)), expected) <= kTolerance);
      CHECK(max_error(keras_of(layer.node_reference(pointers)), expected) <= kTolerance);
    }
  }
}

void check_family(const std::string& prefix) {
  const auto cases = test::golden_cases(prefix);
  REQUIRE(!cases.empty());
  for (const auto& c : cases) check_case(c);
}

}  // namespace

TEST_CASE("Cropping layers reproduce the golden values", "[golden][crop]") { check_family("crop"); }
TEST_CASE("ZeroPadding layers reproduce the golden values", "[golden][pad]") { check_family("pad"); }

TEST_CASE("convscope eval reproduces every golden case", "[golden][cli]") {
  const auto cases = test::golden_cases();
  REQUIRE(!cases.empty());
  const auto out = test::scratch_dir("golden") / "out.npy";
  for (const auto& c : cases) {
    INFO("golden case " << c.name);
    // eval applies a layer to one input; the merges' cases (input_0.npy, input_1.npy...) are
    // checked through the node_* forms by their own test above instead.
    if (c.inputs.size() != 1) continue;
    std::string args = "eval " + test::quoted(c.layer) + " " + test::quoted(c.input);
    for (const auto& w : c.weights) args += " " + test::quoted(w);
    const auto r = test::run_cli(args + " -o " + test::quoted(out));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(max_error(read_npy(out), read_npy(c.expected)) <= kTolerance);
  }
}

TEST_CASE("Conv layers reproduce the golden values", "[golden][conv]") {
  check_family("conv1d_");
  check_family("conv2d_");
  check_family("conv3d_");
}
TEST_CASE("DepthwiseConv layers reproduce the golden values", "[golden][conv]") { check_family("depthwise"); }
TEST_CASE("SeparableConv layers reproduce the golden values", "[golden][conv]") { check_family("separable"); }
TEST_CASE("ConvTranspose layers reproduce the golden values", "[golden][conv]") { check_family("conv1dT_"); check_family("conv2dT_"); check_family("conv3dT_"); }
TEST_CASE("Keras 1 convolution configs reproduce the golden values", "[golden][conv]") {
  for (const char* family : {"keras1_convolution", "keras1_atrous", "keras1_separable", "keras1_deconvolution"})
    check_family(family);
}
TEST_CASE("UpSampling layers reproduce the golden values", "[golden][upsample]") {
  check_family("upsampling");
  check_family("keras1_upsampling");
}

TEST_CASE("Reshaping layers and the inference identities reproduce the golden values", "[golden][reshape]") {
  check_family("reshape_");
}
TEST_CASE("Dense reproduces the golden values on every rank", "[golden][dense]") { check_family("dense_"); }
TEST_CASE("Merge layers reproduce the golden values, broadcasting as Keras", "[golden][merge]") {
  check_family("merge_");
}

TEST_CASE("LearnableCrop reproduces the golden outputs and autograd gradients", "[golden][learnable_crop]") {
  check_family("learnable_crop_");
  for (const auto& c : test::golden_cases("learnable_crop_")) {
    INFO("golden case " << c.name);
    Model model = parse_pipeline(read_json(c.layer));
    auto* layer = dynamic_cast<LearnableCropLayer*>(model.nodes.front().layer.get());
    REQUIRE(layer != nullptr);
    const DataFormat f = layer->data_format();
    const Tensor input = from_keras(read_npy(c.input), 2, f, c.name);
    std::vector<NdArray> weights;
    for (const auto& w : c.weights) weights.push_back(read_npy(w));
    layer->set_weights(input.shape, weights);
    const Tensor grad_out = from_keras(read_npy(c.dir / "grad_output.npy"), 2, f, c.name);
    for (const bool on_gpu : {false, true}) {
      INFO((on_gpu ? "GPU" : "CPU reference"));
      const CropGradients g = on_gpu ? layer->backward(test::gpu(), input, grad_out) : layer->reference_backward(input, grad_out);
      CHECK(max_error(to_keras(g.input, f), read_npy(c.dir / "expected_grad_input.npy")) <= kTolerance);
      REQUIRE(g.weights.size() == weights.size());
      for (size_t i = 0; i < weights.size(); ++i)
        CHECK(max_error(g.weights[i], read_npy(c.dir / ("expected_grad_weight_" + std::to_string(i) + ".npy"))) <= kTolerance);
    }
    test::require_validation_clean(test::gpu());
  }
}
