#include "layers/keras_generation.h"

#include <fmt/format.h>

#include <cctype>

#include "core/error.h"

namespace convscope {

namespace {
thread_local int current_generation = 3;
}  // namespace

int keras_generation() { return current_generation; }

KerasGenerationScope::KerasGenerationScope(int generation) : previous_(current_generation) {
  if (generation < 1 || generation > 3)
    throw Error(fmt::format("internal: Keras generation {}; convscope knows 1, 2 and 3", generation));
  current_generation = generation;
}

KerasGenerationScope::~KerasGenerationScope() { current_generation = previous_; }

int keras_generation_of(std::string_view version) {
  if (version.rfind("tfjs", 0) == 0) return 2;
  if (version.empty() || !std::isdigit(static_cast<unsigned char>(version[0]))) return 3;
  const size_t dot = version.find('.');
  const std::string_view major = version.substr(0, dot);
  if (major == "0" || major == "1") return 1;  // Keras 0.x wrote the same maths as 1.x
  if (major == "2") return 2;
  return 3;
}

}  // namespace convscope
