#pragma once
// Image resizing as Keras' Resizing and CenterCrop do it through tf.image.resize: half-pixel
// centres, no antialiasing, nearest or bilinear, from a window of the input (the whole input,
// a centred crop to the target's aspect ratio, or the input padded to it with a fill value).
// shaders/resize.comp on the GPU, the same arithmetic here for the reference.
#include <array>
#include <cstdint>
#include <string>

#include "core/tensor.h"
#include "vk/device_tensor.h"
#include "vk/sequence.h"

namespace convscope {

// One axis (rows or columns) of a resize.
struct ResizeAxis {
  int64_t in = 1;      // the input's length
  int64_t offset = 0;  // input index of the window's first element (negative: padding before)
  int64_t window = 1;  // the window's length: the image tf.image.resize sees
  int64_t out = 1;     // the output's length
  // TensorFlow's float32 scale, window / out (CalculateResizeScale).
  float scale() const { return static_cast<float>(window) / static_cast<float>(out); }
};

enum class ResizeMode { Nearest, Bilinear };

struct ResizePlan {
  std::array<ResizeAxis, 2> axes;  // rows, columns
  ResizeMode mode = ResizeMode::Bilinear;
  float fill = 0.0f;  // what window elements off the input read
};

// How the window is chosen from an (h, w) input for a (th, tw) output.
enum class AspectWindow { Whole, Crop, Pad };
// Keras' arithmetic: crop_h = max(min(h, int(w * th / tw)), 1), started at int((h - crop_h) / 2);
// pad_h = max(h, int(w * th / tw)), the input then padded by int((pad_h - h) / 2) on both
// sides (so an odd difference pads one row less). `float32`: the quotient as the TensorFlow
// backend computes it (Resizing), else in double as Python does (CenterCrop's smart_resize).
std::array<ResizeAxis, 2> aspect_window(int64_t h, int64_t w, int64_t th, int64_t tw, AspectWindow how, bool float32);

// Window indices read for output index o, and the weight of `hi` (0 for nearest).
struct ResizeTaps {
  int64_t lo, hi;
  double lerp;
};
ResizeTaps resize_taps(const ResizeAxis& a, int64_t o, ResizeMode mode);

// `input` (canonical, rank 2) resized by `plan`, in double.
Tensor resize_reference(const Tensor& input, const Shape& output, const ResizePlan& plan);
void record_resize(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output, const ResizePlan& plan,
                   const std::string& label);
// The input pixels output range [first, last] of axis `a` reads (first > last: only fill).
std::pair<int64_t, int64_t> resize_source(const ResizeAxis& a, ResizeMode mode, std::pair<int64_t, int64_t> out);

}  // namespace convscope
