#include "io/image.h"

#include "io/atomic_file.h"

#include <fmt/format.h>

#include <climits>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <system_error>

// Debian ships the headers under stb/; other distributions and vcpkg put them at the top.
#if __has_include(<stb_image.h>)
#include <stb_image.h>
#include <stb_image_write.h>
#else
#include <stb/stb_image.h>
#include <stb/stb_image_write.h>
#endif

#include "core/error.h"

namespace convscope {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void throw_unreadable(const fs::path& path, std::string_view reason) {
  throw UserError(fmt::format("{}: cannot read image: {}", path.string(), reason));
}

// Reads the whole file first so that a missing or empty file gets a plain-words reason
// instead of stb's terse "can't fopen" / "unknown image type".
std::vector<unsigned char> read_file(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw_unreadable(path, "the file does not exist");
  if (fs::is_directory(path, ec)) throw_unreadable(path, "it is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_unreadable(path, "the file cannot be opened (check its permissions)");
  std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw_unreadable(path, "an I/O error occurred while reading it");
  if (bytes.empty()) throw_unreadable(path, "the file is empty");
  if (bytes.size() > static_cast<size_t>(INT_MAX)) throw_unreadable(path, "the file is larger than 2 GiB");
  return bytes;
}

struct StbFree {
  void operator()(void* p) const { stbi_image_free(p); }
};

// Copies stb's interleaved (H, W, C) samples into a (1, H, W, C) array. Dividing (not
// multiplying by 1/max) gives the same floats as Keras' `image / 255.0`.
template <typename Sample>
NdArray to_array(const Sample* pixels, int w, int h, int c, float max_value) {
  NdArray a({1, h, w, c});
  for (size_t i = 0; i < a.size(); ++i) a.data[i] = static_cast<float>(pixels[i]) / max_value;
  return a;
}

}  // namespace

NdArray load_image(const fs::path& path) {
  const std::vector<unsigned char> bytes = read_file(path);
  const auto* buf = bytes.data();
  const int len = static_cast<int>(bytes.size());
  int w = 0, h = 0, c = 0;
  // stbi_loadf would also decode LDR files, but it applies a 2.2 gamma curve on the way;
  // Keras pipelines divide raw 8-bit values by 255, so only true HDR goes through it.
  if (stbi_is_hdr_from_memory(buf, len)) {
    std::unique_ptr<float, StbFree> px(stbi_loadf_from_memory(buf, len, &w, &h, &c, 0));
    if (px) return to_array(px.get(), w, h, c, 1.0f);
  } else if (stbi_is_16_bit_from_memory(buf, len)) {
    std::unique_ptr<stbi_us, StbFree> px(stbi_load_16_from_memory(buf, len, &w, &h, &c, 0));
    if (px) return to_array(px.get(), w, h, c, 65535.0f);
  } else {
    std::unique_ptr<stbi_uc, StbFree> px(stbi_load_from_memory(buf, len, &w, &h, &c, 0));
    if (px) return to_array(px.get(), w, h, c, 255.0f);
  }
  // stb's reasons are terse and, after its format probing, sometimes name the wrong format
  // ("bad png sig" for a cut-off JPEG), so the sentence after them says what is known.
  const char* reason = stbi_failure_reason();
  throw_unreadable(path, fmt::format("{} (the file is damaged, or not a PNG, JPEG, BMP, GIF, TGA, PSD, PNM or HDR image)",
                                     reason ? reason : "decoding failed"));
}

void write_png(const fs::path& path, const Rgb8Image& img) {
  const size_t expected = static_cast<size_t>(img.width) * static_cast<size_t>(img.height) * 3;
  if (img.width <= 0 || img.height <= 0 || img.rgb.size() != expected)
    throw Error(fmt::format("{}: cannot write a {}x{} image from {} bytes of RGB data (expected {})",
                            path.string(), img.width, img.height, img.rgb.size(), expected));

  std::string encoded;
  auto append = [](void* ctx, void* data, int size) {
    static_cast<std::string*>(ctx)->append(static_cast<const char*>(data), static_cast<size_t>(size));
  };
  if (!stbi_write_png_to_func(append, &encoded, img.width, img.height, 3, img.rgb.data(), img.width * 3))
    throw Error(fmt::format("{}: PNG encoding failed for a {}x{} image", path.string(), img.width, img.height));

  write_file_atomically(path, encoded, "the PNG file");
}

}  // namespace convscope
