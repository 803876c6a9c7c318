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

std::string byte_size(uint64_t bytes) {
  const double b = static_cast<double>(bytes);
  if (bytes < 1024) return fmt::format("{} bytes", bytes);
  if (bytes < 1024 * 1024) return fmt::format("{:.1f} KiB", b / 1024);
  if (bytes < uint64_t{1024} * 1024 * 1024) return fmt::format("{:.1f} MiB", b / (1024 * 1024));
  return fmt::format("{:.2f} GiB", b / (1024.0 * 1024 * 1024));
}

std::string short_number(double v) { return fmt::format("{:.3g}", v == 0.0 ? 0.0 : v); }

}  // namespace convscope
