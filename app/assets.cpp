#include "app/assets.h"

#include <fmt/format.h>

#include <cstdlib>
#include <vector>

#include "core/error.h"

namespace convscope::app {

std::filesystem::path asset_path(std::string_view relative) {
  namespace fs = std::filesystem;
  std::vector<fs::path> roots;
  if (const char* env = std::getenv("CONVSCOPE_ASSETS")) roots.emplace_back(env);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    roots.push_back(exe.parent_path() / "assets");
    roots.push_back(exe.parent_path().parent_path() / "assets");
    roots.push_back(exe.parent_path().parent_path() / "share" / "convscope" / "assets");
  }
  roots.emplace_back(fs::path(CONVSCOPE_SOURCE_DIR) / "assets");
  for (const auto& root : roots)
    if (fs::exists(root / relative)) return root / relative;
  throw Error(fmt::format("bundled asset {} not found (looked beside the executable and in {}); set CONVSCOPE_ASSETS "
                          "to the assets folder",
                          relative, CONVSCOPE_SOURCE_DIR));
}

}  // namespace convscope::app
