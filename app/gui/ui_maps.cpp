// The feature maps: the input and every layer's channels, flowing left to right; a layer that
// does not fit (or waits on one) says so where its maps would be. Hovering a pixel reads its
// value, outlines what it depends on in every earlier map, and for a dot-product layer shows
// the arithmetic.
#include <fmt/format.h>

#include "app/gui/ui.h"
#include "app/gui/ui_common.h"

namespace convscope::gui {

void Ui::maps() {
  shown_probe_.reset();
  placements_.assign(ws_.size() + 1, {});
  // Maps flow left to right like text, each at most `tile` wide: the whole stack at a glance.
  const float region = ImGui::GetContentRegionAvail().x;
  const float tile = std::min(region, 400.0f * zoom_);
  const float right = ImGui::GetCursorScreenPos().x + region;
  auto next_slot = [&](bool first) {
    if (!first && ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + tile <= right) ImGui::SameLine();
  };
  const LayerView& input = ws_.input_view();
  if (input.texture) {
    ImGui::BeginGroup();
    ImGui::Text("input  %s", shape_text(ws_.size(), input.shape).c_str());
    const float w = std::min(tile, static_cast<float>(input.layout.width) * 2);
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const ImVec2 p1{p0.x + w, p0.y + w * input.layout.height / input.layout.width};
    ImGui::Dummy({p1.x - p0.x, p1.y - p0.y});
    renderer_->draw(*input.texture, p0, p1);
    placements_[0] = {p0, p1, input.layout, 1, true};  // one picture, whatever its channels
    ImGui::EndGroup();
  }
  if (ImGui::IsWindowHovered() && ImGui::IsMouseDragging(ImGuiMouseButton_Right)) {  // pan
    const ImVec2 d = ImGui::GetIO().MouseDelta;
    ImGui::SetScrollX(ImGui::GetScrollX() - d.x);
    ImGui::SetScrollY(ImGui::GetScrollY() - d.y);
  }
  const auto& views = ws_.views();
  for (size_t i = 0; i < ws_.size(); ++i) {
    next_slot(!input.texture && i == 0);
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + tile);
    if (i < views.size() && views[i].texture) map_image(i, views[i], tile);
    else why_no_map(i);
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
  }
  if (scripted_probe_ && scripted_probe_->layer >= ws_.size()) scripted_probe_.reset();  // the stack shrank
  if (scripted_probe_ && !shown_probe_) {
    shown_probe_ = scripted_probe_;
    probe_value_ = ws_.value_at(shown_probe_->layer, shown_probe_->channel, shown_probe_->y, shown_probe_->x);
  }
  if (shown_probe_) highlight_sources(*shown_probe_);
  const auto& fit = ws_.fit();
  if (fit && fit->shown > 0 && fit->layer == 0 && placements_[0].valid) {
    // The box moving towards its target on the image: yellow the target, white the box.
    const Placement& at = placements_[0];
    const float sx = (at.p1.x - at.p0.x) / at.layout.width, sy = (at.p1.y - at.p0.y) / at.layout.height;
    auto rect = [&](const std::array<double, 4>& b, ImU32 colour) {
      ImGui::GetWindowDrawList()->AddRect({at.p0.x + static_cast<float>(b[1]) * sx, at.p0.y + static_cast<float>(b[0]) * sy},
                                          {at.p0.x + static_cast<float>(b[1] + b[3]) * sx, at.p0.y + static_cast<float>(b[0] + b[2]) * sy},
                                          colour, 0, 0, 2);
    };
    rect(fit->target, IM_COL32(255, 220, 0, 255));
    rect(fit->boxes[fit->shown - 1], IM_COL32(255, 255, 255, 255));
  }
}

