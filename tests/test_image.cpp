#include <catch2/catch.hpp>

#include "temp_dir.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "core/error.h"
#include "io/image.h"
#include "viz/colormap.h"
#include "viz/mosaic.h"

namespace fs = std::filesystem;
using namespace convscope;

namespace {

// A fresh directory per test case, removed afterwards, so runs never see each other's files.
using convscope::test::TempDir;

Rgb8Image gradient_image(int w, int h) {
  Rgb8Image img{w, h, std::vector<uint8_t>(static_cast<size_t>(w * h * 3))};
  for (size_t i = 0; i < img.rgb.size(); ++i) img.rgb[i] = static_cast<uint8_t>((i * 37 + 11) % 256);
  return img;
}

void write_bytes(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void require_unreadable(const fs::path& p) {
  REQUIRE_THROWS_MATCHES(load_image(p), UserError,
                         Catch::Matchers::Predicate<UserError>([&](const UserError& e) {
                           const std::string msg = e.what();
                           return msg.find(p.string()) == 0 && msg.find("cannot read image: ") != std::string::npos;
                         }, "message starts with the path and says the image cannot be read"));
}

std::array<uint8_t, 3> pixel(const Rgb8Image& img, int x, int y) {
  const size_t i = static_cast<size_t>((y * img.width + x) * 3);
  return {img.rgb[i], img.rgb[i + 1], img.rgb[i + 2]};
}

Tensor make_2d(int64_t n, int64_t c, int64_t h, int64_t w) {
  Shape s;
  s.n = n, s.c = c, s.h = h, s.w = w, s.spatial_rank = 2;
  return Tensor(s);
}

}  // namespace

TEST_CASE("write_png then load_image round-trips 8-bit RGB exactly", "[image]") {
  TempDir dir;
  const fs::path p = dir.path / "round trip.png";
  const Rgb8Image img = gradient_image(5, 3);
  write_png(p, img);
  const NdArray a = load_image(p);
  REQUIRE(a.shape == std::vector<int64_t>{1, 3, 5, 3});
  for (size_t i = 0; i < img.rgb.size(); ++i) {
    INFO("sample " << i);
    REQUIRE(a.data[i] == static_cast<float>(img.rgb[i]) / 255.0f);
    REQUIRE(std::lround(a.data[i] * 255.0f) == img.rgb[i]);
  }
  // Only the final file is left: the temporary one was renamed, not copied.
  REQUIRE(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);
}

TEST_CASE("write_png replaces an existing file and rejects malformed images", "[image]") {
  TempDir dir;
  const fs::path p = dir.path / "out.png";
  write_bytes(p, "old contents");
  write_png(p, gradient_image(2, 2));
  REQUIRE(load_image(p).shape == std::vector<int64_t>{1, 2, 2, 3});

  Rgb8Image short_data = gradient_image(4, 4);
  short_data.rgb.pop_back();
  REQUIRE_THROWS_AS(write_png(dir.path / "bad.png", short_data), Error);
  REQUIRE_THROWS_WITH(write_png(dir.path / "no_such_dir" / "x.png", gradient_image(2, 2)),
                      Catch::Contains("no_such_dir") && Catch::Contains("cannot write"));
  REQUIRE(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);
}

TEST_CASE("load_image reports unreadable files with their path", "[image]") {
  TempDir dir;
  require_unreadable(dir.path / "missing.png");

  const fs::path empty = dir.path / "empty.png";
  write_bytes(empty, "");
  require_unreadable(empty);

  const fs::path corrupt = dir.path / "corrupt.png";
  write_bytes(corrupt, std::string("\x89PNG\r\n\x1a\n", 8) + std::string(64, '\x5a'));
  require_unreadable(corrupt);

  const fs::path text = dir.path / "notes.png";
  write_bytes(text, "this is not an image at all\n");
  require_unreadable(text);

  const fs::path good = dir.path / "good.png";
  write_png(good, gradient_image(64, 64));
  const std::string whole = read_bytes(good);
  const fs::path truncated = dir.path / "truncated.png";
  write_bytes(truncated, whole.substr(0, whole.size() / 2));
  require_unreadable(truncated);
}

#ifdef CONVSCOPE_SOURCE_DIR
TEST_CASE("the bundled default image loads as a 512x512 RGB batch of one", "[image]") {
  const NdArray a = load_image(fs::path(CONVSCOPE_SOURCE_DIR) / "assets" / "images" / "default.png");
  REQUIRE(a.shape == std::vector<int64_t>{1, 512, 512, 3});
  const auto [lo, hi] = std::minmax_element(a.data.begin(), a.data.end());
  REQUIRE(*lo >= 0.0f);
  REQUIRE(*hi <= 1.0f);
  REQUIRE(*hi - *lo > 0.5f);  // a real photograph, not a blank or mis-scaled one
}
#endif

TEST_CASE("colormap endpoints, midpoints and names", "[image]") {
  using A = std::array<uint8_t, 3>;
  REQUIRE(colormap_rgb(Colormap::Gray, 0.0f) == A{0, 0, 0});
  REQUIRE(colormap_rgb(Colormap::Gray, 1.0f) == A{255, 255, 255});
  REQUIRE(colormap_rgb(Colormap::Gray, 0.5f) == A{128, 128, 128});
  REQUIRE(colormap_rgb(Colormap::Gray, -3.0f) == A{0, 0, 0});
  REQUIRE(colormap_rgb(Colormap::Gray, 7.0f) == A{255, 255, 255});
  REQUIRE(colormap_rgb(Colormap::Gray, NAN) == A{0, 0, 0});
  REQUIRE(colormap_rgb(Colormap::Diverging, 0.5f) == A{255, 255, 255});
  const A blue = colormap_rgb(Colormap::Diverging, 0.0f), red = colormap_rgb(Colormap::Diverging, 1.0f);
  REQUIRE((blue[2] > blue[0] && red[0] > red[2]));
  REQUIRE(colormap_rgb(Colormap::Viridis, 0.0f) == A{68, 1, 84});
  REQUIRE(colormap_rgb(Colormap::Viridis, 1.0f) == A{253, 231, 37});
  REQUIRE(colormap_rgb(Colormap::Magma, 0.0f) == A{0, 0, 4});
  REQUIRE(colormap_rgb(Colormap::Magma, 1.0f) == A{252, 253, 191});
  // Perceptually uniform maps get brighter all the way; a wrong anchor would break this.
  for (Colormap m : {Colormap::Viridis, Colormap::Magma}) {
    float prev = -1;
    for (int i = 0; i <= 64; ++i) {
      const A c = colormap_rgb(m, static_cast<float>(i) / 64);
      const float luma = 0.299f * c[0] + 0.587f * c[1] + 0.114f * c[2];
      REQUIRE(luma > prev);
      prev = luma;
    }
  }

  for (Colormap m : {Colormap::Gray, Colormap::Viridis, Colormap::Magma, Colormap::Diverging})
    REQUIRE(parse_colormap(to_string(m)) == m);
  REQUIRE_THROWS_AS(parse_colormap("jet"), UserError);
  REQUIRE_THROWS_WITH(parse_colormap("Jet"), Catch::Contains("\"Jet\"") && Catch::Contains("viridis") &&
                                                 Catch::Contains("diverging"));
}

TEST_CASE("feature_mosaic lays channels out in a near-square grid", "[image]") {
  Tensor t = make_2d(2, 5, 7, 9);
  for (size_t i = 0; i < t.data.size(); ++i) t.data[i] = static_cast<float>(i % 13);
  const Rgb8Image img = feature_mosaic(t, 1, Colormap::Gray, {.min_tile = 1});
  REQUIRE(img.width == 3 * 9 + 2 * 2);
  REQUIRE(img.height == 2 * 7 + 1 * 2);
  REQUIRE(img.rgb.size() == static_cast<size_t>(img.width * img.height * 3));

  // Small tiles grow by a whole factor: 7x9 with min_tile 32 -> x5 -> 35x45.
  const Rgb8Image big = feature_mosaic(t, 0, Colormap::Gray);
  REQUIRE(big.width == 3 * 45 + 2 * 2);
  REQUIRE(big.height == 2 * 35 + 2);

  REQUIRE_THROWS_AS(feature_mosaic(t, 2, Colormap::Gray), UserError);
  REQUIRE_THROWS_AS(feature_mosaic(Tensor(), 0, Colormap::Gray), UserError);
}

TEST_CASE("feature_mosaic normalises over the whole layer", "[image]") {
  Tensor t = make_2d(1, 2, 2, 2);
  t.data = {1, 2, 3, 4, /* channel 1 */ 5, 6, 7, 9};
  const Rgb8Image img = feature_mosaic(t, 0, Colormap::Viridis, {.min_tile = 1});
  REQUIRE(img.width == 2 + 2 + 2);
  REQUIRE(pixel(img, 0, 0) == colormap_rgb(Colormap::Viridis, 0.0f));   // layer minimum, channel 0
  REQUIRE(pixel(img, 5, 1) == colormap_rgb(Colormap::Viridis, 1.0f));   // layer maximum, channel 1
  REQUIRE(pixel(img, 4, 0) == colormap_rgb(Colormap::Viridis, 0.5f));   // 5 is the middle of [1, 9]
  REQUIRE(pixel(img, 2, 0) == std::array<uint8_t, 3>{24, 24, 24});      // the gap

  // Diverging is symmetric about zero: 0 is white, -max|v| the blue end.
  t.data = {-4, 0, 2, 1, 0, 0, 0, 0};
  const Rgb8Image div = feature_mosaic(t, 0, Colormap::Diverging, {.min_tile = 1});
  REQUIRE(pixel(div, 0, 0) == colormap_rgb(Colormap::Diverging, 0.0f));
  REQUIRE(pixel(div, 1, 0) == std::array<uint8_t, 3>{255, 255, 255});
  REQUIRE(pixel(div, 0, 1) == colormap_rgb(Colormap::Diverging, 0.75f));
}

TEST_CASE("feature_mosaic handles constant data, depth and 1D signals", "[image]") {
  Tensor flat = make_2d(1, 3, 4, 4);
  std::fill(flat.data.begin(), flat.data.end(), 2.5f);
  const Rgb8Image grey = feature_mosaic(flat, 0, Colormap::Gray, {.min_tile = 1});
  REQUIRE(pixel(grey, 0, 0) == std::array<uint8_t, 3>{128, 128, 128});
  REQUIRE(pixel(grey, 3, 9) == std::array<uint8_t, 3>{128, 128, 128});

  Shape s3;
  s3.c = 1, s3.d = 5, s3.h = 2, s3.w = 2, s3.spatial_rank = 3;
  Tensor vol(s3);
  vol.at(0, 0, 2, 1, 1) = 1.0f;  // only the middle slice holds the maximum
  vol.at(0, 0, 0, 0, 0) = 9.0f;  // outside the shown slice, so it must not set the range
  const Rgb8Image slice = feature_mosaic(vol, 0, Colormap::Gray, {.min_tile = 1});
  REQUIRE((slice.width == 2 && slice.height == 2));
  REQUIRE(pixel(slice, 1, 1) == std::array<uint8_t, 3>{255, 255, 255});
  REQUIRE(pixel(slice, 0, 0) == std::array<uint8_t, 3>{0, 0, 0});

  Shape s1;
  s1.c = 4, s1.w = 10, s1.spatial_rank = 1;
  Tensor sig(s1);
  for (size_t i = 0; i < sig.data.size(); ++i) sig.data[i] = std::sin(static_cast<float>(i));
  const Rgb8Image plot = feature_mosaic(sig, 0, Colormap::Viridis, {.min_tile = 1});
  REQUIRE(plot.width == 2 * 70 + 2);  // 10 samples x7 reach the 64-pixel minimum width
  REQUIRE(plot.height == 2 * 16 + 2);
}

TEST_CASE("image_to_rgb8 renders grey and colour images", "[image]") {
  Tensor rgb = make_2d(1, 3, 1, 2);
  rgb.data = {1.0f, 0.0f, /* g */ 0.5f, 2.0f, /* b */ -1.0f, 0.2f};
  const Rgb8Image img = image_to_rgb8(rgb, 0);
  REQUIRE((img.width == 2 && img.height == 1));
  REQUIRE(pixel(img, 0, 0) == std::array<uint8_t, 3>{255, 128, 0});
  REQUIRE(pixel(img, 1, 0) == std::array<uint8_t, 3>{0, 255, 51});

  Tensor grey = make_2d(1, 1, 1, 1);
  grey.data = {0.2f};
  REQUIRE(pixel(image_to_rgb8(grey, 0), 0, 0) == std::array<uint8_t, 3>{51, 51, 51});
  REQUIRE_THROWS_AS(image_to_rgb8(make_2d(1, 5, 2, 2), 0), UserError);
}
