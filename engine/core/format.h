#pragma once
// Numbers as people read them in reports and on pictures.
#include <cstdint>
#include <string>

namespace convscope {

// "1,234,567"; negative numbers keep their sign: "-5", "-1,000".
std::string thousands(int64_t n);

// A size in bytes the way people read it: "512 bytes", "3.0 KiB", "120.1 MiB", "2.00 GiB".
std::string byte_size(uint64_t bytes);

// Three significant digits, as printf's %.3g: "0.25", "-1.5e+03", "1.23e-05", "nan", "inf".
// Negative zero prints as "0": a range "-0 .. 3" would read as a bug.
std::string short_number(double v);

}  // namespace convscope
