#include "core/half.h"

#include <bit>

namespace convscope {

// GCC and Clang convert _Float16 with IEEE rounding on x86-64 and AArch64 (in hardware with
// F16C or FP16, else in software); no hand-written bit manipulation to get wrong.
std::vector<uint16_t> to_half(std::span<const float> values) {
  std::vector<uint16_t> out(values.size());
  for (size_t i = 0; i < values.size(); ++i) out[i] = std::bit_cast<uint16_t>(static_cast<_Float16>(values[i]));
  return out;
}

std::vector<float> from_half(std::span<const uint16_t> values) {
  std::vector<float> out(values.size());
  for (size_t i = 0; i < values.size(); ++i) out[i] = static_cast<float>(std::bit_cast<_Float16>(values[i]));
  return out;
}

}  // namespace convscope
