// Flatten, Reshape, Permute, RepeatVector, the identities, Dense and the merges: Keras'
// element order checked against to_keras (code the layers do not share), the GPU against
// the reference on awkward shapes, and Keras' errors.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "gpu.h"
#include "layer_check.h"

using namespace convscope;
using json = nlohmann::json;

namespace {

Shape keras_shape(std::vector<int64_t> dims, DataFormat f = DataFormat::ChannelsLast) {
  return shape_from_keras(dims, f, "test");
}

std::unique_ptr<Layer> layer(const std::string& cls, json config = json::object()) {
  return test::make_layer({{"class_name", cls}, {"config", config}});
}

}  // namespace

TEST_CASE("Flatten follows Keras' element order in both formats", "[reshape]") {
  for (const DataFormat f : {DataFormat::ChannelsLast, DataFormat::ChannelsFirst}) {
    const Tensor in = test::random_tensor(keras_shape({2, 3, 5, 4}, f), 1);
    const auto flat = layer("Flatten");
    const Tensor out = flat->reference(in);
    CHECK(out.shape.spatial_rank == 0);
    CHECK(out.data == to_keras(in, f).data);  // row-major in the tensor's own Keras order
    test::require_gpu_matches_reference(*flat, in, 0);
  }
  // data_format channels_first moves axis 1 last first: (2, 3, 5, 4) read as (2, 5, 4, 3).
  const Tensor in = test::random_tensor(keras_shape({2, 3, 5, 4}, DataFormat::ChannelsFirst), 2);
  const Tensor out = layer("Flatten", {{"data_format", "channels_first"}})->reference(in);
  const NdArray k = to_keras(in, DataFormat::ChannelsFirst);
  CHECK(out.data[1] == k.data[1 * 20 + 0]);  // (n 0, h 0, w 0, c 1)
  CHECK(out.data[3] == k.data[0 * 20 + 1]);  // (n 0, h 0, w 1, c 0)
}

TEST_CASE("Reshape, Permute, RepeatVector and the identities on the GPU equal the reference", "[reshape]") {
  const Tensor img = test::random_tensor(keras_shape({2, 5, 7, 3}), 3);
  for (const json& target : {json{-1, 3}, json{7, 5, 3}, json{105}, json{3, -1, 5}}) {
    INFO(target.dump());
    const auto r = layer("Reshape", {{"target_shape", target}});
    const Tensor out = r->reference(img);
    CHECK(to_keras(out, out.shape.format).data == to_keras(img, DataFormat::ChannelsLast).data);
    test::require_gpu_matches_reference(*r, img, 0);
  }
  const auto p = layer("Permute", {{"dims", {2, 1, 3}}});
  const Tensor pt = p->reference(img);
  CHECK(pt.shape.keras() == std::vector<int64_t>{2, 7, 5, 3});
  CHECK(pt.at(1, 2, 0, 4, 3) == img.at(1, 2, 0, 3, 4));
  test::require_gpu_matches_reference(*p, img, 0);
  const Tensor vec = test::random_tensor(keras_shape({3, 6}), 4);
  const auto rv = layer("RepeatVector", {{"n", 4}});
  CHECK(rv->reference(vec).shape.keras() == std::vector<int64_t>{3, 4, 6});
  test::require_gpu_matches_reference(*rv, vec, 0);
  for (const char* id : {"Dropout", "GaussianNoise", "SpatialDropout2D", "AlphaDropout"}) {
    const auto l = layer(id, {{"seed", 1}});
    CHECK(l->reference(img).data == img.data);
    test::require_gpu_matches_reference(*l, img, 0);
  }
}

TEST_CASE("reshaping layers refuse what Keras refuses", "[reshape]") {
  const Shape img = keras_shape({1, 5, 7, 3});
  CHECK_THROWS_WITH(layer("Reshape", {{"name", "r"}, {"target_shape", {4, -1}}})->output_shape(img),
                    Catch::Contains("Reshape 'r': target_shape: the total size must be unchanged"));
  CHECK_THROWS_WITH(layer("Reshape", {{"target_shape", {-1, -1}}}), Catch::Contains("at most one unknown"));
  CHECK_THROWS_WITH(layer("Permute", {{"dims", {1, 1, 3}}}), Catch::Contains("not a permutation"));
  CHECK_THROWS_WITH(layer("Permute", {{"dims", {2, 1}}})->output_shape(img), Catch::Contains("permutes 2 axes"));
  CHECK_THROWS_WITH(layer("RepeatVector", {{"n", 2}})->output_shape(img), Catch::Contains("(batch, features) vector"));
  CHECK_THROWS_WITH(layer("Dropout", {{"rate", 1.5}}), Catch::Contains("rate: 1.5 is not a float between 0 and 1"));
}

