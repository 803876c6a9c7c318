// The popup that opens a model holding a Lambda or a custom layer: convscope cannot run their
// Python code, so the user picks the built-in layer each computes (the usual x / 255.0 - 0.5
// is offered as Rescaling), and the model opens with those.
#include <fmt/format.h>

#include <algorithm>

#include <imgui.h>
#include <imgui_stdlib.h>  // after imgui.h, which it needs

#include "app/gui/ui.h"
#include "app/gui/ui_common.h"
#include "core/error.h"
#include "io/json_file.h"
#include "layers/registry.h"

namespace convscope::gui {

namespace {

// A Lambda most often rescales pixels; anything else starts as the identity.
nlohmann::json suggestion(const UnrunnableLayer& u) {
  if (u.class_name == "Lambda") return common_lambda_replacement();
  return {{"class_name", "Activation"}, {"config", {{"activation", "linear"}}}};
}

}  // namespace

void Ui::replace_popup() {
  const auto& offer = ws_.replace_offer();
  if (!offer) return;
  const char* title = "Layers convscope cannot run";
  const auto classes = LayerRegistry::builtin().class_names();
  if (replace_for_ != offer->path || replace_choices_.size() != offer->layers.size()) {
    replace_for_ = offer->path;
    replace_choices_.clear();
    for (const auto& u : offer->layers) {
      const nlohmann::json s = suggestion(u);
      const auto at = std::find(classes.begin(), classes.end(), s["class_name"].get<std::string>());
      replace_choices_.push_back({static_cast<int>(at - classes.begin()), s["config"].dump()});
    }
    replace_error_.clear();
  }
  if (!ImGui::IsPopupOpen(title)) ImGui::OpenPopup(title);
  if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::Text("%s holds layers with Python code of their own. Pick the built-in layer each computes:",
              offer->path.filename().string().c_str());
  for (size_t k = 0; k < offer->layers.size(); ++k) {
    const UnrunnableLayer& u = offer->layers[k];
    ReplaceChoice& c = replace_choices_[k];
    ImGui::PushID(static_cast<int>(k));
    ImGui::Separator();
    ImGui::Text("%s '%s' (%s)", u.position.c_str(), u.name.c_str(), u.class_name.c_str());
    ImGui::SetNextItemWidth(220);
    if (ImGui::BeginCombo("computes", classes.at(static_cast<size_t>(c.class_index)).c_str())) {
      for (size_t i = 0; i < classes.size(); ++i)
        if (ImGui::Selectable(classes[i].c_str(), static_cast<int>(i) == c.class_index) && static_cast<int>(i) != c.class_index) {
          c.class_index = static_cast<int>(i);
          c.config = LayerRegistry::builtin().find(classes[i])->example.dump();
        }
      ImGui::EndCombo();
    }
    ImGui::SetNextItemWidth(420);
    ImGui::InputText("config", &c.config);
    ImGui::PopID();
  }
  ImGui::Separator();
  if (ImGui::Button("Open with these")) {
    try {
      std::map<std::string, nlohmann::json> chosen;
      for (size_t k = 0; k < offer->layers.size(); ++k) {
        const UnrunnableLayer& u = offer->layers[k];
        const std::string who = u.name.empty() ? u.class_name : u.name;
        chosen[who] = {{"class_name", classes.at(static_cast<size_t>(replace_choices_[k].class_index))},
                       {"config", parse_json(replace_choices_[k].config, fmt::format("the config for '{}'", who))}};
      }
      ws_.accept_replacements(chosen);
      replace_error_.clear();
      ImGui::CloseCurrentPopup();
    } catch (const Error& e) {
      replace_error_ = e.what();  // the popup stays, with the choices as they were
    }
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel")) {
    ws_.decline_replacements();
    replace_error_.clear();
    ImGui::CloseCurrentPopup();
  }
  if (!replace_error_.empty()) ImGui::TextColored(kError, "%s", replace_error_.c_str());
  ImGui::EndPopup();
}

}  // namespace convscope::gui
