// Keras activations (layers/activation/): the double reference against hand-checked values,
// every function on the GPU against it over every rank and format and at extreme inputs,
// fused into convolutions (softmax over the last Keras axis), and with 16-bit tensors.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "activation_check.h"
#include "core/half.h"
#include "gpu.h"
#include "layer_check.h"
#include "layers/activation/activation.h"
#include "layers/keras_generation.h"

using namespace convscope;
using nlohmann::json;

namespace {

double act(const std::string& name, double x) { return apply_activation(parse_activation(name, "t"), x); }

ActivationSpec relu_with(double slope, std::optional<double> max_value, double threshold) {
  ActivationSpec s{.kind = ActivationKind::Relu};
  s.negative_slope = slope;
  s.max_value = max_value;
  s.threshold = threshold;
  return s;
}

std::vector<float> values(const ActivationSpec& s, std::vector<float> x) {
  Shape shape;
  shape.spatial_rank = 0;
  shape.c = static_cast<int64_t>(x.size());
  Tensor t(shape);
  t.data = std::move(x);
  apply_activation(s, t);
  return t.data;
}

std::unique_ptr<Layer> conv_with(const std::string& cls, const json& config, const Shape& input, uint32_t seed) {
  auto layer = test::activation_layer(cls, config);
  std::vector<NdArray> weights;
  for (const auto& s : layer->weight_shapes(input)) weights.push_back(test::random_array(s, seed++));
  layer->set_weights(input, std::move(weights));
  return layer;
}

}  // namespace

TEST_CASE("the reference follows Keras' definitions", "[activation]") {
  CHECK(act("linear", -2.5) == -2.5);
  CHECK(act("relu", -2) == 0);
  CHECK(act("relu6", 7) == 6);
  CHECK(act("leaky_relu", -1) == Approx(-0.2));  // keras.activations.leaky_relu's default slope
  CHECK(act("elu", -1) == Approx(std::exp(-1.0) - 1));
  CHECK(act("selu", -1) == Approx(-1.1113307378125625));
  CHECK(act("selu", 2) == Approx(2.101401974710961));
  CHECK(act("gelu", 1) == Approx(0.8413447460685429));
  CHECK(act("gelu", -6) == Approx(-5.919525870226207e-09).epsilon(1e-9));
  CHECK(act("gelu_new", 1) == Approx(0.8411919906082768));  // tfjs: the tanh form
  CHECK(act("sigmoid", 0) == 0.5);
  CHECK(act("hard_sigmoid", 1) == Approx(4.0 / 6));  // Keras 3: relu6(x + 3) / 6
  CHECK(act("hard_sigmoid_keras2", 1) == Approx(0.7));
  CHECK(act("hard_sigmoid_keras2", -2.6) == 0);
  CHECK(act("hard_silu", 1) == Approx(4.0 / 6));
  CHECK(act("hard_swish", -4) == 0);
  CHECK(act("hard_silu", 4) == 4);
  CHECK(act("tanh", 0.5) == Approx(std::tanh(0.5)));
  CHECK(act("softplus", 0) == Approx(std::log(2.0)));
  CHECK(act("softplus", 800) == 800);  // no overflow in exp
  CHECK(act("softsign", -3) == Approx(-0.75));
  CHECK(act("silu", 1) == Approx(0.7310585786300049));
  CHECK(act("swish", 1) == act("silu", 1));
  CHECK(act("mish", 1) == Approx(0.8650983882673103));
  CHECK(act("exponential", 1) == Approx(std::exp(1.0)));
  CHECK(std::isinf(static_cast<float>(act("exponential", 100))));  // overflows as Keras' float32 does

  // Keras' relu(x, negative_slope, max_value, threshold), its docstring's examples.
  const std::vector<float> x = {-10, -5, 0, 5, 10};
  CHECK(values(relu_with(0.5, std::nullopt, 0), x) == std::vector<float>{-5, -2.5, 0, 5, 10});
  CHECK(values(relu_with(0, 5.0, 0), x) == std::vector<float>{0, 0, 0, 5, 5});
  CHECK(values(relu_with(0, std::nullopt, 5), x) == std::vector<float>{0, 0, 0, 0, 10});  // x == threshold gives 0
  CHECK(values(relu_with(0.5, 6.0, 1), {-1, 0, 1, 2, 7}) == std::vector<float>{-1, -0.5, 0, 2, 6});

  const std::vector<float> s = values(parse_activation("softmax", "t"), {1, 2, 1});
  CHECK(s[0] == Approx(0.21194157));
  CHECK(s[1] == Approx(0.5761169));
  const std::vector<float> l = values(parse_activation("log_softmax", "t"), {1, 2, 1});
  CHECK(l[1] == Approx(std::log(0.5761169)));
  CHECK_THROWS_WITH(act("softmax", 1), Catch::Contains("internal") && Catch::Contains("not elementwise"));
}