void Ui::last_good_banner(ImVec2 at, float width) {
  if (!ws_.showing_last_good()) return;
  // Whatever was refused, the maps are those of the last stack that ran: a band over the foot
  // of the maps says so (over, not above, so the maps stay where they were) and offers the way
  // back to it.
  ImGui::SetNextWindowPos(at);
  ImGui::SetNextWindowSize({width, 0});
  ImGui::SetNextWindowBgAlpha(0.92f);
  ImGui::Begin("##last good", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_AlwaysAutoResize);
  ImGui::PushStyleColor(ImGuiCol_Text, kError);
  ImGui::PushTextWrapPos(width - 16);
  std::string why = ws_.status();
  for (size_t i = 0; i < ws_.size() && why.empty(); ++i)
    if (const auto& r = ws_.slots()[i].refused)
      why = fmt::format("{} = {} was refused for '{}' (see its parameters)", r->key, r->value.dump(), ws_.layer(i).name());
  ImGui::TextWrapped("The maps show the last good state: %s", why.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  if (ImGui::SmallButton("Back to the last good state")) ws_.back_to_last_good();
  ImGui::End();
}

void Ui::why_no_map(size_t index) {
  const Layer& layer = ws_.layer(index);
  const NodeState& node = ws_.node(index);
  ImGui::Text("%s (%s)", layer.name().c_str(), std::string(layer.class_name()).c_str());
  if (!node.error.empty()) error_text("does not fit: " + node.error);
  else if (node.blocked_by) dim_text(fmt::format("no maps: it waits on '{}', which does not fit", ws_.layer(*node.blocked_by).name()));
  else if (node.fits() && node.shape->spatial_rank == 1) dim_text(fmt::format("{}: a 1D signal (see Export)", shape_text(index, *node.shape)));
  else dim_text("not computed yet");
}

void Ui::map_image(size_t index, const LayerView& view, float width) {
  const Layer& layer = ws_.layer(index);
  ImGui::Text("%s (%s)  %s  %.2f ms", layer.name().c_str(), std::string(layer.class_name()).c_str(),
              shape_text(index, view.shape).c_str(), ws_.node(index).ms);
  const MosaicLayout& m = view.layout;
  const float w = std::min(width, static_cast<float>(m.width) * 2);
  const float h = w * static_cast<float>(m.height) / static_cast<float>(m.width);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(fmt::format("map{}", index).c_str(), {w, h});
  renderer_->draw(*view.texture, p0, {p0.x + w, p0.y + h});
  placements_[index + 1] = {p0, {p0.x + w, p0.y + h}, m, view.shape.c, true};

  std::optional<Probe> probe;
  if (ImGui::IsItemHovered()) {
    // Screen -> mosaic pixel -> (channel, y, x) through the tile grid.
    const ImVec2 mouse = ImGui::GetMousePos();
    const int px = static_cast<int>((mouse.x - p0.x) / w * m.width), py = static_cast<int>((mouse.y - p0.y) / h * m.height);
    const int col = px / (m.tile_w + m.gap), row = py / (m.tile_h + m.gap);
    const int tx = px - col * (m.tile_w + m.gap), ty = py - row * (m.tile_h + m.gap);
    const int64_t channel = static_cast<int64_t>(row) * m.columns + col;
    if (tx < m.tile_w && ty < m.tile_h && channel < view.shape.c && view.shape.spatial_rank >= 2) {
      probe = Probe{index, channel, ty * m.step / m.scale, tx * m.step / m.scale};
      if (ImGui::IsItemClicked()) enlarged_ = probe;
    }
  } else if (scripted_probe_ && scripted_probe_->layer == index) {
    probe = scripted_probe_;
  }
  if (probe) readout(*probe);
}

void Ui::readout(const Probe& probe) {
  shown_probe_ = probe;
  probe_value_ = ws_.value_at(probe.layer, probe.channel, probe.y, probe.x);
  ImGui::BeginTooltip();
  ImGui::Text("%s  channel %lld  (y %lld, x %lld)", ws_.layer(probe.layer).name().c_str(),
              static_cast<long long>(probe.channel), static_cast<long long>(probe.y), static_cast<long long>(probe.x));
  if (probe_value_) ImGui::Text("value %.6g", *probe_value_);
  else ImGui::TextColored(kDim, "outside the map");
  if (probe_value_) dot_product_readout(probe);
  ImGui::EndTooltip();
}

void Ui::dot_product_readout(const Probe& probe) {
  const Layer& layer = ws_.layer(probe.layer);
  const std::optional<Shape> in = ws_.input_of(probe.layer);
  if (!in || layer.spatial_rank() != 2) return;
  const auto d = layer.dot_product(
      *in, [&](int64_t c, int64_t, int64_t y, int64_t x) { return ws_.input_value_of(probe.layer, c, y, x).value_or(0.0f); },
      probe.channel, 0, probe.y, probe.x);
  if (!d || d->terms.empty()) return;
  ImGui::Separator();
  ImGui::Text("= sum of %zu input x weight terms + bias %.4g = %.6g", d->terms.size(), d->bias, d->sum);
  ImGui::Text("  -> %s -> %.6g", d->activation.c_str(), d->output);
  // The first input channel's patch, tap by tap, as value x weight; padded taps read zero.
  const int64_t first_channel = d->terms.front().in_channel;
  const int64_t taps = d->kernel[0] * d->kernel[1] * d->kernel[2];
  ImGui::Text("input channel %lld (of %lld):", static_cast<long long>(first_channel),
              static_cast<long long>(static_cast<int64_t>(d->terms.size()) / taps));
  if (ImGui::BeginTable("patch", static_cast<int>(d->kernel[2]), ImGuiTableFlags_Borders)) {
    for (const auto& t : d->terms) {
      if (t.in_channel != first_channel) break;
      ImGui::TableNextColumn();
      if (t.padded) ImGui::TextColored(kDim, "pad x %.3g", t.weight);
      else ImGui::Text("%.3g x %.3g", t.value, t.weight);
    }
    ImGui::EndTable();
  }
}

void Ui::highlight_sources(const Probe& probe) {
  // Back through the stack: the region of each earlier map (and of the input) that the
  // probed pixel depends on, outlined on every channel's tile.
  ImDrawList* list = ImGui::GetWindowDrawList();
  Layer::Region region{{{probe.y, probe.y}, {probe.x, probe.x}, {0, 0}}};
  auto outline = [&](const Placement& at, const Layer::Region& r, ImU32 colour) {
    if (!at.valid || r[0].first > r[0].second || r[1].first > r[1].second) return;
    const MosaicLayout& m = at.layout;
    const float sx = (at.p1.x - at.p0.x) / m.width, sy = (at.p1.y - at.p0.y) / m.height;
    for (int row = 0; row < m.rows; ++row)
      for (int col = 0; col < m.columns && row * m.columns + col < at.channels; ++col) {
        const float tx = at.p0.x + (col * (m.tile_w + m.gap)) * sx, ty = at.p0.y + (row * (m.tile_h + m.gap)) * sy;
        const float per = static_cast<float>(m.scale) / static_cast<float>(m.step);  // tile pixels per element
        list->AddRect({tx + r[1].first * per * sx, ty + r[0].first * per * sy},
                      {tx + (r[1].second + 1) * per * sx, ty + (r[0].second + 1) * per * sy}, colour, 0, 0, 2);
      }
  };
  if (probe.layer + 1 >= placements_.size()) return;
  outline(placements_[probe.layer + 1], region, IM_COL32(255, 255, 255, 255));
  for (size_t j = probe.layer + 1; j-- > 0;) {
    const Layer& layer = ws_.layer(j);
    const std::optional<Shape> in = ws_.input_of(j);
    if (layer.spatial_rank() != 2 || !in) return;
    region = layer.source_region(*in, region);
    outline(placements_[j], region, IM_COL32(255, 80, 60, 255));
  }
}

}  // namespace convscope::gui
