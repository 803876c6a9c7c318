#pragma once
// Reading the arguments conv layers share, with Keras' rules and messages naming them; the
// readers every family uses (read_tuple, ...) are in layers/config_reader.h.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "layers/config_reader.h"
#include "layers/conv/conv_core.h"

namespace convscope {

// kernel_size, strides, dilation_rate, padding, activation (and output_padding when
// transposed); `allow_causal` for 1D layers. filters and groups are left to the layer.
ConvConfig read_conv_config(const ConfigReader& cfg, int rank, bool transposed);

// "Keras refuses strides > 1 together with dilation_rate > 1" when that is the case.
std::optional<std::string> strided_dilation_warning(const ConvConfig& c);

}  // namespace convscope
