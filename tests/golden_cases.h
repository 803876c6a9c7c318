#pragma once
// Golden cases made by tests/golden/make_golden.py with an independent implementation
// (PyTorch): tests/golden/cases/<name>/{layer.json, input.npy, expected.npy, weight_<i>.npy}.
#include <filesystem>
#include <string>
#include <vector>

namespace convscope::test {

struct GoldenCase {
  std::string name;
  std::filesystem::path dir, layer, input, expected;
  std::vector<std::filesystem::path> weights;  // in get_weights() order
};

// Every case whose name starts with `prefix` (all when empty), sorted by name.
std::vector<GoldenCase> golden_cases(const std::string& prefix = "");

}  // namespace convscope::test
