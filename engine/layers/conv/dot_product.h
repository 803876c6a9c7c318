#pragma once
// The arithmetic behind one output value of a convolution, term by term: what the app shows
// when a conv map pixel is hovered. Padded taps are kept (value 0, marked) so the kernel is
// shown whole.
#include <functional>
#include <optional>
#include <vector>

#include "layers/conv/conv_core.h"

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
};

// Output (channel, z, y, x) of a non-transposed convolution; `read(c, z, y, x)` gives input
// values (batch 0). nullopt for a transposed convolution.
std::optional<DotProduct> dot_product(const ConvCore& core, const ConvWeights& weights, const Shape& input,
                                      const std::function<double(int64_t, int64_t, int64_t, int64_t)>& read,
                                      int64_t channel, int64_t z, int64_t y, int64_t x);

}  // namespace convscope
