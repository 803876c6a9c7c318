#include "app/gui/autosave.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <ctime>

#include "app/gui/workspace.h"
#include "core/error.h"
#include "io/atomic_file.h"
#include "io/json_file.h"

namespace convscope::gui {

namespace fs = std::filesystem;

namespace {

constexpr auto kInterval = std::chrono::seconds(1);

// session.json is written last: while it is there, the pipeline files beside it are whole.
fs::path session_file(const fs::path& dir) { return dir / "session.json"; }
fs::path pipeline_file(const fs::path& dir) { return dir / "pipeline.json"; }
fs::path weights_file(const fs::path& dir) { return dir / "pipeline.weights.npz"; }

std::string local_time_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  return fmt::format("{:%Y-%m-%d %H:%M}", tm);
}

}  // namespace

fs::path Autosave::default_state_dir() {
  if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg) return fs::path(xdg) / "convscope";
  if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".local/state/convscope";
  return {};  // nowhere to keep it: autosave off
}

Autosave::Autosave(const fs::path& state_dir) : dir_(state_dir.empty() ? fs::path() : state_dir / "recovery") {
  if (dir_.empty() || !fs::exists(session_file(dir_))) return;
  RecoveryOffer offer;
  try {
    const nlohmann::json s = read_json(session_file(dir_));
    offer.pipeline_name = s.at("pipeline_name").get<std::string>();
    offer.image = s.at("image").get<std::string>();
    offer.saved_at = s.at("saved_at").get<std::string>();
    offer.layers = s.at("layers").get<size_t>();
  } catch (const std::exception& e) {  // Error from read_json, json's own for missing keys
    offer_error_ = fmt::format("{}: {}", session_file(dir_).string(), e.what());
  }
  offer_ = offer;
}

void Autosave::recover(Workspace& ws) {
  if (!offer_) throw UserError("recover: no unsaved edits were found at start");
  if (!offer_error_.empty()) throw UserError(offer_error_);
  const nlohmann::json s = read_json(session_file(dir_));
  try {
    ws.set_grayscale(s.at("grayscale").get<bool>());
    ws.set_scaling(parse_scaling(s.at("scaling").get<std::string>()));
    std::string image_note;
    if (const fs::path image = s.at("image").get<std::string>(); !image.empty()) {
      if (fs::exists(image)) ws.open_image(image);
      else image_note = fmt::format("; its image {} is gone, so it runs on {}", image.string(), ws.image_name());
    }
    std::optional<std::vector<size_t>> counts;
    if (s.contains("weight_counts")) counts = s.at("weight_counts").get<std::vector<size_t>>();
    ws.open_pipeline(pipeline_file(dir_), counts);
    const std::string cmap = s.at("colormap").get<std::string>();
    ws.set_colormap(cmap.empty() ? std::nullopt : std::optional(parse_colormap(cmap)));
    const std::string range = s.at("range").get<std::string>();
    const auto fixed = s.at("fixed_range").get<std::pair<float, float>>();
    ws.set_range_mode(range == "fixed" ? RangeMode::Fixed : range == "channel" ? RangeMode::Channel : RangeMode::Layer,
                      fixed);
    ws.selected = std::min(s.at("selected").get<int>(), static_cast<int>(ws.slots().size()) - 1);
    ws.mark_recovered(s.at("pipeline_name").get<std::string>());
    ws.set_notice(fmt::format("recovered the unsaved edits to '{}' from {}{}", offer_->pipeline_name, offer_->saved_at,
                              image_note));
  } catch (const nlohmann::json::exception& e) {
    throw UserError(fmt::format("{}: {}", session_file(dir_).string(), e.what()));
  }
  offer_.reset();
  written_ = ws.revision();  // what is in the folder is what is open now
}

void Autosave::discard() {
  remove_files();
  offer_.reset();
  offer_error_.clear();
}

void Autosave::remove_files() {
  std::error_code ignored;  // already gone is fine
  fs::remove(session_file(dir_), ignored);
  fs::remove(pipeline_file(dir_), ignored);
  fs::remove(weights_file(dir_), ignored);
}

bool Autosave::caught_up(const Workspace& ws) const {
  return !enabled() || offer_ || (ws.unsaved() ? written_ == ws.revision() : !written_);
}

void Autosave::tick(Workspace& ws) { sync(ws, std::chrono::steady_clock::now() - last_write_ >= kInterval); }

void Autosave::flush(Workspace& ws) { sync(ws, true); }

void Autosave::sync(Workspace& ws, bool may_write) {
  if (!enabled() || offer_) return;  // an unanswered offer is never overwritten
  if (!ws.unsaved()) {
    if (written_) remove_files(), written_.reset();
  } else if (written_ != ws.revision() && may_write) {
    write(ws);
  }
}

void Autosave::write(Workspace& ws) {
  last_write_ = std::chrono::steady_clock::now();
  try {
    fs::create_directories(dir_);
    // Layers that have never fitted their input have no weights yet: the counts say which
    // arrays belong to whom.
    const std::vector<size_t> counts = ws.write_pipeline(pipeline_file(dir_));
    const auto [lo, hi] = ws.fixed_range();
    const nlohmann::json session = {
        {"pipeline_name", ws.pipeline_name()},
        {"image", ws.image_path().string()},
        {"grayscale", ws.grayscale()},
        {"scaling", std::string(to_string(ws.scaling()))},
        {"colormap", ws.colormap() ? std::string(to_string(*ws.colormap())) : ""},
        {"range", ws.range_mode() == RangeMode::Fixed ? "fixed" : ws.range_mode() == RangeMode::Channel ? "channel" : "layer"},
        {"fixed_range", {lo, hi}},
        {"selected", ws.selected},
        {"layers", ws.size()},
        {"weight_counts", counts},
        {"saved_at", local_time_now()},
    };
    write_file_atomically(session_file(dir_), session.dump(2) + "\n", "the recovery file");
    written_ = ws.revision();
  } catch (const std::exception& e) {  // a full disk must not take the session down with it
    ws.set_notice(fmt::format("autosave to {} failed: {}", dir_.string(), e.what()));
    written_ = ws.revision();  // tried; the next edit tries again
  }
}

}  // namespace convscope::gui
