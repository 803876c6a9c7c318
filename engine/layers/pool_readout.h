#pragma once
// What one output value of a pooling layer was made of: the real input elements its window
// covers (padding never counts, as in TensorFlow) and, for max pooling, which one won. What
// the app shows when a pooled pixel is hovered.
#include <array>
#include <cstdint>
#include <vector>

namespace convscope {

struct PoolReadout {
  bool max = true;  // max pooling; false: average
  // The real input positions the window covers, canonical (z, y, x), in reading order.
  std::vector<std::array<int64_t, 3>> elements;
  int64_t window = 0;  // the window's size, padded positions included
  // Max: the first largest element in reading order (ties: the earliest).
  std::array<int64_t, 3> winner{};
  double winner_value = 0;
  double sum = 0;     // of the elements' values: the average's numerator
  double output = 0;  // what the layer computes from them
};

}  // namespace convscope
