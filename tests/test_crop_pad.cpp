// Cropping1D/2D/3D and ZeroPadding1D/2D/3D: argument forms, shape rules, Keras' errors, and
// the GPU against the CPU reference over awkward shapes.
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/error.h"
#include "layer_check.h"
#include "layers/remap/remap_copies.h"
#include "layers/window/window_layers.h"

using namespace convscope;
using nlohmann::json;

namespace {

std::array<SidePair, 3> sides_of(const json& spec) {
  auto layer = test::make_layer(spec);
  auto* w = dynamic_cast<WindowLayer*>(layer.get());
  REQUIRE(w != nullptr);
  return w->sides();
}

bool equal(const std::array<SidePair, 3>& a, std::initializer_list<std::pair<int64_t, int64_t>> b, int rank) {
  int i = 0;
  for (auto [before, after] : b) {
    if (a[i].before != before || a[i].after != after) return false;
    ++i;
  }
  return i == rank;
}

json layer(const std::string& cls, const std::string& key, json value, const std::string& format = "channels_last") {
  return {{"class_name", cls}, {"config", {{"name", "w"}, {key, value}, {"data_format", format}}}};
}

}  // namespace

TEST_CASE("every Keras argument form of cropping and padding is read", "[crop][pad][args]") {
  CHECK(equal(sides_of(layer("Cropping1D", "cropping", 2)), {{2, 2}}, 1));
  CHECK(equal(sides_of(layer("Cropping1D", "cropping", {1, 3})), {{1, 3}}, 1));
  CHECK(equal(sides_of(layer("ZeroPadding2D", "padding", 3)), {{3, 3}, {3, 3}}, 2));
  CHECK(equal(sides_of(layer("ZeroPadding2D", "padding", {1, 2})), {{1, 1}, {2, 2}}, 2));
  CHECK(equal(sides_of(layer("Cropping2D", "cropping", json::parse("[[1, 2], [3, 4]]"))), {{1, 2}, {3, 4}}, 2));
  CHECK(equal(sides_of(layer("Cropping2D", "cropping", json::parse("[2, [0, 3]]"))), {{2, 2}, {0, 3}}, 2));
  CHECK(equal(sides_of(layer("ZeroPadding3D", "padding", json::parse("[2, [0, 3], [1, 0]]"))), {{2, 2}, {0, 3}, {1, 0}}, 3));
  CHECK(equal(sides_of(layer("Cropping3D", "cropping", 1)), {{1, 1}, {1, 1}, {1, 1}}, 3));
  // Keras 1 forms.
  CHECK(equal(sides_of(layer("ZeroPadding1D", "padding", json::parse(R"({"left_pad": 2})"))), {{2, 0}}, 1));
  CHECK(equal(sides_of(layer("ZeroPadding2D", "padding", json::parse(R"({"top_pad": 1, "right_pad": 4})"))),
              {{1, 0}, {0, 4}}, 2));
  CHECK(equal(sides_of(layer("ZeroPadding2D", "padding", json::parse("[1, 2, 3, 4]"))), {{1, 2}, {3, 4}}, 2));
}

TEST_CASE("Keras 1 dim_ordering selects the data format", "[crop][pad][args]") {
  auto th = test::make_layer(json::parse(R"({"class_name": "ZeroPadding2D", "config": {"padding": [1, 1], "dim_ordering": "th"}})"));
  CHECK(th->data_format() == DataFormat::ChannelsFirst);
  auto tf = test::make_layer(json::parse(R"({"class_name": "Cropping2D", "config": {"cropping": [[1, 1], [1, 1]], "dim_ordering": "tf"}})"));
  CHECK(tf->data_format() == DataFormat::ChannelsLast);
}

