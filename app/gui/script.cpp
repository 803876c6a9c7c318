#include "app/gui/script.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>
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
      {"image", {1, 1}},     {"pipeline", {1, 1}}, {"preset", {1, 1}},   {"add", {1, 2}},        {"remove", {1, 1}},
      {"move", {2, 2}},      {"duplicate", {1, 1}}, {"select", {1, 1}},  {"set", {3, 3}},        {"colormap", {1, 1}},
      {"grayscale", {1, 1}}, {"hover", {4, 4}},    {"wait", {1, 1}},     {"screenshot", {1, 1}}, {"save", {1, 1}},
      {"expect-error", {1, 1}}, {"weights", {2, 3}},   {"kernel", {4, 4}},     {"range", {1, 1}},
      {"export", {1, 1}},    {"enlarge", {2, 2}},  {"scaling", {1, 1}},    {"fit", {2, 2}},
      {"expect-box", {2, 2}}, {"expect-fresh", {0, 0}}, {"fault", {1, 1}},  {"expect-status", {1, 1}},
      {"expect-param", {3, 3}}, {"expect-recovery", {1, 1}}, {"recover", {0, 0}}, {"discard-recovery", {0, 0}},
      {"expect-autosaved", {0, 0}}, {"crash", {0, 0}},
  };
  return table;
}

size_t index_arg(const ScriptStep& s, size_t k) {
  try {
    return static_cast<size_t>(std::stoul(s.args.at(k)));
  } catch (const std::exception&) {
    throw UserError(fmt::format("script line {}: {}: '{}' is not a layer index", s.line, s.verb, s.args.at(k)));
  }
}

