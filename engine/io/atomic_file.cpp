#include "io/atomic_file.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>

#include "core/error.h"

namespace convscope {

std::filesystem::path temporary_beside(const std::filesystem::path& path) {
  const uint64_t tag = (static_cast<uint64_t>(std::random_device{}()) << 32) | std::random_device{}();
  std::filesystem::path tmp = path;
  tmp += fmt::format(".{:016x}.tmp", tag);
  return tmp;
}

void commit_temporary(const std::filesystem::path& tmp, const std::filesystem::path& path, std::string failure) {
  if (failure.empty()) {
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) failure = ec.message();
  }
  if (!failure.empty()) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw Error(fmt::format("{}: cannot write: {}", path.string(), failure));
  }
}

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes, std::string_view what) {
  const std::filesystem::path tmp = temporary_beside(path);
  // "x": never clobber a file someone else created under the same temporary name.
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(tmp.string().c_str(), "wbx"), &std::fclose);
  if (!f) {
    const std::filesystem::path dir = path.parent_path().empty() ? "." : path.parent_path();
    throw Error(fmt::format("{}: cannot write {}: cannot create a file in {}: {}", path.string(), what, dir.string(),
                            std::strerror(errno)));
  }
  std::string failure;
  if (std::fwrite(bytes.data(), 1, bytes.size(), f.get()) != bytes.size()) failure = std::strerror(errno);
  if (std::fclose(f.release()) != 0 && failure.empty()) failure = std::strerror(errno);
  commit_temporary(tmp, path, failure);
}

}  // namespace convscope
