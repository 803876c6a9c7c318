#include "core/error.h"

#include <fmt/format.h>

#include <algorithm>

namespace convscope {

namespace {

// Length of the well-formed UTF-8 sequence (RFC 3629: no overlong forms, no surrogates,
// nothing past U+10FFFF) that starts `s`, or 0.
size_t utf8_length(std::string_view s) {
  const auto byte = [&s](size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0u; };
  const unsigned lead = byte(0);
  size_t n;
  unsigned low = 0x80, high = 0xbf;  // the range of the second byte
  if (lead >= 0xc2 && lead <= 0xdf) n = 2;
  else if (lead >= 0xe0 && lead <= 0xef) n = 3, low = lead == 0xe0 ? 0xa0 : 0x80, high = lead == 0xed ? 0x9f : 0xbf;
  else if (lead >= 0xf0 && lead <= 0xf4) n = 4, low = lead == 0xf0 ? 0x90 : 0x80, high = lead == 0xf4 ? 0x8f : 0xbf;
  else return 0;
  if (byte(1) < low || byte(1) > high) return 0;
  for (size_t i = 2; i < n; ++i)
    if ((byte(i) & 0xc0) != 0x80) return 0;
  return n;
}

}  // namespace

std::string one_line(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  for (size_t i = 0; i < message.size();) {
    const auto c = static_cast<unsigned char>(message[i]);
    const size_t n = c < 0x80 ? 1 : utf8_length(message.substr(i));
    // C0 controls, DEL, and C1 controls (U+0080..U+009F: \xc2\x80..\xc2\x9f), which some
    // terminals obey as escape sequences.
    const bool control = c < 0x20 || c == 0x7f || (n == 2 && c == 0xc2 && static_cast<unsigned char>(message[i + 1]) < 0xa0);
    if (n == 0 || control) {
      for (size_t k = 0; k < std::max<size_t>(n, 1); ++k)
        out += fmt::format("\\x{:02x}", static_cast<unsigned char>(message[i + k]));
      i += std::max<size_t>(n, 1);
    } else {
      out.append(message.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace convscope
