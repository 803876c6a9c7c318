// The script's arguments, read strictly: a layer index must name a layer of the stack, a
// number must be one. What is wrong is said with the argument, and the runner adds the line.
#include <fmt/format.h>

#include <charconv>

#include "app/gui/script.h"
#include "app/gui/workspace.h"
#include "core/error.h"

namespace convscope::gui {

namespace {

template <typename T>
T parse(const ScriptStep& s, size_t k, const char* what) {
  const std::string& a = s.args.at(k);
  T v{};
  const auto [end, ec] = std::from_chars(a.data(), a.data() + a.size(), v);
  if (ec != std::errc() || end != a.data() + a.size()) throw UserError(fmt::format("'{}' is not {}", a, what));
  return v;
}

}  // namespace

size_t count_arg(const ScriptStep& s, size_t k) { return parse<size_t>(s, k, "a count (0, 1, 2, ...)"); }

int64_t int_arg(const ScriptStep& s, size_t k) { return parse<int64_t>(s, k, "an integer"); }

double number_arg(const ScriptStep& s, size_t k) { return parse<double>(s, k, "a number"); }

size_t layer_arg(const ScriptStep& s, size_t k, const Workspace& ws) {
  const size_t i = parse<size_t>(s, k, "a layer index");
  if (i >= ws.size())
    throw UserError(fmt::format("there is no layer {}: the stack has {} layer{} (0 to {})", i, ws.size(),
                                ws.size() == 1 ? "" : "s", ws.size() == 0 ? 0 : ws.size() - 1));
  return i;
}

bool yes_no_arg(const ScriptStep& s, size_t k) {
  const std::string& a = s.args.at(k);
  if (a != "yes" && a != "no" && a != "on" && a != "off") throw UserError(fmt::format("'{}' is not yes or no", a));
  return a == "yes" || a == "on";
}

}  // namespace convscope::gui
