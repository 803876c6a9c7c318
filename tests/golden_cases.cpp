#include "golden_cases.h"

#include <algorithm>

namespace convscope::test {

namespace {

namespace fs = std::filesystem;

// dir/<stem>_0.npy, dir/<stem>_1.npy, ... as long as they exist.
std::vector<fs::path> numbered_files(const fs::path& dir, const std::string& stem) {
  std::vector<fs::path> files;
  for (int i = 0; fs::exists(dir / (stem + "_" + std::to_string(i) + ".npy")); ++i)
    files.push_back(dir / (stem + "_" + std::to_string(i) + ".npy"));
  return files;
}

}  // namespace

GoldenCase golden_case(const fs::path& dir) {
  GoldenCase c{dir.filename().string(), dir, dir / "layer.json", {}, dir / "expected.npy", numbered_files(dir, "weight"), {}};
  if (fs::exists(dir / "input.npy")) {
    c.input = dir / "input.npy";
    c.inputs = {c.input};
  } else {
    c.inputs = numbered_files(dir, "input");
  }
  return c;
}

std::vector<GoldenCase> golden_cases(const std::string& prefix) {
  std::vector<GoldenCase> cases;
  for (const auto& entry : fs::directory_iterator(fs::path(CONVSCOPE_SOURCE_DIR) / "tests" / "golden" / "cases")) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory() && name.rfind(prefix, 0) == 0) cases.push_back(golden_case(entry.path()));
  }
  std::sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return cases;
}

}  // namespace convscope::test
