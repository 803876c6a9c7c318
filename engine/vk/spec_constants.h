#pragma once
// Specialization constants by constant_id, the ids shaders/spec_ids.h names once for GLSL and
// C++. Kept sorted by id, so the same constants set in any order are one PipelineCache key.
#include <algorithm>
#include <compare>
#include <concepts>
#include <cstdint>
#include <optional>
#include <vector>

#include "spec_ids.h"

namespace convscope::vk {

class SpecConstants {
 public:
  struct Entry {
    uint32_t id = 0, value = 0;
    auto operator<=>(const Entry&) const = default;
  };

  // A 32-bit int travels as its bit pattern, which the shader's int reads back; a bool as 0 or 1.
  template <std::integral T>
    requires(sizeof(T) <= 4)
  SpecConstants& set(uint32_t id, T value) {
    const Entry e{id, static_cast<uint32_t>(value)};
    auto it = std::lower_bound(entries_.begin(), entries_.end(), id, [](const Entry& a, uint32_t i) { return a.id < i; });
    if (it != entries_.end() && it->id == id) *it = e;
    else entries_.insert(it, e);
    return *this;
  }
  std::optional<uint32_t> get(uint32_t id) const {
    for (const Entry& e : entries_)
      if (e.id == id) return e.value;
    return std::nullopt;
  }
  const std::vector<Entry>& entries() const { return entries_; }
  auto operator<=>(const SpecConstants&) const = default;

 private:
  std::vector<Entry> entries_;
};

// The constants every compute pipeline needs: its workgroup width.
inline SpecConstants workgroup_width(uint32_t width) { return SpecConstants().set(SPEC_WORKGROUP_WIDTH, width); }

}  // namespace convscope::vk
