// The layer stack (reorder, duplicate, remove; a layer that does not fit shows why, in red)
// and the summary table under it.
#include <fmt/format.h>

#include "app/gui/ui.h"
#include "app/gui/ui_common.h"
#include "core/format.h"

namespace convscope::gui {

void Ui::layer_stack() {
  // A graph's edges are drawn in a gutter left of the rows (ui_graph.cpp), after the rows
  // have said where they are.
  const float gutter = graph_width(), gutter_x = ImGui::GetCursorScreenPos().x;
  std::vector<float> row_y;
  if (gutter > 0) ImGui::Indent(gutter);
  ImGui::TextColored(kDim, "input %s", shape_text(ws_.size(), ws_.input().shape).c_str());
  const float input_y = (ImGui::GetItemRectMin().y + ImGui::GetItemRectMax().y) / 2;
  bool stack_changed = false;
  for (size_t i = 0; i < ws_.size(); ++i) {
    ImGui::PushID(static_cast<int>(i));
    // Copies: the buttons below may move or remove this layer.
    const std::string label = fmt::format("{} ({})", ws_.layer(i).name(), ws_.layer(i).class_name());
    const std::string error = ws_.node(i).error;
    if (!error.empty()) ImGui::PushStyleColor(ImGuiCol_Text, kError);
    if (ImGui::Selectable(label.c_str(), ws_.selected == static_cast<int>(i), 0, {ImGui::GetContentRegionAvail().x - 110, 0}))
      ws_.selected = static_cast<int>(i);
    row_y.push_back((ImGui::GetItemRectMin().y + ImGui::GetItemRectMax().y) / 2);
    if (!error.empty()) ImGui::PopStyleColor();
    ImGui::SameLine();
    if (ImGui::SmallButton("^") && i > 0) ws_.move_layer(i, i - 1), stack_changed = true;
    ImGui::SameLine();
    if (ImGui::SmallButton("v") && i + 1 < ws_.size()) ws_.move_layer(i, i + 1), stack_changed = true;
    ImGui::SameLine();
    if (ImGui::SmallButton("dup")) ws_.duplicate_layer(i), stack_changed = true;
    ImGui::SameLine();
    const bool removed = ImGui::SmallButton("x");
    if (const auto reads = ws_.branch_reads(i); !reads.empty()) {
      std::string text;
      for (const auto& r : reads) text += (text.empty() ? "  <- " : ", ") + r;
      ImGui::TextColored(kDim, "%s", text.c_str());
    }
    if (!removed && !error.empty()) error_text(error);
    ImGui::PopID();
    if (removed) {
      ws_.remove_layer(i);
      stack_changed = true;
      break;
    }
  }
  if (gutter > 0) {
    ImGui::Unindent(gutter);
    if (!stack_changed) graph_gutter(row_y, input_y, gutter_x, gutter);  // rows moved: drawn next frame
  }
  if (ws_.size() == 0) ImGui::TextColored(kDim, "Add layers from the menu, or open a sample pipeline.");
  ImGui::Separator();
  if (ws_.selected >= 0 && ws_.selected < static_cast<int>(ws_.size())) parameters(static_cast<size_t>(ws_.selected));
  ImGui::Separator();
  summary();
}

void Ui::summary() {
  if (!ImGui::BeginTable("summary", 6, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) return;
  for (const char* column : {"Layer", "Output shape", "Params", "MFLOP", "MiB", "ms"}) ImGui::TableSetupColumn(column);
  ImGui::TableHeadersRow();
  for (size_t i = 0; i < ws_.size(); ++i) {
    const Layer& layer = ws_.layer(i);
    const NodeState& node = ws_.node(i);
    const std::optional<Shape> in = ws_.input_of(i);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(layer.name().c_str());
    ImGui::TableNextColumn();
    // A layer that does not fit, or waits on one that does not, has no shape and costs nothing: "-"
    // (ImGui's default font has no dash wider than that).
    ImGui::TextUnformatted(node.fits() ? shape_text(i, *node.shape).c_str() : "-");
    int64_t params = 0;
    for (const auto& w : layer.weights()) params += static_cast<int64_t>(w.size());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(in ? thousands(params).c_str() : "-");
    ImGui::TableNextColumn();
    if (node.fits() && in) ImGui::Text("%.1f", layer.flops(*in) / 1e6);
    else ImGui::TextUnformatted("-");
    ImGui::TableNextColumn();  // the output tensor in device memory
    if (node.fits()) ImGui::Text("%.1f", static_cast<double>(node.shape->size()) * 4 / 1048576.0);
    else ImGui::TextUnformatted("-");
    ImGui::TableNextColumn();
    if (node.fits()) ImGui::Text("%.2f", node.ms);
    else ImGui::TextUnformatted("-");
  }
  ImGui::EndTable();
}

}  // namespace convscope::gui
