#include "app/gui/profile.h"

#include <fmt/format.h>

#include <algorithm>

namespace convscope::gui {

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

double most(const std::vector<double>& v) { return v.empty() ? 0 : *std::max_element(v.begin(), v.end()); }

}  // namespace

void Profile::start_frame(Workspace& ws) {
  if (left_ > frames_ || ws.size() == 0) ws.invalidate();
  else ws.invalidate(ws.size() - 1);
}

bool Profile::end_frame(const Workspace& ws, double frame_ms) {
  if (!ws.refusal().empty()) {
    refused_ = true;
    left_ = 0;
    return false;
  }
  Times& t = left_ > frames_ ? full_ : last_;
  t.recompute.push_back(ws.update_ms());
  t.layers.push_back(ws.recomputed_ms());
  t.frame.push_back(frame_ms);
  --left_;
  return true;
}

int Profile::report(const Workspace& ws) const {
  if (refused_) {
    fmt::print(stderr, "convscope: error: profile: the stack does not run, nothing was timed: {}\n", ws.refusal());
    return 2;
  }
  const Shape& s = ws.input().shape;
  fmt::print("profile: '{}' ({} layers) on {} ({}x{}x{}), {}\n", ws.pipeline_name(), ws.size(), ws.image_name(), s.h, s.w,
             s.c, ws.host_timed() ? "layers host-timed (CPU device)" : "layers from GPU timestamps");
  const auto line = [](const char* what, const Times& t) {
    fmt::print("  {} ({} frames):\n", what, t.recompute.size());
    fmt::print("    recompute (layers, colouring, texture copies): median {:.1f} ms, max {:.1f} ms\n", median(t.recompute),
               most(t.recompute));
    fmt::print("    the layers recomputed alone:                   median {:.1f} ms\n", median(t.layers));
    fmt::print("    whole frame with the recompute:                median {:.1f} ms, max {:.1f} ms\n", median(t.frame),
               most(t.frame));
  };
  line("full recompute", full_);
  line("edit of the last layer", last_);
  return 0;
}

}  // namespace convscope::gui
