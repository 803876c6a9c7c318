// Golden values from an independent implementation (tests/golden/make_golden.py, PyTorch):
// the GPU path, the CPU reference and the `convscope eval` command must all reproduce them
// within 1e-4 * (1 + |expected|) elementwise.
#include <catch2/catch.hpp>

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

void check_family(const std::string& prefix) {
  const auto cases = test::golden_cases(prefix);
  REQUIRE(!cases.empty());
  for (const auto& c : cases) {
    INFO("golden case " << c.name);
    Model model = parse_pipeline(read_json(c.layer));
    REQUIRE(model.nodes.size() == 1);
    Layer& layer = *model.nodes.front().layer;
    const Tensor input = from_keras(read_npy(c.input), layer.spatial_rank(), layer.data_format(), c.name);
    std::vector<NdArray> weights;
    for (const auto& w : c.weights) weights.push_back(read_npy(w));
    layer.set_weights(input.shape, std::move(weights));
    const NdArray expected = read_npy(c.expected);

    CHECK(max_error(to_keras(test::run_on_gpu(layer, input), layer.data_format()), expected) <= kTolerance);
    CHECK(max_error(to_keras(layer.reference(input), layer.data_format()), expected) <= kTolerance);
  }
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
