// Nodes without maps: a vector (Dense, global pooling, Flatten) as a bar chart, with the
// top-5 classes when it is a softmax's output, and a 1D signal as one line per channel.
#include <fmt/format.h>

#include <algorithm>

#include "app/gui/ui.h"
#include "app/gui/ui_common.h"

namespace convscope::gui {

namespace {

// More lines than this is a tangle: the first channels are plotted, the rest counted.
constexpr int64_t kPlottedChannels = 4;

}  // namespace

void Ui::plot_view(size_t index, const Workspace::Plot& plot, float width) {
  const Layer& layer = ws_.layer(index);
  ImGui::Text("%s (%s)  %s  %.2f ms", layer.name().c_str(), std::string(layer.class_name()).c_str(),
              shape_text(index, plot.shape).c_str(), ws_.node(index).ms);
  if (plot.shape.spatial_rank == 0) return bar_chart(index, plot, width);
  const int64_t length = plot.shape.w;
  for (int64_t c = 0; c < std::min(plot.shape.c, kPlottedChannels); ++c) {
    const float* values = plot.values.data() + c * length;
    const auto [lo, hi] = std::minmax_element(values, values + length);
    ImGui::PlotLines(fmt::format("##{}_{}", index, c).c_str(), values, static_cast<int>(length), 0,
                     fmt::format("channel {}  [{:.3g}, {:.3g}]", c, *lo, *hi).c_str(), FLT_MAX, FLT_MAX,
                     {width, 56 * zoom_});
  }
  if (plot.shape.c > kPlottedChannels)
    dim_text(fmt::format("and {} more channels (File > Export maps writes them all)", plot.shape.c - kPlottedChannels));
}

void Ui::bar_chart(size_t index, const Workspace::Plot& plot, float width) {
  const auto& v = plot.values;
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  // Bars from 0, so positive and negative entries read as such.
  const float high = std::max(*hi, 0.0f), low = std::min(*lo, 0.0f);
  ImGui::PlotHistogram(fmt::format("##bars{}", index).c_str(), v.data(), static_cast<int>(v.size()), 0,
                       fmt::format("{} values in [{:.3g}, {:.3g}]", v.size(), *lo, *hi).c_str(), low,
                       high > low ? high : low + 1, {width, 110 * zoom_});
  const std::vector<std::string>& labels = ws_.labels();
  if (ImGui::IsItemHovered()) {
    // Which bar is under the pointer, named: the labels ImGui's own tooltip cannot show.
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    const float pad = ImGui::GetStyle().FramePadding.x;
    const float t = (ImGui::GetMousePos().x - a.x - pad) / std::max(b.x - a.x - 2 * pad, 1.0f);
    const size_t bar = std::min(v.size() - 1, static_cast<size_t>(std::clamp(t, 0.0f, 1.0f) * static_cast<float>(v.size())));
    ImGui::BeginTooltip();
    ImGui::Text("%s %zu: %.6g", bar < labels.size() ? labels[bar].c_str() : "class", bar, v[bar]);
    ImGui::EndTooltip();
  }
  const std::vector<RankedClass> top = ws_.top_classes(index);
  if (top.empty()) return;
  ImGui::Text("top %zu (a softmax: the entries sum to 1)", top.size());
  for (size_t r = 0; r < top.size(); ++r) {
    ImGui::ProgressBar(top[r].probability, {width * 0.35f, 0}, fmt::format("{:.1f} %", 100 * top[r].probability).c_str());
    ImGui::SameLine();
    ImGui::Text("%zu. %s", r + 1, top[r].label.c_str());
  }
  if (labels.empty()) dim_text("File > Open class labels names the classes (a text file, one label per line)");
  else if (labels.size() != v.size())
    dim_text(fmt::format("{} has {} labels for {} classes", ws_.labels_path().filename().string(), labels.size(), v.size()));
}

}  // namespace convscope::gui
