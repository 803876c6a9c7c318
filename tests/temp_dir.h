#pragma once
// A fresh directory under the system temp folder for one test, removed with everything in it
// when the test ends.
#include <filesystem>
#include <iterator>
#include <random>
#include <string>

namespace convscope::test {

struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& prefix = "convscope_test_") {
    std::random_device rd;
    path = std::filesystem::temp_directory_path() / (prefix + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  size_t entries() const {
    return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(path), std::filesystem::directory_iterator()));
  }
};

}  // namespace convscope::test
