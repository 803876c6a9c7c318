// The weights of the selected layer: presets for its kernel, arrays from .npy files, and
// every kernel as a small picture whose taps can be edited one by one.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/gui/kernel_presets.h"
#include "app/gui/ui.h"
#include "app/gui/ui_common.h"
#include "core/error.h"

namespace convscope::gui {

void Ui::weights(size_t i) {
  const Layer& layer = ws_.layer(i);
  const auto& arrays = layer.weights();
  if (arrays.empty()) return;
  const std::vector<std::string> names_of = layer.weight_names();
  if (!ImGui::CollapsingHeader("Weights", ImGuiTreeNodeFlags_DefaultOpen)) return;
  const auto& names = kernel_preset_names();
  ImGui::SetNextItemWidth(150);
  if (ImGui::BeginCombo("##preset", names[static_cast<size_t>(preset_)].c_str())) {
    for (size_t k = 0; k < names.size(); ++k)
      if (ImGui::Selectable(names[k].c_str(), static_cast<int>(k) == preset_)) preset_ = static_cast<int>(k);
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(80);
  ImGui::InputInt("seed", &seed_);
  ImGui::SameLine();
  if (ImGui::Button("Apply")) ws_.apply_kernel_preset(i, names[static_cast<size_t>(preset_)], static_cast<uint64_t>(seed_));
  if (const auto& preset = ws_.slots()[i].preset)
    ImGui::TextColored(kDim, "preset %s (seed %llu), remade when the input changes", preset->name.c_str(),
                       static_cast<unsigned long long>(preset->seed));
  for (size_t a = 0; a < arrays.size(); ++a) {
    ImGui::PushID(static_cast<int>(a));
    ImGui::TextColored(kDim, "%s %s", a < names_of.size() ? names_of[a].c_str() : "array",
                       shape_string(arrays[a].shape).c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton("load .npy")) popup_ = "Load weights", popup_layer_ = i, popup_array_ = a;
    ImGui::PopID();
  }
  const auto kernel = layer.hints().kernel_array;
  if (kernel && *kernel < arrays.size() && arrays[*kernel].shape.size() == 4) kernel_pictures(i, arrays[*kernel]);
}

void Ui::kernel_pictures(size_t i, const NdArray k) {  // a copy: editing a tap replaces the arrays
  const size_t array = *ws_.layer(i).hints().kernel_array;
  const int64_t kh = k.shape[0], kw = k.shape[1], a = k.shape[2], b = k.shape[3];
  // Every kernel as a small picture (diverging colours, white = 0), one row per axis-3 index:
  // click one to edit its taps below.
  float peak = 1e-12f;
  for (float v : k.data) peak = std::max(peak, std::abs(v));
  const float cell = std::clamp(48.0f / static_cast<float>(std::max(kh, kw)), 2.0f, 12.0f);
  ImDrawList* list = ImGui::GetWindowDrawList();
  for (int64_t j = 0; j < std::min<int64_t>(b, 16); ++j) {
    for (int64_t in = 0; in < std::min<int64_t>(a, 8); ++in) {
      if (in > 0) ImGui::SameLine();
      const ImVec2 p0 = ImGui::GetCursorScreenPos();
      ImGui::PushID(static_cast<int>(j * 1000 + in));
      if (ImGui::InvisibleButton("kernel", {cell * kw, cell * kh})) kernel_in_ = static_cast<int>(in), kernel_out_ = static_cast<int>(j);
      ImGui::PopID();
      for (int64_t y = 0; y < kh; ++y)
        for (int64_t x = 0; x < kw; ++x) {
          const float v = k.data[static_cast<size_t>(((y * kw + x) * a + in) * b + j)];
          const auto rgb = colormap_rgb(Colormap::Diverging, 0.5f + 0.5f * v / peak);
          list->AddRectFilled({p0.x + x * cell, p0.y + y * cell}, {p0.x + (x + 1) * cell, p0.y + (y + 1) * cell},
                              IM_COL32(rgb[0], rgb[1], rgb[2], 255));
        }
      if (in == kernel_in_ && j == kernel_out_) list->AddRect(p0, {p0.x + cell * kw, p0.y + cell * kh}, IM_COL32(255, 220, 0, 255));
    }
  }
  // The selected kernel's taps, each editable.
  if (kh * kw > 81) return;
  ImGui::SetNextItemWidth(90);
  ImGui::InputInt("axis 2", &kernel_in_);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(90);
  ImGui::InputInt("axis 3", &kernel_out_);
  kernel_in_ = std::clamp<int>(kernel_in_, 0, static_cast<int>(a) - 1);
  kernel_out_ = std::clamp<int>(kernel_out_, 0, static_cast<int>(b) - 1);
  for (int64_t y = 0; y < kh; ++y)
    for (int64_t x = 0; x < kw; ++x) {
      const size_t index = static_cast<size_t>(((y * kw + x) * a + kernel_in_) * b + kernel_out_);
      float v = k.data[index];
      ImGui::PushID(static_cast<int>(index));
      if (x > 0) ImGui::SameLine();
      ImGui::SetNextItemWidth(52);
      if (ImGui::InputFloat("##tap", &v, 0, 0, "%.3f", ImGuiInputTextFlags_EnterReturnsTrue))
        try {
          ws_.set_weight_value(i, array, index, v);
        } catch (const Error& e) {
          menu_error_ = e.what();
        }
      ImGui::PopID();
    }
}

}  // namespace convscope::gui
