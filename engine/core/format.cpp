#include "core/format.h"

#include <fmt/format.h>

namespace convscope {

std::string thousands(int64_t n) {
  // The magnitude as unsigned, so INT64_MIN does not overflow on negation.
  const uint64_t magnitude = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  const std::string digits = std::to_string(magnitude);
  std::string out = n < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string short_number(double v) { return fmt::format("{:.3g}", v == 0.0 ? 0.0 : v); }

}  // namespace convscope
