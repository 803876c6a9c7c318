#pragma once
// Turning a decoded picture into what a model's input layer expects: its channel count, its
// spatial size and its value scaling. Every change made to the user's image is reported as a
// notice, so front ends can say what was done instead of doing it silently.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/ndarray.h"

namespace convscope {

enum class Scaling {
  ZeroOne,      // [0, 1] as loaded: Keras' `image / 255.0`
  MinusOneOne,  // [-1, 1] = 2x - 1: Keras' preprocess_input "tf" mode (MobileNet, Inception)
  MeanStd,      // (x - mean[c]) / std[c]: Keras' "torch" mode, torchvision's Normalize
};

struct ImagePrep {
  int64_t channels = 0;  // 0 keeps the file's
  Scaling scaling = Scaling::ZeroOne;
  // ImageNet statistics in RGB order, used by MeanStd only; a 1-channel input uses element 0.
  std::array<float, 3> mean{0.485f, 0.456f, 0.406f}, std{0.229f, 0.224f, 0.225f};
  int64_t height = 0, width = 0;  // 0 keeps that side's size
};

struct PreparedImage {
  NdArray array;                     // (1, H, W, C) channels_last
  std::vector<std::string> notices;  // one sentence per change, "NAME: ..."
};

// Converts `loaded`, a (1, H, W, C) array as load_image returns it, in this order:
//  - channels: 1 -> 3 replicates grey; 3 -> 1 takes ITU-R 601 luminance (0.299 R + 0.587 G +
//    0.114 B, as PIL's "L" mode); 4 -> 3 and 2 -> 1 drop alpha; 4 -> 1 and 2 -> 3 do both;
//  - size: bilinear with half-pixel centres (as tf.image.resize and Keras' Resizing layer),
//    averaging whole areas along an axis shrunk by more than 2x so the result does not alias;
//  - scaling, as `prep.scaling` says.
// `name` (usually the file name) starts each notice and error message.
// Throws UserError for an impossible channel conversion (naming both counts), a negative
// size or channel count, MeanStd on more than 3 channels or with a zero std, or an array
// that is not (1, H, W, C).
PreparedImage prepare_image(const NdArray& loaded, const ImagePrep& prep, std::string_view name);

// "0,1", "-1,1" or "meanstd"; throws UserError listing them otherwise.
Scaling parse_scaling(std::string_view name);
std::string_view to_string(Scaling scaling);

}  // namespace convscope
