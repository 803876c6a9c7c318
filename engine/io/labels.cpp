#include "io/labels.h"

#include <fmt/format.h>

#include <fstream>

#include "core/error.h"

namespace convscope {

namespace {

// More lines than any classifier has classes: a file that big is not a label list.
constexpr size_t kMaxLabels = 1 << 20;
constexpr size_t kMaxLabelBytes = 4096;

}  // namespace

std::vector<std::string> read_labels(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError(fmt::format("{}: cannot open the labels file", path.string()));
  std::vector<std::string> labels;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // written on Windows
    if (line.find('\0') != std::string::npos)
      throw UserError(fmt::format("{}: line {} holds a NUL byte: a labels file is text, one label per line",
                                  path.string(), labels.size() + 1));
    if (line.size() > kMaxLabelBytes)
      throw UserError(fmt::format("{}: line {} is {} bytes long: a labels file has one short label per line",
                                  path.string(), labels.size() + 1, line.size()));
    if (labels.size() == kMaxLabels)
      throw UserError(fmt::format("{}: more than {} lines: not a labels file", path.string(), kMaxLabels));
    labels.push_back(std::move(line));
  }
  while (!labels.empty() && labels.back().empty()) labels.pop_back();  // a trailing blank line names nothing
  if (labels.empty()) throw UserError(fmt::format("{}: no labels (one per line)", path.string()));
  return labels;
}

}  // namespace convscope
