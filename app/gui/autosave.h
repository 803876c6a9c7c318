#pragma once
// Unsaved edits survive a crash, a lost device that could not be reopened, or closing the
// window: while the stack has unsaved edits it is written, at most once a second, to a
// recovery folder (the stack as Keras 3 JSON + weights, and session.json with the image and
// view settings). Saving or opening a pipeline removes it. At the next start the app offers
// what it finds there, and nothing overwrites it until the user has answered.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace convscope::gui {

class Workspace;

struct RecoveryOffer {
  std::string pipeline_name, image, saved_at;  // saved_at: local time, "2026-11-21 14:05"
  size_t layers = 0;
};

class Autosave {
 public:
  // The folder under `state_dir`; an empty `state_dir` turns autosave off (scripted runs).
  explicit Autosave(const std::filesystem::path& state_dir);
  // $XDG_STATE_HOME/convscope, or ~/.local/state/convscope.
  static std::filesystem::path default_state_dir();

  bool enabled() const { return !dir_.empty(); }
  const std::filesystem::path& folder() const { return dir_; }
  // What an earlier session left, until recover() or discard() answers it.
  const std::optional<RecoveryOffer>& offer() const { return offer_; }
  // Why the files found could not be read (the offer then can only be discarded).
  const std::string& offer_error() const { return offer_error_; }
  // Loads the offer into `ws` (image, settings, stack); UserError when it cannot be read.
  void recover(Workspace& ws);
  void discard();

  // Each frame: writes the workspace when it changed and the last write is a second old, or
  // removes the files when nothing is unsaved. A failed write shows as the workspace's notice.
  void tick(Workspace& ws);
  // At a clean exit: the last changes written now, whatever the time since the last write.
  void flush(Workspace& ws);
  // Nothing changed since the last write (or nothing is unsaved).
  bool caught_up(const Workspace& ws) const;

 private:
  // Brings the folder in line with `ws`: removed when nothing is unsaved, else rewritten when
  // it changed and `may_write`.
  void sync(Workspace& ws, bool may_write);
  void write(Workspace& ws);
  void remove_files();

  std::filesystem::path dir_;
  std::optional<RecoveryOffer> offer_;
  std::string offer_error_;
  std::optional<uint64_t> written_;  // the workspace's revision() at the last write
  std::chrono::steady_clock::time_point last_write_{};
};

}  // namespace convscope::gui
