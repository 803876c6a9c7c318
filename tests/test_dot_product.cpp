// The dot-product read-out of a conv output adds up to the layer's own output value.
#include <catch2/catch.hpp>

#include "layer_check.h"
#include "layers/conv/conv_layers.h"

using namespace convscope;

TEST_CASE("the dot product behind a conv output sums to that output, padded taps marked", "[conv]") {
  Shape in;
  in.n = 1, in.c = 4, in.h = 6, in.w = 7;
  const Tensor x = test::random_tensor(in, 1);
  auto layer = test::make_layer(nlohmann::json::parse(
      R"({"class_name": "Conv2D", "config": {"filters": 4, "kernel_size": [3, 2], "strides": 2, "groups": 2,
          "dilation_rate": [1, 2], "padding": "same", "activation": "tanh"}})"));
  std::vector<NdArray> w;
  for (const auto& s : layer->weight_shapes(in)) w.push_back(test::random_array(s, 5 + static_cast<uint32_t>(w.size())));
  layer->set_weights(in, w);
  const Tensor y = layer->reference(x);
  bool saw_padding = false;
  for (int64_t c = 0; c < y.shape.c; ++c)
    for (int64_t oy = 0; oy < y.shape.h; ++oy)
      for (int64_t ox = 0; ox < y.shape.w; ++ox) {
        const auto d = layer->dot_product(
            in, [&](int64_t ic, int64_t z, int64_t yy, int64_t xx) { return x.at(0, ic, z, yy, xx); }, c, 0, oy, ox);
        REQUIRE(d);
        CHECK(d->terms.size() == 2 * 3 * 2);  // in channels per group x taps
        for (const auto& t : d->terms) saw_padding |= t.padded;
        CHECK(d->output == Approx(y.at(0, c, 0, oy, ox)).margin(1e-6));
      }
  CHECK(saw_padding);
}
