#pragma once
// A box of elements copied between two tensors, each side addressed by its own strides: the
// one GPU kernel (shaders/strided_copy.comp) and CPU loop behind Flatten, Permute, Reshape,
// RepeatVector, Concatenate's slices and the inference identities.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "vk/buffer.h"
#include "vk/sequence.h"

namespace convscope {

struct StridedCopy {
  std::vector<int64_t> dims;         // the box, outermost axis first
  std::vector<int64_t> src_strides;  // per box axis, in elements; 0 reads one element repeatedly
  std::vector<int64_t> dst_strides;
  int64_t src_offset = 0, dst_offset = 0;

  int64_t elements() const;
  // The same copy with unit axes dropped and neighbours that step alike on both sides
  // merged: fewer divisions per element on the GPU.
  StridedCopy simplified() const;
};

// Strides of a canonical tensor's Keras axes (batch first), in s.format's order.
std::vector<int64_t> keras_strides(const Shape& s);
// Row-major strides of `dims`.
std::vector<int64_t> contiguous_strides(const std::vector<int64_t>& dims);

// Every element of a canonical tensor of shape `s`, written contiguously in Keras' order
// for s.format ((N, D, H, W, C) for channels_last): what Flatten and Reshape read.
StridedCopy canonical_to_keras(const Shape& s);
// The reverse: a contiguous Keras-order buffer into the canonical tensor `s`.
StridedCopy keras_to_canonical(const Shape& s);
// A plain copy of `elements` elements.
StridedCopy contiguous_copy(int64_t elements);

// The CPU loop: the reference side of every layer built on strided copies.
void copy_strided(std::span<const float> src, std::span<float> dst, const StridedCopy& copy);

// Records the copy; at most 8 axes after simplified(), and every index within 32 bits.
void record_strided_copy(vk::Sequence& seq, const vk::Buffer& src, const vk::Buffer& dst, const StridedCopy& copy,
                         const std::string& label);

}  // namespace convscope
