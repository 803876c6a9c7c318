// LearnableCrop: the integer-crop special case, GPU against the CPU reference forward and
// backward, and the CPU backward against finite differences, in both box modes.
#include <catch2/catch.hpp>

#include "core/error.h"
#include "gpu.h"
#include "layer_check.h"
#include "layers/learnable_crop/learnable_crop.h"

using namespace convscope;
using nlohmann::json;

namespace {

std::unique_ptr<LearnableCropLayer> crop_layer(json config) {
  config["name"] = "lc";
  auto layer = test::make_layer({{"class_name", "LearnableCrop"}, {"config", config}});
  auto* raw = dynamic_cast<LearnableCropLayer*>(layer.release());
  REQUIRE(raw != nullptr);
  return std::unique_ptr<LearnableCropLayer>(raw);
}

Shape image(int64_t n, int64_t c, int64_t h, int64_t w) {
  Shape s;
  s.n = n, s.c = c, s.h = h, s.w = w;
  return s;
}

NdArray array(std::vector<int64_t> shape, std::vector<float> values) {
  NdArray a(std::move(shape));
  a.data = std::move(values);
  return a;
}

// A predicted-mode layer with small random head weights (boxes stay well inside the image).
std::unique_ptr<LearnableCropLayer> predicted_layer(const Shape& in, json config, uint32_t seed) {
  config["box_source"] = "predicted";
  auto layer = crop_layer(config);
  NdArray w = test::random_array({in.c, 4}, seed);
  NdArray b = test::random_array({4}, seed + 1);
  layer->set_weights(in, {w, b});
  return layer;
}

double loss(const LearnableCropLayer& layer, const Tensor& x, const Tensor& g) {
  const Tensor y = layer.reference(x);
  double sum = 0;
  for (size_t i = 0; i < y.data.size(); ++i) sum += static_cast<double>(y.data[i]) * g.data[i];
  return sum;
}

}  // namespace

TEST_CASE("an integer box of the output's size is exactly the integer crop", "[learnable_crop]") {
  const Shape in = image(2, 3, 9, 11);
  const Tensor x = test::random_tensor(in, 1);
  auto layer = crop_layer({{"output_size", {4, 5}}});
  layer->set_weights(in, {array({4}, {2, 3, 4, 5})});
  const Tensor expected = [&] {
    Tensor t(layer->output_shape(in));
    for (int64_t n = 0; n < 2; ++n)
      for (int64_t c = 0; c < 3; ++c)
        for (int64_t i = 0; i < 4; ++i)
          for (int64_t j = 0; j < 5; ++j) t.at(n, c, 0, i, j) = x.at(n, c, 0, i + 2, j + 3);
    return t;
  }();
  CHECK(test::max_relative_error(layer->reference(x), expected) == 0.0);
  CHECK(test::max_relative_error(test::run_on_gpu(*layer, x), expected) < 1e-6);
}

TEST_CASE("LearnableCrop forward on the GPU matches the reference", "[learnable_crop][gpu]") {
  const std::pair<std::vector<float>, std::vector<int64_t>> boxes[] = {
      {{1.3f, 2.6f, 5.2f, 3.7f}, {4, 3}},     // fractional, upscaling
      {{-2.5f, 6.25f, 9.5f, 8.0f}, {3, 5}},   // partly outside: zeros come in
      {{0.4f, 0.7f, 12.0f, 14.0f}, {5, 6}},   // downscaling
      {{30.0f, 30.0f, 4.0f, 4.0f}, {2, 2}},   // entirely outside
  };
  for (const char* format : {"channels_last", "channels_first"}) {
    const Shape in = image(2, 3, 10, 12);
    const Tensor x = test::random_tensor(in, 3);
    for (const auto& [box, size] : boxes) {
      auto layer = crop_layer({{"output_size", size}, {"data_format", format}});
      layer->set_weights(in, {array({4}, box)});
      test::require_gpu_matches_reference(*layer, x, 1e-5);
    }
    auto predicted = predicted_layer(in, {{"output_size", {4, 7}}, {"data_format", format}, {"min_size", {2, 3}}}, 9);
    test::require_gpu_matches_reference(*predicted, x, 1e-5);
  }
}

