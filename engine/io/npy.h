#pragma once
// NumPy .npy files: the way inputs, weights and golden outputs reach the engine from Python.
// Reading accepts what np.save writes for plain numeric arrays (float, int, uint, bool in
// little-endian, C or Fortran order, format 1.0-3.0) and casts it to float32; writing always
// produces float32 '<f4' in C order, format 1.0, exactly as np.save lays it out.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

#include "core/ndarray.h"

namespace convscope {

// Decodes the bytes of a .npy file. `name` (usually the path) starts every error message.
// Throws UserError for anything that is not a readable numeric .npy array.
NdArray parse_npy(std::span<const uint8_t> bytes, std::string_view name);

// Reads and decodes a .npy file. A missing or unreadable file is a UserError.
NdArray read_npy(const std::filesystem::path& path);

// Encodes as float32 '<f4', C order, format 1.0, data aligned to 64 bytes.
// Throws Error if the data size does not match the shape.
std::vector<uint8_t> encode_npy(const NdArray& a);

// Writes atomically: a temporary file in the same directory is renamed over `path`, so a
// failure never leaves a partial file behind. Throws Error naming the path on failure.
void write_npy(const std::filesystem::path& path, const NdArray& a);

}  // namespace convscope
