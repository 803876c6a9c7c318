#include <catch2/catch.hpp>

#include "temp_dir.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include "core/error.h"
#include "core/format.h"
#include "io/image_prep.h"
#include "report/html_report.h"
#include "viz/legend.h"
#include "viz/mosaic.h"

namespace fs = std::filesystem;
using namespace convscope;
using Rgb = std::array<uint8_t, 3>;

namespace {

using convscope::test::TempDir;

NdArray image(int64_t h, int64_t w, int64_t c, std::vector<float> data) {
  NdArray a({1, h, w, c});
  REQUIRE(data.size() == a.size());
  a.data = std::move(data);
  return a;
}

PreparedImage prep_channels(const NdArray& a, int64_t channels) {
  ImagePrep p;
  p.channels = channels;
  return prepare_image(a, p, "pic.png");
}

Rgb pixel(const Rgb8Image& img, int x, int y) {
  const size_t i = (static_cast<size_t>(y) * static_cast<size_t>(img.width) + static_cast<size_t>(x)) * 3;
  return {img.rgb[i], img.rgb[i + 1], img.rgb[i + 2]};
}

Rgb8Image filled(int w, int h, Rgb colour) {
  Rgb8Image img{w, h, std::vector<uint8_t>(static_cast<size_t>(w) * static_cast<size_t>(h) * 3)};
  for (size_t i = 0; i < img.rgb.size(); ++i) img.rgb[i] = colour[i % 3];
  return img;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("prepare_image converts channel counts with a notice each", "[image]") {
  SECTION("grey -> RGB replicates") {
    const PreparedImage p = prep_channels(image(1, 2, 1, {0.25f, 0.5f}), 3);
    REQUIRE(p.array.shape == std::vector<int64_t>{1, 1, 2, 3});
    REQUIRE(p.array.data == std::vector<float>{0.25f, 0.25f, 0.25f, 0.5f, 0.5f, 0.5f});
    REQUIRE(p.notices.size() == 1);
    REQUIRE_THAT(p.notices[0], Catch::StartsWith("pic.png: grey image converted to 3 channels"));
  }
  SECTION("RGB -> grey takes ITU-R 601 luminance") {
    const PreparedImage p = prep_channels(image(1, 4, 3, {1, 0, 0, 0, 1, 0, 0, 0, 1, 0.2f, 0.4f, 0.6f}), 1);
    REQUIRE(p.array.shape == std::vector<int64_t>{1, 1, 4, 1});
    REQUIRE(p.array.data[0] == 0.299f);
    REQUIRE(p.array.data[1] == 0.587f);
    REQUIRE(p.array.data[2] == 0.114f);
    REQUIRE(p.array.data[3] == Approx(0.0598 + 0.2348 + 0.0684).epsilon(1e-6));
    REQUIRE(p.notices == std::vector<std::string>{
                             "pic.png: RGB image converted to 1 channel (luminance) for the model's input"});
  }
  SECTION("alpha is dropped") {
    const NdArray rgba = image(1, 2, 4, {0.1f, 0.2f, 0.3f, 0.9f, 1.0f, 0.0f, 0.0f, 0.5f});
    const PreparedImage rgb = prep_channels(rgba, 3);
    REQUIRE(rgb.array.data == std::vector<float>{0.1f, 0.2f, 0.3f, 1.0f, 0.0f, 0.0f});
    REQUIRE_THAT(rgb.notices.at(0), Catch::Contains("RGBA image converted to 3 channels (alpha dropped)"));
    const PreparedImage grey = prep_channels(rgba, 1);
    REQUIRE(grey.array.data[1] == 0.299f);  // the second pixel is pure red; its alpha is ignored
    REQUIRE(grey.notices.size() == 1);

    const NdArray grey_alpha = image(1, 2, 2, {0.7f, 0.1f, 0.3f, 1.0f});
    REQUIRE(prep_channels(grey_alpha, 1).array.data == std::vector<float>{0.7f, 0.3f});
    REQUIRE(prep_channels(grey_alpha, 3).array.data == std::vector<float>{0.7f, 0.7f, 0.7f, 0.3f, 0.3f, 0.3f});
  }
  SECTION("matching or unset channel counts change nothing") {
    const NdArray rgb = image(1, 1, 3, {0.1f, 0.2f, 0.3f});
    for (int64_t c : {0, 3}) {
      const PreparedImage p = prep_channels(rgb, c);
      REQUIRE(p.array.data == rgb.data);
      REQUIRE(p.notices.empty());
    }
  }
  SECTION("impossible conversions name both counts") {
    REQUIRE_THROWS_MATCHES(prep_channels(image(1, 1, 3, {0, 0, 0}), 4), UserError,
                           Catch::Matchers::Predicate<UserError>([](const UserError& e) {
                             const std::string m = e.what();
                             return m.rfind("pic.png: ", 0) == 0 && m.find("takes 4 channels") != std::string::npos &&
                                    m.find("has 3") != std::string::npos;
                           }));
    REQUIRE_THROWS_AS(prep_channels(image(1, 1, 5, {0, 0, 0, 0, 0}), 3), UserError);
    REQUIRE_THROWS_AS(prepare_image(NdArray({2, 2}), ImagePrep{}, "x"), UserError);
  }
}

TEST_CASE("prepare_image scales values three ways", "[image]") {
  const NdArray rgb = image(1, 2, 3, {0.0f, 0.5f, 1.0f, 0.485f, 0.456f, 0.406f});
  ImagePrep p;
  REQUIRE(prepare_image(rgb, p, "x").array.data == rgb.data);

  p.scaling = Scaling::MinusOneOne;
  const std::vector<float> pm = prepare_image(rgb, p, "x").array.data;
  const double pm_expected[6] = {-1.0, 0.0, 1.0, -0.03, -0.088, -0.188};
  for (size_t i = 0; i < 6; ++i) REQUIRE(pm[i] == Approx(pm_expected[i]).margin(1e-6));

  p.scaling = Scaling::MeanStd;
  const std::vector<float> ms = prepare_image(rgb, p, "x").array.data;
  REQUIRE(ms[0] == Approx(-0.485 / 0.229));
  REQUIRE(ms[1] == Approx((0.5 - 0.456) / 0.224));
  REQUIRE(ms[2] == Approx((1.0 - 0.406) / 0.225));
  for (int i = 3; i < 6; ++i) REQUIRE(ms[static_cast<size_t>(i)] == 0.0f);  // the mean itself

  // One channel uses the first statistics.
  REQUIRE(prepare_image(image(1, 1, 1, {1.0f}), p, "x").array.data[0] == Approx((1.0 - 0.485) / 0.229));
  REQUIRE_THROWS_WITH(prepare_image(image(1, 1, 4, {0, 0, 0, 0}), p, "x"), Catch::Contains("has 4"));
  p.std[1] = 0.0f;
  REQUIRE_THROWS_AS(prepare_image(rgb, p, "x"), UserError);

  for (Scaling s : {Scaling::ZeroOne, Scaling::MinusOneOne, Scaling::MeanStd}) REQUIRE(parse_scaling(to_string(s)) == s);
  REQUIRE(parse_scaling("-1,1") == Scaling::MinusOneOne);
  REQUIRE_THROWS_WITH(parse_scaling("caffe"),
                      Catch::Contains("\"caffe\"") && Catch::Contains("0,1") && Catch::Contains("meanstd"));
}

TEST_CASE("prepare_image resizes bilinearly with half-pixel centres", "[image]") {
  ImagePrep p;
  p.height = 4, p.width = 4;
  const PreparedImage up = prepare_image(image(2, 2, 1, {0.0f, 0.4f, 0.8f, 0.2f}), p, "pic.png");
  REQUIRE(up.array.shape == std::vector<int64_t>{1, 4, 4, 1});
  // Output i samples source (i + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped to [0, 1].
  const float expected[16] = {0.0f, 0.1f,    0.3f,    0.4f,  0.2f, 0.2375f, 0.3125f, 0.35f,
                              0.6f, 0.5125f, 0.3375f, 0.25f, 0.8f, 0.65f,   0.35f,   0.2f};
  for (size_t i = 0; i < 16; ++i) {
    INFO("output sample " << i);
    REQUIRE(up.array.data[i] == Approx(expected[i]).margin(1e-6));
  }
  REQUIRE(up.notices == std::vector<std::string>{"pic.png: 2x2 image resized to 4x4 to fit the model's input"});

  // Width 3 -> 5 and height 2 -> 4: the notice says width x height.
  ImagePrep q;
  q.height = 4, q.width = 5;
  REQUIRE(prepare_image(image(2, 3, 1, {0, 0, 0, 0, 0, 0}), q, "a.jpg").notices.at(0) ==
          "a.jpg: 3x2 image resized to 5x4 to fit the model's input");

  ImagePrep same;
  same.height = 2;
  REQUIRE(prepare_image(image(2, 2, 1, {0, 0, 0, 0}), same, "x").notices.empty());
}

TEST_CASE("prepare_image keeps constant images constant and averages when shrinking", "[image]") {
  NdArray flat({1, 7, 5, 3});
  std::fill(flat.data.begin(), flat.data.end(), 0.37f);
  ImagePrep p;
  p.height = 3, p.width = 13;  // rows shrink 2.33x (area), columns grow (bilinear)
  const PreparedImage r = prepare_image(flat, p, "x");
  REQUIRE(r.array.shape == std::vector<int64_t>{1, 3, 13, 3});
  for (float v : r.array.data) REQUIRE(v == Approx(0.37f).margin(1e-6));

  // Shrinking 4x averages every source sample: a 0/1 stripe pattern becomes flat 0.5, where
  // plain bilinear would sample only some stripes.
  NdArray stripes({1, 1, 16, 1});
  for (size_t i = 0; i < 16; ++i) stripes.data[i] = static_cast<float>(i % 2);
  ImagePrep s;
  s.width = 4;
  for (float v : prepare_image(stripes, s, "x").array.data) REQUIRE(v == Approx(0.5f).margin(1e-6));

  NdArray ramp({1, 1, 8, 1});
  for (size_t i = 0; i < 8; ++i) ramp.data[i] = static_cast<float>(i);
  s.width = 2;
  REQUIRE(prepare_image(ramp, s, "x").array.data == std::vector<float>{1.5f, 5.5f});
  s.width = 4;  // exactly 2x: bilinear's two taps are the area average
  REQUIRE(prepare_image(ramp, s, "x").array.data == std::vector<float>{0.5f, 2.5f, 4.5f, 6.5f});
}

TEST_CASE("mosaic_range is the range feature_mosaic maps", "[image]") {
  Shape s;
  s.c = 3, s.h = 4, s.w = 5;
  Tensor t(s);
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(-3.0f, 2.0f);
  for (float& v : t.data) v = dist(rng);
  const auto [min_it, max_it] = std::minmax_element(t.data.begin(), t.data.end());
  auto where = [&](std::vector<float>::iterator it) {
    const auto i = static_cast<int64_t>(it - t.data.begin());
    const int64_t c = i / 20, y = (i % 20) / 5, x = i % 5;
    return std::pair<int, int>(static_cast<int>((c % 2) * (5 + 2) + x), static_cast<int>((c / 2) * (4 + 2) + y));
  };

  const auto [lo, hi] = mosaic_range(t, 0, Colormap::Viridis);
  REQUIRE(lo == *min_it);
  REQUIRE(hi == *max_it);
  const Rgb8Image img = feature_mosaic(t, 0, Colormap::Viridis, {.min_tile = 1});
  REQUIRE(pixel(img, where(min_it).first, where(min_it).second) == colormap_rgb(Colormap::Viridis, 0.0f));
  REQUIRE(pixel(img, where(max_it).first, where(max_it).second) == colormap_rgb(Colormap::Viridis, 1.0f));

  const auto [dlo, dhi] = mosaic_range(t, 0, Colormap::Diverging);
  const double m = std::max(-static_cast<double>(*min_it), static_cast<double>(*max_it));
  REQUIRE((dlo == -m && dhi == m));
  const Rgb8Image div = feature_mosaic(t, 0, Colormap::Diverging, {.min_tile = 1});
  REQUIRE(pixel(div, where(min_it).first, where(min_it).second) == colormap_rgb(Colormap::Diverging, 0.0f));

  t.data[0] = NAN, t.data[1] = INFINITY;  // left out of the range
  REQUIRE(mosaic_range(t, 0, Colormap::Gray).second == Approx(*std::max_element(t.data.begin() + 2, t.data.end())));
  std::fill(t.data.begin(), t.data.end(), NAN);
  REQUIRE(mosaic_range(t, 0, Colormap::Gray) == std::pair<double, double>(0.0, 0.0));
  REQUIRE_THROWS_AS(mosaic_range(t, 1, Colormap::Gray), UserError);
}

TEST_CASE("with_legend appends a labelled colour bar", "[image]") {
  using L = LegendLayout;
  const Rgb grey = {90, 90, 90};
  const Rgb8Image m = filled(200, 50, grey);
  const Rgb8Image out = with_legend(m, Colormap::Viridis, -2.5, 7.0);
  REQUIRE((out.width == 200 && out.height == 50 + L::height));
  REQUIRE(out.rgb.size() == static_cast<size_t>(out.width * out.height * 3));
  REQUIRE(pixel(out, 0, 0) == grey);
  REQUIRE(pixel(out, 199, 49) == grey);
  const int bar_y = 50 + L::bar_top + L::bar_height / 2;
  REQUIRE(pixel(out, L::margin, bar_y) == colormap_rgb(Colormap::Viridis, 0.0f));
  REQUIRE(pixel(out, 200 - L::margin - 1, bar_y) == colormap_rgb(Colormap::Viridis, 1.0f));
  REQUIRE(pixel(out, L::margin - 1, bar_y) != colormap_rgb(Colormap::Viridis, 0.0f));

  // Labels: something is printed under each end; the centre stays empty except for Diverging's 0.
  auto ink_in = [](const Rgb8Image& img, int x0, int x1) {
    const Rgb bg = pixel(img, 0, img.height - 1);
    int n = 0;
    for (int y = img.height - L::height + L::text_top; y < img.height; ++y)
      for (int x = x0; x < x1; ++x) n += pixel(img, x, y) != bg;
    return n;
  };
  REQUIRE(ink_in(out, 0, 40) > 0);
  REQUIRE(ink_in(out, 160, 200) > 0);
  REQUIRE(ink_in(out, 80, 120) == 0);
  const Rgb8Image div = with_legend(m, Colormap::Diverging, -4.0, 4.0);
  for (int x : {99, 100})  // the bar's middle columns, either side of t = 0.5: near-white
    for (uint8_t v : pixel(div, x, bar_y)) REQUIRE(v >= 250);
  REQUIRE(ink_in(div, 90, 110) > 0);

  // A 2x2 mosaic gets a strip wide enough for its numbers and sits centred above it.
  const Rgb8Image tiny = with_legend(filled(2, 2, grey), Colormap::Gray, -1.23e-05, 0.5);
  REQUIRE(tiny.width >= 2 * L::margin + text_width("-1.23e-05", L::text_scale) + text_width("0.5", L::text_scale));
  REQUIRE(tiny.height == 2 + L::height);
  REQUIRE(pixel(tiny, tiny.width / 2, 0) == grey);
  REQUIRE(pixel(tiny, 0, 0) != grey);

  REQUIRE_THROWS_AS(with_legend(Rgb8Image{3, 3, {}}, Colormap::Gray, 0, 1), Error);
}

TEST_CASE("draw_text prints 5x7 glyphs, scaled and clipped", "[image]") {
  const Rgb ink = {255, 0, 0}, bg = {0, 0, 0};
  Rgb8Image img = filled(12, 7, bg);
  draw_text(img, 0, 0, "1-", ink);
  REQUIRE(pixel(img, 2, 0) == ink);  // the top of the 1
  REQUIRE(pixel(img, 0, 0) == bg);
  REQUIRE(pixel(img, 1, 6) == ink);  // its foot
  REQUIRE(pixel(img, 6, 3) == ink);  // the minus starts one column after the 5-wide 1
  REQUIRE(pixel(img, 10, 3) == ink);
  REQUIRE(pixel(img, 6, 2) == bg);
  REQUIRE(text_width("1-") == 11);
  REQUIRE(text_width("1-", 2) == 22);

  Rgb8Image big = filled(10, 14, bg);
  draw_text(big, 0, 0, "1", ink, 2);
  REQUIRE(pixel(big, 4, 0) == ink);
  REQUIRE(pixel(big, 5, 1) == ink);
  REQUIRE(pixel(big, 6, 0) == bg);
  draw_text(big, -7, 10, "8e+", ink, 3);  // runs off two edges without writing outside
  REQUIRE(big.rgb.size() == 10 * 14 * 3);
}

TEST_CASE("html report escapes text and formats numbers", "[image]") {
  REQUIRE(thousands(1234567) == "1,234,567");
  REQUIRE(thousands(-5) == "-5");
  REQUIRE(thousands(0) == "0");
  REQUIRE(thousands(999) == "999");
  REQUIRE(thousands(-1000) == "-1,000");
  REQUIRE(thousands(INT64_MIN) == "-9,223,372,036,854,775,808");
  REQUIRE(short_number(0.25) == "0.25");
  REQUIRE(short_number(-0.0) == "0");
  REQUIRE(short_number(1500.0) == "1.5e+03");
  REQUIRE(short_number(-1.23456e-5) == "-1.23e-05");

  TempDir dir;
  Report r;
  r.title = "Run of \"tiny\" & co";
  r.model_name = "tiny";
  r.device = "llvmpipe";
  r.input_image = "input.png";
  r.input_shape = "(1, 64, 60, 3)";
  r.total_params = 1234567;
  r.notices = {"cat.png: 640x480 image resized to 64x60 to fit the model's input"};
  ReportLayer l;
  l.name = "a<b";
  l.class_name = "Conv2D";
  l.output_shape = "(None, 58, 54, 5)";
  l.params = 4567;
  l.image = "maps/a b.png";
  l.npy = "npy/a b.npy";
  l.lo = -0.5, l.hi = 2.25;
  l.notes = {"x > 0 only"};
  r.layers = {l};
  const fs::path page = dir.path / "index.html";
  write_html_report(page, r);
  const std::string html = read_text(page);
  REQUIRE_THAT(html, Catch::StartsWith("<!DOCTYPE html>"));
  REQUIRE_THAT(html, Catch::Contains("a&lt;b"));
  REQUIRE_THAT(html, !Catch::Contains("a<b"));
  REQUIRE_THAT(html, Catch::Contains("Run of &quot;tiny&quot; &amp; co"));
  REQUIRE_THAT(html, Catch::Contains("x &gt; 0 only"));
  REQUIRE_THAT(html, Catch::Contains("1,234,567"));
  REQUIRE_THAT(html, Catch::Contains("4,567"));
  REQUIRE_THAT(html, Catch::Contains("-0.5 &hellip; 2.25"));
  REQUIRE_THAT(html, Catch::Contains("src=\"maps/a%20b.png\""));
  REQUIRE_THAT(html, Catch::Contains("image-rendering: pixelated"));
  REQUIRE_THAT(html, Catch::Contains("resized to 64x60"));
  REQUIRE_THAT(html, !Catch::Contains("http") && !Catch::Contains("<script"));
  REQUIRE(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);

  REQUIRE_THROWS_AS(write_html_report(dir.path / "missing" / "index.html", r), Error);
}