TEST_CASE("LearnableCrop backward on the GPU matches the reference", "[learnable_crop][gpu]") {
  const Shape in = image(3, 2, 9, 13);
  const Tensor x = test::random_tensor(in, 5);
  auto check = [&](const LearnableCropLayer& layer) {
    const Tensor g = test::random_tensor(layer.output_shape(in), 6);
    const CropGradients cpu = layer.reference_backward(x, g);
    const CropGradients gpu = layer.backward(test::gpu(), x, g);
    test::require_validation_clean(test::gpu());
    CHECK(test::max_relative_error(gpu.input, cpu.input) < 1e-5);
    REQUIRE(gpu.weights.size() == cpu.weights.size());
    for (size_t i = 0; i < cpu.weights.size(); ++i) {
      REQUIRE(gpu.weights[i].shape == cpu.weights[i].shape);
      for (size_t k = 0; k < cpu.weights[i].size(); ++k) {
        INFO("weight " << i << " element " << k);
        CHECK(gpu.weights[i].data[k] == Approx(cpu.weights[i].data[k]).epsilon(1e-4).margin(1e-4));
      }
    }
  };
  auto weight_mode = crop_layer({{"output_size", {6, 5}}});
  weight_mode->set_weights(in, {array({4}, {-1.3f, 2.45f, 7.7f, 6.1f})});
  check(*weight_mode);
  check(*predicted_layer(in, {{"output_size", {5, 4}}, {"min_size", {2, 2}}}, 21));
}

TEST_CASE("LearnableCrop gradients agree with finite differences", "[learnable_crop]") {
  const Shape in = image(2, 2, 8, 9);
  const Tensor x = test::random_tensor(in, 7);
  auto check_weights = [&](LearnableCropLayer& layer) {
    const Tensor g = test::random_tensor(layer.output_shape(in), 8);
    const CropGradients analytic = layer.reference_backward(x, g);
    std::vector<NdArray> w = layer.weights();
    for (size_t a = 0; a < w.size(); ++a)
      for (size_t k = 0; k < w[a].size(); ++k) {
        const float eps = 1e-3f;
        auto shifted = w;
        shifted[a].data[k] += eps;
        layer.set_weights(in, shifted);
        const double up = loss(layer, x, g);
        shifted[a].data[k] -= 2 * eps;
        layer.set_weights(in, shifted);
        const double down = loss(layer, x, g);
        layer.set_weights(in, w);
        INFO("weight " << a << " element " << k);
        CHECK(analytic.weights[a].data[k] == Approx((up - down) / (2 * eps)).epsilon(2e-2).margin(2e-3));
      }
    // A few input elements: the output is linear in the input (plus the head's mean path).
    for (size_t idx : {size_t{0}, size_t{17}, size_t{40}, x.data.size() - 1}) {
      Tensor xp = x, xm = x;
      xp.data[idx] += 1e-2f;
      xm.data[idx] -= 1e-2f;
      INFO("input element " << idx);
      CHECK(analytic.input.data[idx] == Approx((loss(layer, xp, g) - loss(layer, xm, g)) / 2e-2).epsilon(2e-2).margin(2e-3));
    }
  };
  auto weight_mode = crop_layer({{"output_size", {5, 6}}});
  weight_mode->set_weights(in, {array({4}, {1.37f, 0.81f, 5.33f, 6.71f})});
  check_weights(*weight_mode);
  auto predicted = predicted_layer(in, {{"output_size", {4, 4}}, {"min_size", {1.5, 2.5}}}, 31);
  check_weights(*predicted);
}

TEST_CASE("LearnableCrop configuration and weight errors", "[learnable_crop][args]") {
  REQUIRE_THROWS_WITH(crop_layer(json::object()), Catch::Contains("LearnableCrop 'lc': output_size: missing"));
  REQUIRE_THROWS_WITH(crop_layer({{"output_size", {4, 0}}}), Catch::Contains("output_size"));
  REQUIRE_THROWS_WITH(crop_layer({{"output_size", {4, 4}}, {"box_source", "guess"}}), Catch::Contains("box_source"));
  REQUIRE_THROWS_WITH(crop_layer({{"output_size", {4, 4}}, {"min_size", {-1, 2}}}), Catch::Contains("min_size"));
  const Shape in = image(1, 1, 6, 6);
  auto layer = crop_layer({{"output_size", {3, 3}}});
  REQUIRE_THROWS_WITH(layer->reference(test::random_tensor(in, 1)), Catch::Contains("weights: none given"));
  layer->set_weights(in, {array({4}, {0, 0, 0, 3})});
  REQUIRE_THROWS_WITH(layer->reference(test::random_tensor(in, 1)), Catch::Contains("positive height and width"));
  REQUIRE_THROWS_WITH(layer->set_weights(in, {array({3}, {0, 0, 1})}), Catch::Contains("expected (4,)"));
  auto big = crop_layer({{"output_size", {3, 3}}, {"box_source", "predicted"}, {"min_size", {7, 2}}});
  REQUIRE_THROWS_WITH(big->output_shape(in), Catch::Contains("min_size"));
}
