#pragma once
// `convscope gui --script FILE`: a plain text list of UI actions, one per line, run one per
// frame, so tests (and teachers preparing a demo) can drive the app without a mouse:
//   image PATH | pipeline PATH | preset NAME | add CLASS [JSON_CONFIG] | remove I | move I J
//   duplicate I | select I | set I KEY JSON_VALUE | set-config I JSON (the JSON editor)
//   colormap NAME | grayscale on|off
//   hover LAYER CHANNEL Y X | wait FRAMES | screenshot PATH | save PATH
//   weights I PRESET [SEED] (sobel_x, gaussian, ...) | kernel I ARRAY INDEX VALUE
//   range layer|channel|LO,HI | export FOLDER | enlarge LAYER CHANNEL | scaling 0,1|-1,1|meanstd
//   fit I y0,x0,h,w (fit a LearnableCrop box, replayed) | back-to-last-good
//   fault oom[@N]|device-lost[@N] (the device fails after N more calls: see vk/fault.h)
//   recover | discard-recovery
//   replace NAME CLASS [JSON_CONFIG] (a model waiting with a Lambda opens with NAME computing CLASS)
//   labels PATH (class labels for vector outputs, one per line)
//   crash (ends the app at once, as a crash would: nothing is flushed or cleaned up)
// and checks, which end the app (exit code 2, naming the line) when they fail:
//   expect-error I [TEXT] (layer I shows a message, with TEXT: a refused edit, or it does not fit)
//   expect-misfit I | expect-waits I (on a layer before it that does not fit) | expect-fits I
//   expect-shape I SHAPE (as `convscope summary` writes it) | expect-param I KEY JSON_VALUE
//   expect-weight I ARRAY INDEX VALUE | expect-box I y0,x0,h,w | expect-unsaved yes|no
//   expect-last-good yes|no (the maps are marked as older than the stack)
//   expect-fresh (every live output equals a fresh run of the whole stack)
//   expect-status TEXT (the status line or the notice shows TEXT)
//   expect-recovery yes|no (unsaved edits of an earlier session are offered)
//   expect-autosaved (waits, up to 10 s, until the autosave has caught up)
//   expect-plot I (layer I is plotted: a vector or a 1D signal) | expect-top I LABEL (the
//   most likely class of layer I's softmax) | expect-winner I (after hovering a max-pooling
//   pixel of layer I: the winner shown lies in its window and holds its value)
// Blank lines and lines starting with # are skipped. Layer, channel and pixel arguments
// outside the stack or the map are errors of the script, as are unknown verbs.
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
  ScriptRunner() = default;
  ScriptRunner(std::filesystem::path path, std::vector<ScriptStep> steps)
      : path_(std::move(path)), steps_(std::move(steps)) {}
  bool done() const { return next_ >= steps_.size() && wait_ == 0; }
  // Runs the next step unless a wait is pending. Screenshots are returned for the window to
  // take after rendering. UserError "FILE:LINE: VERB: what is wrong" when a step fails.
  std::filesystem::path step(Workspace& ws, Ui& ui, Autosave& autosave);

 private:
  std::filesystem::path act(const ScriptStep& s, Workspace& ws, Ui& ui, Autosave& autosave);
  // The expect-* verbs (script_checks.cpp): false when the step should run again next frame.
  bool check(const ScriptStep& s, Workspace& ws, const Ui& ui, Autosave& autosave);

  std::filesystem::path path_;
  std::vector<ScriptStep> steps_;
  size_t next_ = 0;
  int wait_ = 0;
  std::chrono::steady_clock::time_point deadline_{};  // of a step that waits for something
};

// Arguments, checked against the stack as it is (script_args.cpp).
size_t layer_arg(const ScriptStep& s, size_t k, const Workspace& ws);
size_t count_arg(const ScriptStep& s, size_t k);
int64_t int_arg(const ScriptStep& s, size_t k);
double number_arg(const ScriptStep& s, size_t k);
bool yes_no_arg(const ScriptStep& s, size_t k);

}  // namespace convscope::gui