TEST_CASE("Dense acts on the last Keras axis of any rank", "[dense]") {
  for (const Shape& s : {keras_shape({3, 7}), keras_shape({2, 5, 7, 3}), keras_shape({2, 3, 5, 4}, DataFormat::ChannelsFirst),
                         keras_shape({1, 2, 3, 4, 5})}) {
    auto d = layer("Dense", {{"units", 6}, {"activation", "relu"}});
    const std::vector<int64_t> k = s.keras();
    d->set_weights(s, {test::random_array({k.back(), 6}, 5), test::random_array({6}, 6)});
    const Tensor in = test::random_tensor(s, 7);
    const Tensor out = d->reference(in);
    std::vector<int64_t> want = k;
    want.back() = 6;
    CHECK(out.shape.keras() == want);
    // One output by hand: the first row of Keras order, unit 2.
    const NdArray ki = to_keras(in, s.format), ko = to_keras(out, out.shape.format);
    double acc = d->weights()[1].data[2];
    for (int64_t f = 0; f < k.back(); ++f) acc += ki.data[static_cast<size_t>(f)] * d->weights()[0].data[static_cast<size_t>(f * 6 + 2)];
    CHECK(ko.data[2] == Approx(std::max(acc, 0.0)).margin(1e-6));
    test::require_gpu_matches_reference(*d, in, 1e-5);
  }
  CHECK_THROWS_WITH(layer("Dense"), Catch::Contains("units: is required"));
  CHECK(layer("Dense", {{"output_dim", 3}})->keras_config()["units"] == 3);  // Keras 1
}

TEST_CASE("merges broadcast as Keras and refuse what it refuses", "[merge]") {
  const Tensor a = test::random_tensor(keras_shape({2, 5, 7, 3}), 8);
  const Tensor b = test::random_tensor(keras_shape({2, 1, 7, 1}), 9);
  const Tensor v = test::random_tensor(keras_shape({2, 3}), 10);  // right-aligned: (1, 1, 3)
  for (const char* cls : {"Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"}) {
    INFO(cls);
    const auto m = layer(cls);
    test::require_node_gpu_matches_reference(*m, {a, b}, 1e-6);
    if (std::string(cls) != "Subtract") test::require_node_gpu_matches_reference(*m, {a, v, b}, 1e-6);
    const Tensor* in[] = {&a, &b};
    const Tensor out = m->node_reference(in);
    const float x = a.at(1, 2, 0, 3, 4), y = b.at(1, 0, 0, 0, 4);
    const float want = std::string(cls) == "Add" ? x + y : std::string(cls) == "Subtract" ? x - y
                       : std::string(cls) == "Multiply" ? x * y : std::string(cls) == "Average" ? (x + y) / 2
                       : std::string(cls) == "Maximum" ? std::max(x, y) : std::min(x, y);
    CHECK(out.at(1, 2, 0, 3, 4) == Approx(want).margin(1e-6));
  }
  const auto add = layer("Add", {{"name", "add"}});
  const Tensor bad = test::random_tensor(keras_shape({2, 5, 6, 3}), 11);
  const Tensor* pair[] = {&a, &bad};
  CHECK_THROWS_WITH(add->node_reference(pair), Catch::Contains("Add 'add': inputs have incompatible shapes: [(2, 5, 7, 3), (2, 5, 6, 3)]"));
  CHECK_THROWS_WITH(add->reference(a), Catch::Contains("at least 2 inputs, got 1"));
  const Tensor* three[] = {&a, &a, &a};
  CHECK_THROWS_WITH(layer("Subtract")->node_reference(three), Catch::Contains("exactly 2 inputs"));

  const Tensor c = test::random_tensor(keras_shape({2, 5, 7, 2}), 12);
  const auto cat = layer("Concatenate");
  const Tensor* ac[] = {&a, &c};
  const Tensor joined = cat->node_reference(ac);
  CHECK(joined.shape.keras() == std::vector<int64_t>{2, 5, 7, 5});
  CHECK(joined.at(1, 4, 0, 2, 3) == c.at(1, 1, 0, 2, 3));
  test::require_node_gpu_matches_reference(*cat, {a, c}, 0);
  test::require_node_gpu_matches_reference(*layer("Concatenate", {{"axis", 1}}), {a, a}, 0);
  CHECK_THROWS_WITH(layer("Concatenate", {{"axis", 1}})->node_reference(ac), Catch::Contains("matching shapes except"));
  CHECK_THROWS_WITH(layer("Concatenate", {{"axis", 4}})->node_reference(ac), Catch::Contains("axis: 4 is out of range"));
}

