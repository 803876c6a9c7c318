#pragma once
// `convscope gui --profile N`: after the script, N full recomputes of the stack and then N
// edits of its last layer, each in a frame of its own, with what they took; docs/PERFORMANCE.md
// keeps the figures. A recompute the engine refuses is reported as refused, not timed.
#include <vector>

#include "app/gui/workspace.h"

namespace convscope::gui {

class Profile {
 public:
  explicit Profile(int frames) : left_(2 * frames), frames_(frames) {}
  bool active() const { return left_ > 0; }
  // Before the frame: what it recomputes (everything, then the last layer).
  void start_frame(Workspace& ws);
  // After it: its times. False when the stack does not run whole (ws.refusal() says why).
  bool end_frame(const Workspace& ws, double frame_ms);
  // The report (stdout); 0, or 2 after a refusal (its message on stderr).
  int report(const Workspace& ws) const;

 private:
  struct Times {
    std::vector<double> recompute, layers, frame;
  };
  int left_, frames_;
  Times full_, last_;
  bool refused_ = false;
};

}  // namespace convscope::gui
