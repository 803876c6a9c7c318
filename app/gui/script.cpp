#include "app/gui/script.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "app/assets.h"
#include "app/gui/autosave.h"
#include "app/gui/ui.h"
#include "app/gui/workspace.h"
#include "core/error.h"
#include "io/json_file.h"
#include "vk/check.h"
#include "vk/fault.h"

namespace convscope::gui {

namespace {

// Verb -> (least, most) arguments; JSON arguments may contain spaces, so they come last.
const std::map<std::string, std::pair<size_t, size_t>>& verbs() {
  static const std::map<std::string, std::pair<size_t, size_t>> table = {
      {"image", {1, 1}},          {"pipeline", {1, 1}},      {"preset", {1, 1}},        {"add", {1, 2}},
      {"remove", {1, 1}},         {"move", {2, 2}},          {"duplicate", {1, 1}},     {"select", {1, 1}},
      {"set", {3, 3}},            {"set-config", {2, 2}},            {"colormap", {1, 1}},      {"grayscale", {1, 1}},     {"hover", {4, 4}},
      {"wait", {1, 1}},           {"screenshot", {1, 1}},    {"save", {1, 1}},          {"weights", {2, 3}},
      {"kernel", {4, 4}},         {"range", {1, 1}},         {"export", {1, 1}},        {"enlarge", {2, 2}},
      {"scaling", {1, 1}},        {"fit", {2, 2}},           {"fault", {1, 1}},         {"recover", {0, 0}},
      {"discard-recovery", {0, 0}}, {"crash", {0, 0}},       {"back-to-last-good", {0, 0}}, {"replace", {2, 3}},
      {"labels", {1, 1}},
      // checks (script_checks.cpp)
      {"expect-error", {1, 2}},   {"expect-misfit", {1, 1}}, {"expect-waits", {1, 1}},  {"expect-fits", {1, 1}},
      {"expect-shape", {2, 2}},   {"expect-param", {3, 3}},  {"expect-weight", {4, 4}}, {"expect-box", {2, 2}},
      {"expect-unsaved", {1, 1}}, {"expect-last-good", {1, 1}}, {"expect-fresh", {0, 0}}, {"expect-status", {1, 1}},
      {"expect-recovery", {1, 1}}, {"expect-autosaved", {0, 0}}, {"expect-top", {2, 2}}, {"expect-plot", {1, 1}},
      {"expect-winner", {1, 1}},
  };
  return table;
}

// "y0,x0,h,w"
std::array<double, 4> box_arg(const ScriptStep& s, size_t k) {
  std::array<double, 4> b{};
  if (std::sscanf(s.args.at(k).c_str(), "%lf,%lf,%lf,%lf", &b[0], &b[1], &b[2], &b[3]) != 4)
    throw UserError(fmt::format("'{}' is not y0,x0,h,w", s.args.at(k)));
  return b;
}

// A pixel of layer i's maps: channel, y and x inside its output.
Probe pixel_arg(const ScriptStep& s, const Workspace& ws) {
  const size_t i = layer_arg(s, 0, ws);
  const NodeState& node = ws.node(i);
  if (!node.fits()) throw UserError(fmt::format("layer {} has no maps: it does not fit, or waits on one that does not", i));
  const Shape& o = *node.shape;
  const int64_t c = int_arg(s, 1), y = s.args.size() > 2 ? int_arg(s, 2) : 0, x = s.args.size() > 3 ? int_arg(s, 3) : 0;
  if (c < 0 || c >= o.c) throw UserError(fmt::format("channel {} is outside layer {}'s {} channels", c, i, o.c));
  if (y < 0 || y >= o.h || x < 0 || x >= o.w)
    throw UserError(fmt::format("(y {}, x {}) is outside layer {}'s {}x{} maps", y, x, i, o.h, o.w));
  return {i, c, y, x};
}

}  // namespace

std::vector<ScriptStep> parse_script(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw UserError(fmt::format("{}: cannot open the script", path.string()));
  std::vector<ScriptStep> steps;
  std::string text;
  for (int line = 1; std::getline(in, text); ++line) {
    std::istringstream words(text);
    ScriptStep s{line, {}, {}};
    if (!(words >> s.verb) || s.verb[0] == '#') continue;
    auto it = verbs().find(s.verb);
    if (it == verbs().end()) throw UserError(fmt::format("{}:{}: unknown action '{}'", path.string(), line, s.verb));
    const auto [least, most] = it->second;
    std::string word;
    while (s.args.size() + 1 < most && words >> word) s.args.push_back(word);
    std::string rest;
    std::getline(words >> std::ws, rest);
    if (!rest.empty()) s.args.push_back(rest);
    if (s.args.size() < least || s.args.size() > most)
      throw UserError(fmt::format("{}:{}: '{}' takes {} argument{}", path.string(), line, s.verb,
                                  least == most ? std::to_string(least) : fmt::format("{} to {}", least, most),
                                  most == 1 ? "" : "s"));
    steps.push_back(std::move(s));
  }
  return steps;
}

std::filesystem::path ScriptRunner::step(Workspace& ws, Ui& ui, Autosave& autosave) {
  if (wait_ > 0) {
    --wait_;
    return {};
  }
  if (next_ >= steps_.size()) return {};
  const ScriptStep& s = steps_[next_++];
  try {
    if (s.verb.rfind("expect-", 0) == 0) {
      if (!check(s, ws, ui, autosave)) --next_;  // this step again next frame
      return {};
    }
    return act(s, ws, ui, autosave);
  } catch (const vk::DeviceLost&) {
    throw;  // the app reopens the device and the script goes on
  } catch (const Error& e) {
    throw UserError(fmt::format("{}:{}: {}: {}", path_.string(), s.line, s.verb, e.what()));
  }
}

std::filesystem::path ScriptRunner::act(const ScriptStep& s, Workspace& ws, Ui& ui, Autosave& autosave) {
  const auto& a = s.args;
  if (s.verb == "image") ws.open_image(a[0]);
  else if (s.verb == "pipeline") ws.open_pipeline(a[0]);
  else if (s.verb == "replace")  // what the replace popup's "Open with these" does, for one layer
    ws.accept_replacements({{a[0], {{"class_name", a[1]},
                                    {"config", a.size() > 2 ? parse_json(a[2], "replace") : nlohmann::json::object()}}}});
  else if (s.verb == "labels") ws.open_labels(a[0]);
  else if (s.verb == "preset") ws.open_pipeline(app::asset_path("pipelines/" + a[0] + ".json"));
  else if (s.verb == "add") ws.add_layer(a[0], a.size() > 1 ? parse_json(a[1], "add") : nlohmann::json::object());
  else if (s.verb == "remove") ws.remove_layer(layer_arg(s, 0, ws));
  else if (s.verb == "move") ws.move_layer(layer_arg(s, 0, ws), layer_arg(s, 1, ws));
  else if (s.verb == "duplicate") ws.duplicate_layer(layer_arg(s, 0, ws));
  else if (s.verb == "select") ws.selected = static_cast<int>(layer_arg(s, 0, ws));
  else if (s.verb == "set") ws.set_parameter(layer_arg(s, 0, ws), a[1], parse_json(a[2], "set"));
  else if (s.verb == "set-config") ws.set_config(layer_arg(s, 0, ws), parse_json(a[1], "set-config"));
  else if (s.verb == "colormap") ws.set_colormap(parse_colormap(a[0]));
  else if (s.verb == "grayscale") ws.set_grayscale(yes_no_arg(s, 0));
  else if (s.verb == "hover") ui.probe(pixel_arg(s, ws));
  else if (s.verb == "wait") wait_ = static_cast<int>(count_arg(s, 0));
  else if (s.verb == "save") ws.save_pipeline(a[0]);
  else if (s.verb == "export") ws.export_maps(a[0]);
  else if (s.verb == "enlarge") ui.enlarge(pixel_arg(s, ws));
  else if (s.verb == "scaling") ws.set_scaling(parse_scaling(a[0]));
  else if (s.verb == "fit") ws.start_fit(layer_arg(s, 0, ws), box_arg(s, 1), 400);
  else if (s.verb == "back-to-last-good") ws.back_to_last_good();
  else if (s.verb == "weights") {
    std::string preset = a[1];
    std::replace(preset.begin(), preset.end(), '_', ' ');  // sobel_x: one word in a script
    const size_t i = layer_arg(s, 0, ws);
    ws.apply_kernel_preset(i, preset, a.size() > 2 ? count_arg(s, 2) : 1);
    if (const auto& r = ws.slots()[i].refused; r && r->key == "weights") throw UserError(r->message);
  } else if (s.verb == "kernel") {
    ws.set_weight_value(layer_arg(s, 0, ws), count_arg(s, 1), count_arg(s, 2), static_cast<float>(number_arg(s, 3)));
  } else if (s.verb == "range") {
    float lo = 0, hi = 0;
    if (std::sscanf(a[0].c_str(), "%f,%f", &lo, &hi) == 2) ws.set_range_mode(RangeMode::Fixed, {lo, hi});
    else if (a[0] == "channel" || a[0] == "layer") ws.set_range_mode(a[0] == "channel" ? RangeMode::Channel : RangeMode::Layer);
    else throw UserError(fmt::format("'{}' is not layer, channel or LO,HI", a[0]));
  } else if (s.verb == "screenshot") return a[0];
  else if (s.verb == "fault") vk::fault::arm_from_text(a[0], "fault");
  else if (s.verb == "recover") autosave.recover(ws);
  else if (s.verb == "discard-recovery") autosave.discard();
  else if (s.verb == "crash") std::_Exit(3);
  return {};
}

}  // namespace convscope::gui
