#pragma once
// Layer names as Keras makes them up when a config leaves them out.
#include <functional>
#include <string>
#include <string_view>

namespace convscope {

// Keras' automatic layer name for a class: "Conv2D" -> "conv2d", "ZeroPadding2D" -> "zero_padding2d".
std::string keras_snake_case(std::string_view class_name);
// The first of conv2d, conv2d_1, conv2d_2, ... that `taken` refuses, as Keras names layers.
std::string unique_keras_name(std::string_view class_name, const std::function<bool(const std::string&)>& taken);

}  // namespace convscope
