#include "core/half.h"

#include <cstring>

namespace convscope {

namespace {

// Clang before 15 has no _Float16 on x86-64, only the storage type __fp16, which converts the
// same way; the one clang build (the fuzz build) passes -mf16c so that it converts in hardware
// rather than calling compiler-rt helpers libgcc lacks.
#if defined(__clang__) && __clang_major__ < 15
using Half = __fp16;
#else
using Half = _Float16;
#endif

}  // namespace

// GCC and Clang convert _Float16 with IEEE rounding on x86-64 and AArch64 (in hardware with
// F16C or FP16, else in software); no hand-written bit manipulation to get wrong. memcpy, not
// bit_cast: __fp16 may not be a function's return type.
std::vector<uint16_t> to_half(std::span<const float> values) {
  std::vector<uint16_t> out(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    const Half h = static_cast<Half>(values[i]);
    std::memcpy(&out[i], &h, sizeof h);
  }
  return out;
}

std::vector<float> from_half(std::span<const uint16_t> values) {
  std::vector<float> out(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    Half h;
    std::memcpy(&h, &values[i], sizeof h);
    out[i] = static_cast<float>(h);
  }
  return out;
}

}  // namespace convscope
