// The compact graph beside the layer stack: a dot per node on a trunk, the row above feeding
// the row below along it, and every other edge (a skip connection, a branch, a merge's second
// input) as a bracket in a lane of its own to the left, short edges innermost, so each can be
// followed by eye as in Netron's drawing of the same graph.
#include <algorithm>

#include "app/gui/ui.h"
#include "app/gui/ui_common.h"

namespace convscope::gui {

namespace {

constexpr float kLane = 9.0f;  // pixels between lanes, unscaled

struct Edge {
  int from, to;  // rows: -1 the input, i node i
  int lane = 0;  // 0: the trunk
};

// The graph's edges with their lanes: an edge from the row just above runs on the trunk; the
// others take the innermost lane free over their rows (edges meeting at a row may share one).
std::vector<Edge> laid_out_edges(const Model& model) {
  std::vector<Edge> edges;
  for (size_t i = 0; i < model.nodes.size(); ++i)
    for (const Ref& r : model.nodes[i].inputs) {
      const int from = r.is_node() ? static_cast<int>(r.index) : -1;
      edges.push_back({from, static_cast<int>(i), from == static_cast<int>(i) - 1 ? 0 : -1});
    }
  auto span = [](const Edge& e) { return std::pair{std::min(e.from, e.to), std::max(e.from, e.to)}; };
  std::vector<Edge*> side;
  for (Edge& e : edges)
    if (e.lane < 0) side.push_back(&e);
  std::stable_sort(side.begin(), side.end(), [&](const Edge* a, const Edge* b) {
    return span(*a).second - span(*a).first < span(*b).second - span(*b).first;
  });
  std::vector<std::vector<std::pair<int, int>>> lanes;
  for (Edge* e : side) {
    const auto [lo, hi] = span(*e);
    size_t lane = 0;
    for (; lane < lanes.size(); ++lane)
      if (std::none_of(lanes[lane].begin(), lanes[lane].end(), [&](const auto& s) { return lo < s.second && s.first < hi; }))
        break;
    if (lane == lanes.size()) lanes.emplace_back();
    lanes[lane].push_back({lo, hi});
    e->lane = static_cast<int>(lane) + 1;
  }
  return edges;
}

}  // namespace

float Ui::graph_width() const {
  const Model& model = ws_.model();
  if (model.nodes.empty() || model.is_chain()) return 0;  // a chain's graph is the list itself
  int lanes = 0;
  for (const Edge& e : laid_out_edges(model)) lanes = std::max(lanes, e.lane);
  return (static_cast<float>(lanes) + 1.5f) * kLane * zoom_;
}

void Ui::graph_gutter(const std::vector<float>& row_y, float input_y, float x0, float width) {
  const Model& model = ws_.model();
  if (width <= 0 || row_y.size() != model.nodes.size()) return;
  static const ImU32 palette[] = {IM_COL32(230, 159, 0, 255), IM_COL32(86, 180, 233, 255), IM_COL32(0, 158, 115, 255),
                                  IM_COL32(204, 121, 167, 255), IM_COL32(240, 228, 66, 255), IM_COL32(213, 94, 0, 255)};
  ImDrawList* list = ImGui::GetWindowDrawList();
  const float lane = kLane * zoom_, trunk = x0 + width - lane * 0.75f;
  auto y_of = [&](int row) { return row < 0 ? input_y : row_y[static_cast<size_t>(row)]; };
  for (const Edge& e : laid_out_edges(model)) {
    const float ya = y_of(e.from), yb = y_of(e.to);
    if (e.lane == 0) {
      list->AddLine({trunk, ya}, {trunk, yb}, IM_COL32(170, 170, 170, 255), 1.5f);
      continue;
    }
    const ImU32 colour = palette[(e.lane - 1) % std::size(palette)];
    const float x = trunk - static_cast<float>(e.lane) * lane;
    const ImVec2 path[] = {{trunk - 3, ya}, {x, ya}, {x, yb}, {trunk - 4, yb}};
    list->AddPolyline(path, 4, colour, 0, 1.5f);
    list->AddTriangleFilled({trunk - 4, yb - 3}, {trunk - 4, yb + 3}, {trunk - 1, yb}, colour);  // into its reader
  }
  const std::vector<size_t> outputs = model.outputs();
  list->AddCircle({trunk, input_y}, 3.5f, IM_COL32(200, 200, 200, 255));
  for (size_t i = 0; i < row_y.size(); ++i) {
    const bool output = std::find(outputs.begin(), outputs.end(), i) != outputs.end();
    const bool misfit = !ws_.node(i).error.empty();
    const ImU32 colour = misfit ? ImGui::GetColorU32(kError) : output ? IM_COL32(120, 220, 120, 255) : IM_COL32(220, 220, 220, 255);
    list->AddCircleFilled({trunk, row_y[i]}, output ? 4.5f : 3.5f, colour);
  }
}

}  // namespace convscope::gui
