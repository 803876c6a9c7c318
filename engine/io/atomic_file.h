#pragma once
// Every output file convscope writes appears whole or not at all: the bytes go to a
// temporary file beside the target (a random suffix keeps concurrent writers apart), which
// is then renamed over it. A failure removes the temporary and throws Error naming the path.
#include <filesystem>
#include <string>
#include <string_view>

namespace convscope {

// `what` names the content in messages ("the PNG file", "the HTML report").
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes, std::string_view what);

// For writers that build the temporary themselves (libzip): a fresh temporary name beside
// `path`, and the final rename (or cleanup and Error when `failure` is not empty).
std::filesystem::path temporary_beside(const std::filesystem::path& path);
void commit_temporary(const std::filesystem::path& tmp, const std::filesystem::path& path, std::string failure);

}  // namespace convscope
