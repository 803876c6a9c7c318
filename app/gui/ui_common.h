#pragma once
// What the app's panels share: colours and the way they show an engine message.
#include <imgui.h>

#include <string>

namespace convscope::gui {

inline const ImVec4 kError{1.0f, 0.35f, 0.3f, 1.0f};
inline const ImVec4 kDim{0.6f, 0.6f, 0.6f, 1.0f};

// Engine messages are long sentences: wrapped in the panel, in red.
inline void error_text(const std::string& message) {
  ImGui::PushStyleColor(ImGuiCol_Text, kError);
  ImGui::TextWrapped("%s", message.c_str());
  ImGui::PopStyleColor();
}

inline void dim_text(const std::string& message) {
  ImGui::PushStyleColor(ImGuiCol_Text, kDim);
  ImGui::TextWrapped("%s", message.c_str());
  ImGui::PopStyleColor();
}

}  // namespace convscope::gui
