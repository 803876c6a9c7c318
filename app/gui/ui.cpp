#include "app/gui/ui.h"

#include <algorithm>

#include "model/summary.h"

namespace convscope::gui {

void Ui::draw() {
  menus();
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float top = ImGui::GetFrameHeight();
  const float left = std::min(380.0f, size.x * 0.34f);
  const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse;
  ImGui::SetNextWindowPos({0, top});
  ImGui::SetNextWindowSize({left, size.y - top});
  ImGui::Begin("Layers", nullptr, fixed);
  layer_stack();
  ImGui::End();
  ImGui::SetNextWindowPos({left, top});
  ImGui::SetNextWindowSize({size.x - left, size.y - top});
  ImGui::Begin("Feature maps", nullptr, fixed);
  maps();
  ImGui::End();
  last_good_banner({left, size.y - 64}, size.x - left);
  enlarged();
  path_popup();
  recovery_popup();
  replace_popup();
}

std::string Ui::shape_text(size_t layer, const Shape& s) const {
  // In the data format of the layer that makes it (the input: of the layer that reads it), as
  // `convscope summary` writes it.
  const DataFormat f = layer < ws_.size() ? ws_.layer(layer).data_format()
                       : ws_.size() > 0   ? ws_.layer(0).data_format()
                                          : DataFormat::ChannelsLast;
  return keras_shape_string(s, f);
}

}  // namespace convscope::gui