TEST_CASE("invalid cropping and padding arguments are refused with the layer and argument named", "[crop][pad][args]") {
  auto refused = [](const json& spec, const std::string& words) {
    INFO(spec.dump());
    REQUIRE_THROWS_AS(test::make_layer(spec), UserError);
    REQUIRE_THROWS_WITH(test::make_layer(spec), Catch::Contains("'w'") && Catch::Contains(words));
  };
  refused(layer("Cropping2D", "cropping", -1), "negative");
  refused(layer("ZeroPadding2D", "padding", json::parse("[1, [2, -3]]")), "negative");
  refused(layer("ZeroPadding1D", "padding", json::parse("[1, 2, 3]")), "pair");
  refused(layer("Cropping3D", "cropping", json::parse("[1, 2]")), "3 items");
  refused(layer("Cropping2D", "cropping", json::parse("[1, [2, 3, 4]]")), "pair");
  refused(layer("Cropping2D", "cropping", 1.5), "not an integer");
  refused(layer("Cropping2D", "cropping", json::parse("[1, 2, 3, 4]")), "4 items");  // the flat form is ZeroPadding2D's
  refused(layer("Cropping2D", "cropping", "two"), "not an integer");
  refused(layer("ZeroPadding2D", "padding", json::parse(R"({"top": 1})")), "unknown key 'top'");
  refused(layer("ZeroPadding3D", "padding", json::parse(R"({"left_pad": 1})")), "1D and 2D");
  refused(layer("ZeroPadding2D", "padding", 1, "channels_middle"), "data_format");
  refused(json::parse(R"({"class_name": "Cropping2D", "config": {"name": "w"}})"), "cropping: missing");
}

TEST_CASE("unknown layer classes and malformed specs are refused", "[crop][args]") {
  REQUIRE_THROWS_WITH(test::make_layer(json::parse(R"({"class_name": "Cropping4D", "config": {}})")),
                      Catch::Contains("Cropping4D: unknown layer class") && Catch::Contains("Cropping2D"));
  REQUIRE_THROWS_AS(test::make_layer(json::parse(R"({"config": {}})")), UserError);
  REQUIRE_THROWS_AS(test::make_layer(json::parse(R"({"class_name": "Cropping2D", "config": [1]})")), UserError);
}

TEST_CASE("output shapes follow Keras, and a crop that empties an axis is refused", "[crop][pad]") {
  Shape in;
  in.n = 2, in.c = 3, in.h = 6, in.w = 5;
  auto crop = test::make_layer(layer("Cropping2D", "cropping", json::parse("[[1, 2], [0, 4]]")));
  const Shape out = crop->output_shape(in);
  CHECK(out.h == 3);
  CHECK(out.w == 1);
  CHECK(out.c == 3);
  CHECK(out.n == 2);
  auto pad = test::make_layer(layer("ZeroPadding2D", "padding", json::parse("[[7, 0], 2]")));
  CHECK(pad->output_shape(in).h == 13);
  CHECK(pad->output_shape(in).w == 9);

  auto too_much = test::make_layer(layer("Cropping2D", "cropping", json::parse("[[3, 3], 0]")));
  REQUIRE_THROWS_WITH(too_much->output_shape(in),
                      Catch::Contains("Cropping2D 'w'") && Catch::Contains("(3, 3)") && Catch::Contains("all 6 rows"));
}

