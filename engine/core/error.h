#pragma once
// Errors carry a sentence a user can act on. Two kinds, so front ends can pick an exit code:
// UserError is bad input (config, file, shape) -> CLI exit 2; Error is everything else
// (device, driver, I/O) -> exit 1.
#include <stdexcept>
#include <string>
#include <string_view>

namespace convscope {

// A message as one line of text whatever it quotes (a layer named "a\nb", a zip member's
// raw bytes): control characters and bytes that are not UTF-8 become \xNN.
std::string one_line(std::string_view message);

// Messages pass through one_line here, once for every place that builds one from input.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(one_line(message)) {}
  explicit Error(const char* message) : Error(std::string(message)) {}
};

class UserError : public Error {
 public:
  using Error::Error;
};

}  // namespace convscope
