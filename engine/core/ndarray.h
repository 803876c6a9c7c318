#pragma once
// A plain N-dimensional float32 array in C order: what crosses the boundary to files
// (.npy, images) and to the Keras world, before it becomes a canonical Tensor.
#include <cstdint>
#include <string>
#include <vector>

namespace convscope {

struct NdArray {
  std::vector<int64_t> shape;
  std::vector<float> data;

  NdArray() = default;
  explicit NdArray(std::vector<int64_t> s) : shape(std::move(s)), data(element_count(shape)) {}

  static size_t element_count(const std::vector<int64_t>& shape) {
    size_t n = 1;
    for (int64_t d : shape) n *= static_cast<size_t>(d);
    return n;
  }
  size_t size() const { return data.size(); }
  int rank() const { return static_cast<int>(shape.size()); }
};

// "(2, 5, 7, 3)": how shapes appear in messages, the way Python prints tuples.
std::string shape_string(const std::vector<int64_t>& shape);

}  // namespace convscope
