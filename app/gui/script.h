#pragma once
// `convscope gui --script FILE`: a plain text list of UI actions, one per line, run one per
// frame, so tests (and teachers preparing a demo) can drive the app without a mouse:
//   image PATH | pipeline PATH | preset NAME | add CLASS [JSON_CONFIG] | remove I | move I J
//   duplicate I | select I | set I KEY JSON_VALUE | colormap NAME | grayscale on|off
//   hover LAYER CHANNEL Y X | wait FRAMES | screenshot PATH | save PATH | expect-error I
//   weights I PRESET [SEED] (sobel_x, gaussian, ...) | kernel I ARRAY INDEX VALUE
//   range layer|channel|LO,HI | export FOLDER | enlarge LAYER CHANNEL | scaling 0,1|-1,1|meanstd
//   fit I y0,x0,h,w (fit a LearnableCrop box, replayed) | expect-box I y0,x0,h,w
//   expect-fresh (every live output equals a fresh run of the whole stack)
//   fault oom[@N]|device-lost[@N] (the device fails after N more calls: see vk/fault.h)
//   expect-status TEXT (the status line or the notice shows TEXT) | expect-param I KEY JSON_VALUE
//   expect-recovery yes|no (unsaved edits of an earlier session are offered) | recover
//   discard-recovery | expect-autosaved (waits, up to 10 s, until the autosave has caught up)
//   crash (ends the app at once, as a crash would: nothing is flushed or cleaned up)
// Blank lines and lines starting with # are skipped.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace convscope::gui {

class Workspace;
class Ui;
class Autosave;

struct ScriptStep {
  int line = 0;
  std::string verb;
  std::vector<std::string> args;  // the rest of the line, split on spaces; JSON takes the remainder
};

// UserError naming the file and line for an unknown verb or a wrong argument count.
std::vector<ScriptStep> parse_script(const std::filesystem::path& path);

class ScriptRunner {
 public:
  explicit ScriptRunner(std::vector<ScriptStep> steps) : steps_(std::move(steps)) {}
  bool done() const { return next_ >= steps_.size() && wait_ == 0; }
  // Runs the next step unless a wait is pending. Screenshots are returned for the window to
  // take after rendering; UserError (with the line) when a step fails.
  std::filesystem::path step(Workspace& ws, Ui& ui, Autosave& autosave);

 private:
  std::vector<ScriptStep> steps_;
  size_t next_ = 0;
  int wait_ = 0;
  std::chrono::steady_clock::time_point deadline_{};  // of a step that waits for something
};

}  // namespace convscope::gui