TEST_CASE("softmax reduces over Keras axes, read in the tensor's format", "[activation]") {
  // channels_first (N, C, H, W): axis -1 is W, not the channels.
  Tensor t = test::random_tensor(test::activation_shape(2, DataFormat::ChannelsFirst, 2, 3, {4, 5}), 3);
  Tensor last = t;
  apply_activation(parse_activation("softmax", "t"), last);
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t c = 0; c < 3; ++c)
      for (int64_t y = 0; y < 4; ++y) {
        double sum = 0;
        for (int64_t x = 0; x < 5; ++x) sum += last.at(n, c, 0, y, x);
        CHECK(sum == Approx(1.0));
      }
  // The same tensor read channels_last: axis -1 is the channels.
  Tensor cl = t;
  cl.shape.format = DataFormat::ChannelsLast;
  apply_activation(parse_activation("softmax", "t"), cl);
  double sum = 0;
  for (int64_t c = 0; c < 3; ++c) sum += cl.at(1, c, 0, 2, 3);
  CHECK(sum == Approx(1.0));

  // Several axes at once, and every axis (Keras 3's axis=None): the batch too.
  ActivationSpec spatial{.kind = ActivationKind::Softmax, .axes = std::vector<int64_t>{2, 3}};  // H, W
  Tensor h_w = t;
  apply_activation(spatial, h_w);
  sum = 0;
  for (int64_t y = 0; y < 4; ++y)
    for (int64_t x = 0; x < 5; ++x) sum += h_w.at(1, 2, 0, y, x);
  CHECK(sum == Approx(1.0));
  ActivationSpec every{.kind = ActivationKind::Softmax, .axes = std::nullopt};
  Tensor all = t;
  apply_activation(every, all);
  sum = 0;
  for (float v : all.data) sum += v;
  CHECK(sum == Approx(1.0));

  const Shape image = test::activation_shape(2, DataFormat::ChannelsLast, 1, 3, {5, 6});
  ActivationSpec bad{.kind = ActivationKind::Softmax, .axes = std::vector<int64_t>{4}};
  CHECK_THROWS_WITH(check_activation_fits(bad, image, "Softmax 's'"),
                    "Softmax 's': axis: 4 is outside the input's 4 axes (batch, rows, cols, channels), shape (1, 5, 6, 3)");
  bad.axes = std::vector<int64_t>{1, -3};
  CHECK_THROWS_WITH(check_activation_fits(bad, image, "Softmax 's'"), "Softmax 's': axis: (1, -3) names axis 1 twice");
  const auto r = reduced_axes(ActivationSpec{.kind = ActivationKind::Softmax}, image, "s");
  CHECK(r == std::array<bool, 5>{false, true, false, false, false});  // channels_last -1: C
}

TEST_CASE("every activation on the GPU matches the reference over every rank and format, extremes included",
          "[activation][gpu]") {
  uint32_t seed = 10;
  for (const std::string& name : activation_names()) {
    auto layer = test::activation_layer("Activation", {{"activation", name}});
    for (const Shape& shape : test::awkward_shapes()) {
      INFO(name << " on " << shape_string(shape.keras()) << " " << to_string(shape.format));
      test::require_recorded_matches_reference(test::gpu(), *layer, test::extreme_tensor(shape, seed++), 1e-5);
    }
  }
}

TEST_CASE("the GPU overflows and saturates where Keras does", "[activation][gpu]") {
  constexpr float inf = std::numeric_limits<float>::infinity();
  Shape s;
  s.spatial_rank = 0;
  s.c = 6;
  Tensor x(s);
  x.data = {100.0f, -100.0f, 1e30f, -1e30f, 89.0f, -104.0f};
  struct Expect { const char* name; std::vector<float> out; };
  const Expect cases[] = {
      {"exponential", {inf, 0, inf, 0, inf, 0}},
      {"softplus", {100, 0, 1e30f, 0, 89, 0}},
      {"sigmoid", {1, 0, 1, 0, 1, 0}},
      {"tanh", {1, -1, 1, -1, 1, -1}},
      {"gelu", {100, 0, 1e30f, 0, 89, 0}},
      {"gelu_new", {100, 0, 1e30f, 0, 89, 0}},
      {"silu", {100, 0, 1e30f, 0, 89, 0}},
      {"mish", {100, 0, 1e30f, 0, 89, 0}},
      {"elu", {100, -1, 1e30f, -1, 89, -1}},
      {"softsign", {100.0f / 101, -100.0f / 101, 1, -1, 89.0f / 90, -104.0f / 105}},
  };
  for (const Expect& e : cases) {
    INFO(e.name);
    auto layer = test::activation_layer("Activation", {{"activation", e.name}});
    const Tensor gpu = test::run_on_gpu(*layer, x), ref = layer->reference(x);
    for (size_t i = 0; i < x.data.size(); ++i) {
      INFO("x = " << x.data[i]);
      CHECK(gpu.data[i] == Approx(e.out[i]).epsilon(1e-6).margin(1e-30));
      CHECK(ref.data[i] == Approx(e.out[i]).epsilon(1e-6).margin(1e-30));
    }
  }
}

