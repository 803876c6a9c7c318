#pragma once
// A class-labels file: one label per line, line k naming class k (the usual imagenet or
// MNIST label lists). Blank lines stay, as empty labels, so the numbering holds.
#include <filesystem>
#include <string>
#include <vector>

namespace convscope {

// UserError naming the file when it cannot be read, is empty, or is not text.
std::vector<std::string> read_labels(const std::filesystem::path& path);

}  // namespace convscope
