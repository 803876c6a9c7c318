#include "golden_cases.h"

#include <algorithm>

namespace convscope::test {

std::vector<GoldenCase> golden_cases(const std::string& prefix) {
  namespace fs = std::filesystem;
  std::vector<GoldenCase> cases;
  for (const auto& entry : fs::directory_iterator(fs::path(CONVSCOPE_SOURCE_DIR) / "tests" / "golden" / "cases")) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory() || name.rfind(prefix, 0) != 0) continue;
    GoldenCase c{name, entry.path(), entry.path() / "layer.json", entry.path() / "input.npy",
                 entry.path() / "expected.npy", {}};
    for (int i = 0; fs::exists(entry.path() / ("weight_" + std::to_string(i) + ".npy")); ++i)
      c.weights.push_back(entry.path() / ("weight_" + std::to_string(i) + ".npy"));
    cases.push_back(std::move(c));
  }
  std::sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return cases;
}

}  // namespace convscope::test