TEST_CASE("a convolution's activation is every Keras function, softmax over the last Keras axis",
          "[activation][conv][gpu]") {
  uint32_t seed = 200;
  for (const std::string& name : activation_names()) {
    for (const char* format : {"channels_last", "channels_first"}) {
      INFO(name << " " << format);
      const Shape in = test::activation_shape(2, format[9] == 'l' ? DataFormat::ChannelsLast : DataFormat::ChannelsFirst,
                                              2, 3, {6, 5});
      auto conv = conv_with("Conv2D", {{"filters", 4}, {"kernel_size", 2}, {"activation", name}, {"data_format", format}},
                            in, seed++);
      Tensor x = test::random_tensor(in, seed++);
      for (float& v : x.data) v *= 3.0f;  // reach the curved parts of each function
      test::require_recorded_matches_reference(test::gpu(), *conv, x, 1e-5);
      CHECK(conv->keras_config()["activation"] == activation_config(parse_activation(name, "t")));
    }
  }
  // Keras applies softmax on the output's last axis: the filters channels_last, W channels_first.
  for (const char* format : {"channels_last", "channels_first"}) {
    INFO(format);
    const bool last = format[9] == 'l';
    const Shape in = test::activation_shape(1, last ? DataFormat::ChannelsLast : DataFormat::ChannelsFirst, 2, 3, {9});
    for (const char* cls : {"Conv1D", "SeparableConv1D", "DepthwiseConv1D"}) {
      INFO(cls);
      json config = {{"kernel_size", 3}, {"activation", "softmax"}, {"data_format", format}};
      if (cls[0] != 'D') config["filters"] = 4;
      auto conv = conv_with(cls, config, in, seed++);
      const Tensor x = test::random_tensor(in, seed++);
      const Tensor y = conv->reference(x);
      for (int64_t n = 0; n < y.shape.n; ++n) {
        double sum = 0;
        if (last)
          for (int64_t c = 0; c < y.shape.c; ++c) sum += y.at(n, c, 0, 0, 4);
        else
          for (int64_t w = 0; w < y.shape.w; ++w) sum += y.at(n, 1, 0, 0, w);
        CHECK(sum == Approx(1.0));
      }
      test::require_recorded_matches_reference(test::gpu(), *conv, x, 1e-5);
      // The read-out of one output value applies the same softmax.
      if (cls[0] == 'S') continue;  // separable layers have no dot-product read-out
      for (int64_t c = 0; c < y.shape.c; ++c)
        for (int64_t w = 0; w < y.shape.w; ++w) {
          const auto d = conv->dot_product(
              in, [&](int64_t ic, int64_t z, int64_t yy, int64_t xx) { return x.at(0, ic, z, yy, xx); }, c, 0, 0, w);
          REQUIRE(d);
          CHECK(d->activation == "softmax");
          CHECK(d->output == Approx(y.at(0, c, 0, 0, w)).margin(1e-6));
        }
    }
  }
}

TEST_CASE("with 16-bit tensors the activation shaders stay within half precision", "[activation][fp16][gpu]") {
  const auto fp16 = test::fp16_context();
  if (!fp16) {
    SUCCEED("this device has no 16-bit storage buffers");
    return;
  }
  vk::Context& ctx = *fp16;
  const Shape in = test::activation_shape(2, DataFormat::ChannelsFirst, 2, 3, {5, 4});
  std::vector<std::unique_ptr<Layer>> layers;
  layers.push_back(test::activation_layer("Activation", {{"activation", "gelu"}}));
  layers.push_back(test::activation_layer("Softmax", {{"axis", {1, 3}}}));
  layers.push_back(test::activation_layer("Activation", {{"activation", "log_softmax"}}));
  layers.push_back(test::activation_layer("PReLU", {{"shared_axes", {2, 3}}}));
  uint32_t seed = 5;
  for (auto& layer : layers) {
    INFO(layer->class_name());
    std::vector<NdArray> weights;
    for (const auto& s : layer->weight_shapes(in)) weights.push_back(test::random_array(s, seed++));
    layer->set_weights(in, std::move(weights));
    Tensor x = test::random_tensor(in, seed++);
    x.data = from_half(to_half(x.data));  // what the device holds
    const Tensor out = test::run_recorded(ctx, *layer, x);
    CHECK(test::max_relative_error(out, layer->reference(x)) <= 1e-3);
  }
}
