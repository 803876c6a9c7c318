#include "viz/top_classes.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace convscope {

bool is_distribution(std::span<const float> values) {
  if (values.size() < 2) return false;
  double sum = 0;
  for (const float v : values) {
    if (!(v >= 0.0f && v <= 1.0f)) return false;  // NaN fails too
    sum += v;
  }
  return std::abs(sum - 1.0) <= 1e-3;
}

std::vector<RankedClass> top_classes(std::span<const float> values, size_t k, const std::vector<std::string>& labels) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), size_t{0});
  k = std::min(k, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                    [&](size_t a, size_t b) { return values[a] > values[b] || (values[a] == values[b] && a < b); });
  std::vector<RankedClass> top;
  for (size_t r = 0; r < k; ++r) {
    const size_t i = order[r];
    top.push_back({i, values[i], i < labels.size() ? labels[i] : fmt::format("class {}", i)});
  }
  return top;
}

}  // namespace convscope
