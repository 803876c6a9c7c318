#pragma once
// NumPy .npz archives: a zip of .npy members, the way a whole Keras model's weights leave Python
// in one file. np.savez(path, *model.get_weights()) names the members arr_0.npy, arr_1.npy, ...
// in Keras order; np.savez_compressed writes the same members deflated. Both are read here.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core/ndarray.h"

namespace convscope {

// Every member in archive order, named without its ".npy" suffix and cast to float32 as
// parse_npy does. Throws UserError ("PATH: reason", naming the member where one is at fault)
// for a missing file, a file that is not a zip, a member that is not a readable .npy array,
// two members of the same name, or an archive with no members.
std::vector<std::pair<std::string, NdArray>> read_npz(const std::filesystem::path& path);

// The arrays of an np.savez(path, *model.get_weights()) archive in Keras order, that is by the
// number in arr_N (arr_10 after arr_9, whatever order the archive lists them in). Throws
// UserError unless the members are exactly arr_0 .. arr_{n-1}: other names carry no order.
std::vector<NdArray> read_weight_list(const std::filesystem::path& path);

// Writes each array as member "<name>.npy" (float32, as encode_npy lays it out), stored
// uncompressed as np.savez does. Atomic like write_npy: the archive is built in a temporary
// file in the same directory and renamed over `path`. Throws Error naming the path on failure,
// for an empty list (the reader would refuse the file) and for a repeated name.
void write_npz(const std::filesystem::path& path,
               const std::vector<std::pair<std::string, NdArray>>& arrays);

}  // namespace convscope
