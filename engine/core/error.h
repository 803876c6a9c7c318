#pragma once
// Errors carry a sentence a user can act on. Two kinds, so front ends can pick an exit code:
// UserError is bad input (config, file, shape) -> CLI exit 2; Error is everything else
// (device, driver, I/O) -> exit 1.
#include <stdexcept>
#include <string>

namespace convscope {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class UserError : public Error {
 public:
  using Error::Error;
};

}  // namespace convscope
