#pragma once
// Golden cases made by the generators in tests/golden/ with an independent implementation
// (PyTorch): tests/golden/cases/<name>/{layer.json, input.npy or input_<i>.npy, expected.npy,
// weight_<i>.npy}.
#include <filesystem>
#include <string>
#include <vector>

namespace convscope::test {

struct GoldenCase {
  std::string name;
  // `input` is a one-input case's input.npy, empty for a case of several inputs (a merge).
  std::filesystem::path dir, layer, input, expected;
  std::vector<std::filesystem::path> weights;  // in get_weights() order
  // Every input in call order: {input.npy}, or input_0.npy, input_1.npy, ... where a layer
  // reads several tensors.
  std::vector<std::filesystem::path> inputs;
};

// The case in folder `dir`, named after it.
GoldenCase golden_case(const std::filesystem::path& dir);

// Every case in tests/golden/cases/ whose name starts with `prefix` (all when empty), sorted
// by name.
std::vector<GoldenCase> golden_cases(const std::string& prefix = "");

}  // namespace convscope::test
