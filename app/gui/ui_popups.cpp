// The popups: a path to open or save, the recovery of an earlier session's unsaved edits, and
// one channel enlarged in a window of its own.
#include <fmt/format.h>

#include <filesystem>

#include "app/gui/ui.h"
#include "app/gui/ui_common.h"
#include "core/error.h"

namespace convscope::gui {

void Ui::path_popup() {
  if (popup_.empty()) return;
  ImGui::OpenPopup(popup_.c_str());
  if (ImGui::BeginPopupModal(popup_.c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::InputText("path", path_, sizeof path_);
    if (ImGui::Button("OK")) {
      try {
        if (popup_ == "Open image") ws_.open_image(path_);
        else if (popup_ == "Open pipeline") ws_.open_pipeline(path_);
        else if (popup_ == "Open labels") ws_.open_labels(path_);
        else if (popup_ == "Load weights") ws_.load_weight_array(popup_layer_, popup_array_, path_);
        else if (popup_ == "Export maps") ws_.export_maps(path_);
        else if (popup_ == "Export window") capture_request_ = path_;
        else ws_.save_pipeline(path_);
        popup_.clear();
        popup_error_.clear();
        ImGui::CloseCurrentPopup();
      } catch (const Error& e) {
        popup_error_ = e.what();
      }
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) {
      popup_.clear();
      popup_error_.clear();
      ImGui::CloseCurrentPopup();
    }
    if (!popup_error_.empty()) ImGui::TextColored(kError, "%s", popup_error_.c_str());
    ImGui::EndPopup();
  }
}

void Ui::recovery_popup() {
  if (!autosave_ || !autosave_->offer()) return;
  const char* title = "Unsaved edits from an earlier session";
  if (!ImGui::IsPopupOpen(title)) ImGui::OpenPopup(title);
  if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  const RecoveryOffer& o = *autosave_->offer();
  if (autosave_->offer_error().empty()) {
    ImGui::Text("'%s' (%zu layers, on %s) had unsaved edits when convscope last closed, at %s.",
                o.pipeline_name.c_str(), o.layers, std::filesystem::path(o.image).filename().string().c_str(),
                o.saved_at.c_str());
    if (ImGui::Button("Recover")) {
      try {
        autosave_->recover(ws_);
        recovery_error_.clear();
        ImGui::CloseCurrentPopup();
      } catch (const Error& e) {
        recovery_error_ = e.what();
      }
    }
    ImGui::SameLine();
  } else {
    ImGui::TextColored(kError, "The recovery files cannot be read: %s", autosave_->offer_error().c_str());
  }
  if (ImGui::Button("Discard")) {
    autosave_->discard();
    recovery_error_.clear();
    ImGui::CloseCurrentPopup();
  }
  ImGui::TextColored(kDim, "kept in %s", autosave_->folder().string().c_str());
  if (!recovery_error_.empty()) ImGui::TextColored(kError, "%s", recovery_error_.c_str());
  ImGui::EndPopup();
}

void Ui::enlarged() {
  if (!enlarged_ || enlarged_->layer >= ws_.views().size() || enlarged_->layer >= ws_.size()) return;
  const LayerView& view = ws_.views()[enlarged_->layer];
  const MosaicLayout& m = view.layout;
  if (!view.texture || enlarged_->channel >= view.shape.c) return;
  bool open = true;
  ImGui::SetNextWindowSize({520, 560}, ImGuiCond_FirstUseEver);
  const std::string title = fmt::format("{} channel {}###enlarged", ws_.layer(enlarged_->layer).name(),
                                        enlarged_->channel);
  if (ImGui::Begin(title.c_str(), &open)) {
    // The channel's tile of the layer's mosaic texture, as large as the window allows.
    const int col = static_cast<int>(enlarged_->channel % m.columns), row = static_cast<int>(enlarged_->channel / m.columns);
    const float u0 = static_cast<float>(col * (m.tile_w + m.gap)) / m.width, v0 = static_cast<float>(row * (m.tile_h + m.gap)) / m.height;
    const ImVec4 uv{u0, v0, u0 + static_cast<float>(m.tile_w) / m.width, v0 + static_cast<float>(m.tile_h) / m.height};
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float scale = std::min(avail.x / m.tile_w, avail.y / m.tile_h);
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImGui::Dummy({m.tile_w * scale, m.tile_h * scale});
    renderer_->draw(*view.texture, p0, {p0.x + m.tile_w * scale, p0.y + m.tile_h * scale}, uv);
  }
  ImGui::End();
  if (!open) enlarged_.reset();
}

}  // namespace convscope::gui