TEST_CASE("crop and pad on the GPU match the CPU reference over awkward shapes", "[crop][pad][gpu]") {
  struct Case {
    const char* cls;
    const char* key;
    const char* value;
    int rank;
    std::vector<int64_t> spatial;
    int64_t batch, channels;
  };
  const Case cases[] = {
      {"Cropping1D", "cropping", "[0, 0]", 1, {1}, 1, 1},
      {"Cropping1D", "cropping", "[2, 5]", 1, {8}, 3, 5},
      {"ZeroPadding1D", "padding", "[4, 0]", 1, {3}, 2, 7},
      {"ZeroPadding1D", "padding", "9", 1, {1}, 1, 2},
      {"Cropping2D", "cropping", "[[1, 2], [0, 4]]", 2, {6, 5}, 2, 3},
      {"Cropping2D", "cropping", "[0, [3, 1]]", 2, {1, 7}, 1, 4},
      {"ZeroPadding2D", "padding", "[[11, 0], [1, 6]]", 2, {3, 2}, 3, 1},
      {"ZeroPadding2D", "padding", "[1, 2, 3, 4]", 2, {9, 7}, 1, 3},
      {"Cropping3D", "cropping", "[[1, 0], 2, [0, 3]]", 3, {3, 5, 7}, 2, 2},
      {"ZeroPadding3D", "padding", "[[0, 2], [1, 0], 3]", 3, {2, 1, 3}, 1, 5},
      {"ZeroPadding3D", "padding", "1", 3, {1, 1, 1}, 2, 1},
  };
  for (const Case& c : cases) {
    for (const char* format : {"channels_last", "channels_first"}) {
      auto l = test::make_layer(layer(c.cls, c.key, json::parse(c.value), format));
      Shape in;
      in.spatial_rank = c.rank;
      in.n = c.batch;
      in.c = c.channels;
      for (int a = 0; a < c.rank; ++a) in.spatial(a) = c.spatial[a];
      INFO(c.cls << " " << c.key << "=" << c.value << " " << format);
      test::require_gpu_matches_reference(*l, test::random_tensor(in, 42), 0.0);
    }
  }
}

TEST_CASE("the reference crop keeps x[before : n - after] and the pad adds zeros", "[crop][pad]") {
  // Hand-checked values, so the reference itself is tested and not only compared.
  Shape in;
  in.spatial_rank = 1, in.w = 5;
  Tensor x(in);
  for (int i = 0; i < 5; ++i) x.data[i] = static_cast<float>(i + 1);
  auto crop = test::make_layer(layer("Cropping1D", "cropping", json::parse("[1, 2]")));
  CHECK(crop->reference(x).data == std::vector<float>{2, 3});
  auto pad = test::make_layer(layer("ZeroPadding1D", "padding", json::parse("[2, 1]")));
  CHECK(pad->reference(x).data == std::vector<float>{0, 0, 1, 2, 3, 4, 5, 0});
}

TEST_CASE("cropping and padding become copies of whole row runs and fills of the gaps", "[crop][pad]") {
  const Shape in{.n = 2, .c = 3, .d = 1, .h = 5, .w = 7, .spatial_rank = 2};
  SECTION("nothing cropped: one copy") {
    const RowCopies plan = plan_row_copies(in, in, {0, 0, 0});
    REQUIRE(plan.copies.size() == 1);
    CHECK(plan.copies[0].size == in.size() * 4);
    CHECK(plan.zeros.empty());
  }
  SECTION("rows cropped only: one copy per plane") {
    const Shape out{.n = 2, .c = 3, .d = 1, .h = 3, .w = 7, .spatial_rank = 2};
    const RowCopies plan = plan_row_copies(in, out, {0, 1, 0});
    CHECK(plan.copies.size() == 6);
    CHECK(plan.zeros.empty());
  }
  SECTION("padding: copies and zeros tile the output exactly") {
    const Shape out{.n = 2, .c = 3, .d = 1, .h = 8, .w = 9, .spatial_rank = 2};
    const RowCopies plan = plan_row_copies(in, out, {-1, -2, 0});
    std::vector<int> covered(static_cast<size_t>(out.size()), 0);
    for (const auto& c : plan.copies)
      for (VkDeviceSize b = c.dstOffset; b < c.dstOffset + c.size; b += 4) ++covered[b / 4];
    for (const auto& [at, size] : plan.zeros)
      for (VkDeviceSize b = at; b < at + size; b += 4) ++covered[b / 4];
    CHECK(std::all_of(covered.begin(), covered.end(), [](int k) { return k == 1; }));
    CHECK(plan.copies.size() == 6 * 5);  // one per input row
  }
}