TEST_CASE("merges of same-shape tensors (a vec4 per invocation, Concatenate by transfers) equal the reference, fp16 too", "[merge]") {
  // 210 and 7 elements: not multiples of 4, so the tail path runs too; three inputs fold the
  // running result (the output) in as an operand.
  const auto fp16 = test::fp16_context();
  for (const std::vector<int64_t>& dims : {std::vector<int64_t>{2, 5, 7, 3}, std::vector<int64_t>{1, 7}, std::vector<int64_t>{1, 4, 4, 8}}) {
    const Tensor a = test::random_tensor(keras_shape(dims), 30), b = test::random_tensor(keras_shape(dims), 31);
    const Tensor c = test::random_tensor(keras_shape(dims), 32);
    for (const char* cls : {"Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"}) {
      INFO(cls << " " << dims.size());
      const auto m = layer(cls);
      test::require_node_gpu_matches_reference(*m, {a, b}, 1e-6);
      if (std::string(cls) != "Subtract") test::require_node_gpu_matches_reference(*m, {a, b, c}, 1e-6);
      if (fp16) test::require_node_gpu_matches_reference(*fp16, *m, {a, b}, 2e-3);
    }
    // Equal Keras dims in two data formats pair elements in another order than memory's: the
    // general kernel, not the same-shape one.
    const Tensor cf = test::random_tensor(keras_shape({1, 4, 4, 4}, DataFormat::ChannelsFirst), 40);
    const Tensor cl = test::random_tensor(keras_shape({1, 4, 4, 4}), 41);
    test::require_node_gpu_matches_reference(*layer("Add"), {cf, cl}, 1e-6);
    test::require_node_gpu_matches_reference(*layer("Subtract"), {cl, cf}, 1e-6);
    // Concatenate's slices as transfer regions (runs of 32 elements or more) or the kernel,
    // with 2-byte elements too.
    for (const int64_t axis : {-1, 1}) {
      const auto cat = layer("Concatenate", {{"axis", axis}});
      test::require_node_gpu_matches_reference(*cat, {a, b, c}, 0);
      if (fp16) test::require_node_gpu_matches_reference(*fp16, *cat, {a, b}, 2e-3);
    }
  }
}

TEST_CASE("merge source regions: each branch's pixels an output reads, by brute force", "[merge]") {
  // Raise one input position far above the rest and see which outputs change.
  struct Case {
    const char* cls;
    json config;
    std::vector<std::vector<int64_t>> shapes;
  };
  const Case cases[] = {
      {"Add", json::object(), {{1, 5, 6, 2}, {1, 5, 6, 2}}},
      {"Multiply", json::object(), {{1, 5, 6, 2}, {1, 1, 6, 2}, {1, 5, 1, 1}}},
      {"Concatenate", {{"axis", -1}}, {{1, 4, 5, 2}, {1, 4, 5, 3}}},
      {"Concatenate", {{"axis", 1}}, {{1, 3, 5, 2}, {1, 4, 5, 2}}},
      {"Concatenate", {{"axis", 2}}, {{1, 4, 2, 2}, {1, 4, 3, 2}, {1, 4, 1, 2}}},
  };
  for (const Case& c : cases) {
    INFO(c.cls << " " << c.config.dump());
    const auto merge = layer(c.cls, c.config);
    std::vector<Tensor> xs;
    std::vector<Shape> shapes;
    for (size_t k = 0; k < c.shapes.size(); ++k) {
      xs.push_back(test::random_tensor(keras_shape(c.shapes[k]), 20 + k));
      shapes.push_back(xs.back().shape);
    }
    auto run = [&](const std::vector<Tensor>& in) {
      std::vector<const Tensor*> ptrs;
      for (const Tensor& t : in) ptrs.push_back(&t);
      return merge->node_reference(ptrs);
    };
    const Tensor base = run(xs);
    for (size_t k = 0; k < xs.size(); ++k)
      for (int64_t oy = 0; oy < base.shape.h; ++oy)
        for (int64_t ox = 0; ox < base.shape.w; ++ox) {
          Layer::Region expected{{{INT64_MAX, INT64_MIN}, {INT64_MAX, INT64_MIN}, {0, 0}}};
          for (int64_t y = 0; y < shapes[k].h; ++y)
            for (int64_t x = 0; x < shapes[k].w; ++x) {
              std::vector<Tensor> p = xs;
              for (int64_t ch = 0; ch < shapes[k].c; ++ch) p[k].at(0, ch, 0, y, x) += 100.0f;
              const Tensor out = run(p);
              bool changed = false;
              for (int64_t ch = 0; ch < base.shape.c; ++ch) changed |= out.at(0, ch, 0, oy, ox) != base.at(0, ch, 0, oy, ox);
              if (!changed) continue;
              expected[0] = {std::min(expected[0].first, y), std::max(expected[0].second, y)};
              expected[1] = {std::min(expected[1].first, x), std::max(expected[1].second, x)};
            }
          INFO("input " << k << " output (" << oy << ", " << ox << ")");
          const Layer::Region got = merge->node_source_region(shapes, k, {{{oy, oy}, {ox, ox}, {0, 0}}});
          if (expected[0].first == INT64_MAX) {  // reads nothing of input k: an empty region
            CHECK((got[0].first > got[0].second || got[1].first > got[1].second));
          } else {
            CHECK(got[0] == expected[0]);
            CHECK(got[1] == expected[1]);
          }
        }
  }
}
