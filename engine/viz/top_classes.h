#pragma once
// What a classifier's output vector says: whether it is a probability distribution (a
// softmax's output) and its most likely classes, named from a labels file where one is given.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace convscope {

struct RankedClass {
  size_t index = 0;
  float probability = 0;
  std::string label;  // labels[index], or "class <index>" past the labels' end
};

// Every entry in [0, 1] and the sum within 1e-3 of 1 (float32 softmax over thousands of
// classes rounds to about that), with at least two entries.
bool is_distribution(std::span<const float> values);
// The k largest entries, largest first (ties: the lower index first).
std::vector<RankedClass> top_classes(std::span<const float> values, size_t k, const std::vector<std::string>& labels);

}  // namespace convscope
