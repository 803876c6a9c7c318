#pragma once
// Image files in and out: decoding input pictures into arrays, and writing the RGB pictures
// the CLI produces. stb_image does the codec work; this file adds the error messages.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/ndarray.h"

namespace convscope {

// Decodes a PNG, JPEG, BMP, TGA, GIF, PSD, PNM or HDR file into shape (1, H, W, C): a batch
// of one in channels_last order, C being the file's own channel count (1 grey, 2 grey+alpha,
// 3 RGB, 4 RGBA). 8- and 16-bit samples are scaled to [0, 1] without gamma conversion; HDR
// files keep their linear values, which may exceed 1.
// Throws UserError "PATH: cannot read image: REASON" for a missing, empty or undecodable file.
NdArray load_image(const std::filesystem::path& path);

struct Rgb8Image {
  int width = 0, height = 0;
  std::vector<uint8_t> rgb;  // row-major, 3 bytes per pixel, top row first
};

// Writes `img` as an 8-bit RGB PNG. The file appears whole or not at all: it is written
// beside `path` under a temporary name, then renamed over it, so a crash or a full disk
// never leaves a half-written picture that a viewer would show as valid.
// Throws Error naming `path` when the image is malformed or the file cannot be written.
void write_png(const std::filesystem::path& path, const Rgb8Image& img);

}  // namespace convscope
