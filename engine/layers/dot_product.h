#pragma once
// The arithmetic behind one output value of a layer that is a dot product (a convolution),
// term by term: what the app shows when a map pixel is hovered. Padded taps are kept (value
// 0, marked) so the kernel is shown whole.
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace convscope {

struct DotTerm {
  int64_t in_channel = 0;
  std::array<int64_t, 3> tap{};    // kernel position, canonical (z, y, x)
  std::array<int64_t, 3> from{};   // input position read, canonical (z, y, x)
  bool padded = false;             // outside the input: reads zero
  double value = 0, weight = 0;
};

struct DotProduct {
  std::vector<DotTerm> terms;
  double bias = 0, sum = 0;  // sum = Σ value·weight + bias, before the activation
  double output = 0;         // after the activation
  std::string activation;    // its Keras name ("relu"), "linear" when there is none
  std::array<int64_t, 3> kernel{1, 1, 1};  // taps per canonical axis (z, y, x), for laying terms out
};

// Input value (channel, z, y, x) of batch 0, canonical axes.
using InputReader = std::function<double(int64_t, int64_t, int64_t, int64_t)>;

}  // namespace convscope
