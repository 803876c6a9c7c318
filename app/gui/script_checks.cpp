// The script's expect-* verbs: each passes or throws UserError saying what it found instead.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <cstdio>

#include "app/gui/autosave.h"
#include "app/gui/script.h"
#include "app/gui/ui.h"
#include "app/gui/workspace.h"
#include "core/error.h"
#include "io/json_file.h"
#include "model/summary.h"

namespace convscope::gui {

namespace {

void expect(bool ok, const std::string& found) {
  if (!ok) throw UserError(found);
}

}  // namespace

bool ScriptRunner::check(const ScriptStep& s, Workspace& ws, const Ui& ui, Autosave& autosave) {
  const auto& a = s.args;
  if (s.verb == "expect-error") {
    const size_t i = layer_arg(s, 0, ws);
    const std::string shown = ws.slots()[i].refused ? ws.slots()[i].refused->message : ws.node(i).error;
    expect(!shown.empty(), fmt::format("layer {} shows no error", i));
    expect(a.size() < 2 || shown.find(a[1]) != std::string::npos,
           fmt::format("layer {} shows '{}', without '{}'", i, shown, a.size() > 1 ? a[1] : ""));
  } else if (s.verb == "expect-misfit") {
    const size_t i = layer_arg(s, 0, ws);
    expect(!ws.node(i).error.empty(), fmt::format("layer {} fits its input", i));
  } else if (s.verb == "expect-waits") {
    const size_t i = layer_arg(s, 0, ws);
    expect(ws.node(i).blocked_by.has_value(), fmt::format("layer {} waits on no layer", i));
  } else if (s.verb == "expect-fits") {
    const size_t i = layer_arg(s, 0, ws);
    expect(ws.node(i).fits(), fmt::format("layer {} does not fit: {}", i, ws.node(i).error));
  } else if (s.verb == "expect-shape") {
    const size_t i = layer_arg(s, 0, ws);
    const NodeState& n = ws.node(i);
    const std::string shown = n.fits() ? keras_shape_string(*n.shape, n.shape->format) : "none";
    expect(shown == a[1], fmt::format("layer {} shows {}, not {}", i, shown, a[1]));
  } else if (s.verb == "expect-param") {
    const size_t i = layer_arg(s, 0, ws);
    const nlohmann::json want = parse_json(a[2], "expect-param");
    const nlohmann::json& config = ws.slots()[i].spec.at("config");
    const nlohmann::json got = config.contains(a[1]) ? config.at(a[1]) : nlohmann::json();
    expect(got == want, fmt::format("layer {} has {} = {}, not {}", i, a[1], got.dump(), want.dump()));
  } else if (s.verb == "expect-weight") {
    const size_t i = layer_arg(s, 0, ws), array = count_arg(s, 1), index = count_arg(s, 2);
    const double want = number_arg(s, 3);
    const auto& w = ws.layer(i).weights();
    expect(array < w.size() && index < w[array].size(),
           fmt::format("layer {} has no element {} of array {} ({} arrays)", i, index, array, w.size()));
    const double got = w[array].data[index];
    expect(std::abs(got - want) <= 1e-6 * (1 + std::abs(want)),
           fmt::format("layer {} array {} element {} is {:.7g}, not {}", i, array, index, got, a[3]));
  } else if (s.verb == "expect-box") {
    const size_t i = layer_arg(s, 0, ws);
    std::array<double, 4> want{};
    expect(std::sscanf(a[1].c_str(), "%lf,%lf,%lf,%lf", &want[0], &want[1], &want[2], &want[3]) == 4,
           fmt::format("'{}' is not y0,x0,h,w", a[1]));
    const auto& w = ws.layer(i).weights().at(0).data;
    for (size_t k = 0; k < 4; ++k)
      expect(std::abs(w[k] - want[k]) <= 1.0, fmt::format("layer {} box is ({:.2f}, {:.2f}, {:.2f}, {:.2f}), not within "
                                                          "a pixel of {}", i, w[0], w[1], w[2], w[3], a[1]));
  } else if (s.verb == "expect-top") {  // the most likely class of a softmax vector, by label
    const size_t i = layer_arg(s, 0, ws);
    const auto top = ws.top_classes(i, 1);
    expect(!top.empty(), fmt::format("layer {} shows no classes (not a probability vector, or not computed)", i));
    expect(top[0].label == a[1], fmt::format("layer {}'s top class is '{}' ({:.3f}), not '{}'", i, top[0].label,
                                             top[0].probability, a[1]));
  } else if (s.verb == "expect-plot") {
    const size_t i = layer_arg(s, 0, ws);
    expect(ws.plot(i) != nullptr, fmt::format("layer {} shows no plot", i));
  } else if (s.verb == "expect-winner") {
    // After hovering a max-pooling pixel: the element shown as the winner lies under the
    // hovered pixel's outline and holds the pixel's value.
    const size_t i = layer_arg(s, 0, ws);
    const auto& w = ui.last_winner();
    const auto& p = ui.last_probe();
    expect(w.has_value() && p && p->layer == i,
           fmt::format("no max-pooling winner is shown for layer {} (hover one of its pixels first)", i));
    const Layer::Region window = ws.layer(i).source_region(*ws.input_of(i), {{{p->y, p->y}, {p->x, p->x}, {0, 0}}});
    expect(w->y >= window[0].first && w->y <= window[0].second && w->x >= window[1].first && w->x <= window[1].second,
           fmt::format("the winner shown, (y {}, x {}), is outside the window [{}, {}] x [{}, {}]", w->y, w->x,
                       window[0].first, window[0].second, window[1].first, window[1].second));
    const auto won = ws.input_value_of(i, w->input, w->channel, w->y, w->x);
    expect(won && ui.last_probe_value() && *won == *ui.last_probe_value(),
           fmt::format("the winner shown holds {}, the pooled pixel {}", won.value_or(NAN), ui.last_probe_value().value_or(NAN)));
  } else if (s.verb == "expect-unsaved") {
    expect(ws.unsaved() == yes_no_arg(s, 0), fmt::format("the stack is {}", ws.unsaved() ? "unsaved" : "saved"));
  } else if (s.verb == "expect-last-good") {
    expect(ws.showing_last_good() == yes_no_arg(s, 0),
           fmt::format("the maps are {}marked as the last good state", ws.showing_last_good() ? "" : "not "));
  } else if (s.verb == "expect-fresh") {
    const auto stale = ws.stale_layers();
    expect(stale.empty(), fmt::format("layers {} differ from a fresh run of the stack", fmt::join(stale, ", ")));
  } else if (s.verb == "expect-status") {
    expect(ws.status().find(a[0]) != std::string::npos || ws.notice().find(a[0]) != std::string::npos,
           fmt::format("the status line shows '{}' and the notice '{}', neither with '{}'", ws.status(), ws.notice(), a[0]));
  } else if (s.verb == "expect-recovery") {
    const bool want = yes_no_arg(s, 0);
    expect(autosave.offer().has_value() == want, fmt::format("expected {} recovery offer, and there is {}",
                                                             want ? "a" : "no", autosave.offer() ? "one" : "none"));
  } else if (s.verb == "expect-autosaved") {
    const auto now = std::chrono::steady_clock::now();
    if (deadline_ == std::chrono::steady_clock::time_point{}) deadline_ = now + std::chrono::seconds(10);
    if (!autosave.caught_up(ws)) {
      expect(now <= deadline_, "the autosave did not catch up within 10 s");
      return false;
    }
    deadline_ = {};
  }
  return true;
}

}  // namespace convscope::gui
