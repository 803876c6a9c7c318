#pragma once
// What both fuzz targets treat as a finding besides a crash or a sanitizer report. libFuzzer
// saves the input of any abort(), so a broken rule aborts with a line saying which rule.
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace convscope::fuzz {

[[noreturn]] inline void finding(std::string_view rule, std::string_view detail) {
  std::fprintf(stderr, "FUZZ FINDING: %.*s: %.*s\n", static_cast<int>(rule.size()), rule.data(),
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

// The project's rule for messages: one line of text (the CLI prints "convscope: error: MSG",
// scripts read it line by line, the app shows it in one ImGui line). So no control character
// (C0, DEL or C1, which terminals may obey), and valid UTF-8: a layer name may be any Unicode,
// but raw bytes from a damaged file print as garbage. Checked here byte by byte, not with the
// engine's own one_line(), so that a mistake there is found too.
inline void require_one_line(std::string_view message) {
  size_t continuation = 0;  // bytes still owed by the current UTF-8 sequence
  unsigned char previous = 0;
  for (const char ch : message) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f || (previous == 0xc2 && c >= 0x80 && c < 0xa0))
      finding("control character in an error message", message);
    previous = c;
    if (continuation > 0) {
      if ((c & 0xc0) != 0x80) finding("invalid UTF-8 in an error message", message);
      --continuation;
    } else if (c >= 0x80) {
      if (c >= 0xc2 && c <= 0xdf) continuation = 1;
      else if (c >= 0xe0 && c <= 0xef) continuation = 2;
      else if (c >= 0xf0 && c <= 0xf4) continuation = 3;
      else finding("invalid UTF-8 in an error message", message);
    }
  }
  if (continuation > 0) finding("invalid UTF-8 in an error message", message);
}

}  // namespace convscope::fuzz