// "y0,x0,h,w"
std::array<double, 4> box_arg(const ScriptStep& s, size_t k) {
  std::array<double, 4> b{};
  if (std::sscanf(s.args.at(k).c_str(), "%lf,%lf,%lf,%lf", &b[0], &b[1], &b[2], &b[3]) != 4)
    throw UserError(fmt::format("script line {}: {}: '{}' is not y0,x0,h,w", s.line, s.verb, s.args.at(k)));
  return b;
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
    const auto& a = s.args;
    if (s.verb == "image") ws.open_image(a[0]);
    else if (s.verb == "pipeline") ws.open_pipeline(a[0]);
    else if (s.verb == "preset") ws.open_pipeline(app::asset_path("pipelines/" + a[0] + ".json"));
    else if (s.verb == "add") ws.add_layer(a[0], a.size() > 1 ? parse_json(a[1], "add") : nlohmann::json::object());
    else if (s.verb == "remove") ws.remove_layer(index_arg(s, 0));
    else if (s.verb == "move") ws.move_layer(index_arg(s, 0), index_arg(s, 1));
    else if (s.verb == "duplicate") ws.duplicate_layer(index_arg(s, 0));
    else if (s.verb == "select") ws.selected = static_cast<int>(index_arg(s, 0));
    else if (s.verb == "set") ws.set_parameter(index_arg(s, 0), a[1], parse_json(a[2], "set"));
    else if (s.verb == "colormap") ws.set_colormap(parse_colormap(a[0]));
    else if (s.verb == "grayscale") ws.set_grayscale(a[0] == "on");
    else if (s.verb == "hover") ui.probe({index_arg(s, 0), std::stoll(a[1]), std::stoll(a[2]), std::stoll(a[3])});
    else if (s.verb == "wait") wait_ = std::stoi(a[0]);
    else if (s.verb == "save") ws.save_pipeline(a[0]);
    else if (s.verb == "export") ws.export_maps(a[0]);
    else if (s.verb == "enlarge") ui.enlarge({index_arg(s, 0), std::stoll(a[1]), 0, 0});
    else if (s.verb == "scaling") ws.set_scaling(parse_scaling(a[0]));
    else if (s.verb == "fit") ws.start_fit(index_arg(s, 0), box_arg(s, 1), 400);
    else if (s.verb == "expect-box") {
      const size_t i = index_arg(s, 0);
      const auto want = box_arg(s, 1);
      const auto& w = ws.slots().at(i).layer->weights().at(0).data;
      for (int k = 0; k < 4; ++k)
        if (std::abs(w[static_cast<size_t>(k)] - want[static_cast<size_t>(k)]) > 1.0)
          throw UserError(fmt::format("layer {} box is ({:.2f}, {:.2f}, {:.2f}, {:.2f}), not within a pixel of {}", i,
                                      w[0], w[1], w[2], w[3], a[1]));
    }
    else if (s.verb == "weights") {
      std::string preset = a[1];
      std::replace(preset.begin(), preset.end(), '_', ' ');  // sobel_x: one word in a script
      ws.apply_kernel_preset(index_arg(s, 0), preset, a.size() > 2 ? std::stoull(a[2]) : 1);
      if (!ws.slots()[index_arg(s, 0)].error.empty()) throw UserError(ws.slots()[index_arg(s, 0)].error);
    } else if (s.verb == "kernel") ws.set_weight_value(index_arg(s, 0), index_arg(s, 1), index_arg(s, 2), std::stof(a[3]));
    else if (s.verb == "range") {
      float lo = 0, hi = 0;
      if (std::sscanf(a[0].c_str(), "%f,%f", &lo, &hi) == 2) ws.set_range_mode(RangeMode::Fixed, {lo, hi});
      else ws.set_range_mode(a[0] == "channel" ? RangeMode::Channel : RangeMode::Layer);
    }
    else if (s.verb == "screenshot") return a[0];
    else if (s.verb == "fault") vk::fault::arm_from_text(a[0], "fault");
    else if (s.verb == "recover") autosave.recover(ws);
    else if (s.verb == "discard-recovery") autosave.discard();
    else if (s.verb == "crash") std::_Exit(3);
    else if (s.verb == "expect-recovery") {
      if (autosave.offer().has_value() != (a[0] == "yes"))
        throw UserError(fmt::format("expected {} recovery offer, and there is {}", a[0] == "yes" ? "a" : "no",
                                    autosave.offer() ? "one" : "none"));
    } else if (s.verb == "expect-autosaved") {
      const auto now = std::chrono::steady_clock::now();
      if (deadline_ == std::chrono::steady_clock::time_point{}) deadline_ = now + std::chrono::seconds(10);
      if (!autosave.caught_up(ws)) {
        if (now > deadline_) throw UserError("the autosave did not catch up within 10 s");
        --next_;  // this step again next frame
        return {};
      }
      deadline_ = {};
    } else if (s.verb == "expect-param") {
      const size_t i = index_arg(s, 0);
      const nlohmann::json want = parse_json(a[2], "expect-param");
      const nlohmann::json& config = ws.slots().at(i).spec.at("config");
      const nlohmann::json got = config.contains(a[1]) ? config.at(a[1]) : nlohmann::json();
      if (got != want) throw UserError(fmt::format("layer {} has {} = {}, not {}", i, a[1], got.dump(), want.dump()));
    }
    else if (s.verb == "expect-status") {
      if (ws.status().find(a[0]) == std::string::npos && ws.notice().find(a[0]) == std::string::npos)
        throw UserError(fmt::format("the status line shows '{}' and the notice '{}', neither with '{}'", ws.status(),
                                    ws.notice(), a[0]));
    }
    else if (s.verb == "expect-fresh") {
      if (const auto stale = ws.stale_layers(); !stale.empty())
        throw UserError(fmt::format("layers {} differ from a fresh run of the stack", fmt::join(stale, ", ")));
    } else if (s.verb == "expect-error") {
      const size_t i = index_arg(s, 0);
      if (i >= ws.slots().size() || ws.slots()[i].error.empty())
        throw UserError(fmt::format("expected layer {} to show an error, and it shows none", i));
    }
  } catch (const vk::DeviceLost&) {
    throw;  // the app reopens the device and the script goes on
  } catch (const Error& e) {
    throw UserError(fmt::format("script line {} ({}): {}", s.line, s.verb, e.what()));
  } catch (const std::logic_error& e) {  // stoi and friends
    throw UserError(fmt::format("script line {} ({}): bad number", s.line, s.verb));
  }
  return {};
}

}  // namespace convscope::gui
