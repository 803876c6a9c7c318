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
  winner_.reset();
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
    else if (const Workspace::Plot* plot = ws_.plot(i)) plot_view(i, *plot, tile);
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
  if (probe_value_) dot_product_readout(probe), pool_readout(probe);
  ImGui::EndTooltip();
}

std::optional<Ui::ReadoutInput> Ui::readout_input(const Probe& probe) const {
  const std::optional<Shape> in = ws_.input_of(probe.layer);
  if (!in || ws_.layer(probe.layer).spatial_rank() != 2) return std::nullopt;  // 2D maps: batch 0, no depth
  const size_t layer = probe.layer;
  return ReadoutInput{*in, [this, layer](int64_t c, int64_t, int64_t y, int64_t x) {
                        return static_cast<double>(ws_.input_value_of(layer, c, y, x).value_or(0.0f));
                      }};
}

void Ui::dot_product_readout(const Probe& probe) {
  const auto in = readout_input(probe);
  if (!in) return;
  const auto d = ws_.layer(probe.layer).dot_product(in->shape, in->read, probe.channel, 0, probe.y, probe.x);
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

void Ui::pool_readout(const Probe& probe) {
  const auto in = readout_input(probe);
  if (!in) return;
  const auto r = ws_.layer(probe.layer).pool_readout(in->shape, in->read, probe.channel, 0, probe.y, probe.x);
  if (!r || r->elements.empty()) return;
  ImGui::Separator();
  const int64_t padded = r->window - static_cast<int64_t>(r->elements.size());
  const std::string left_out = padded > 0 ? fmt::format(" ({} padded, left out)", padded) : "";
  if (r->max) {
    ImGui::Text("= max of %zu elements of the window of %lld%s", r->elements.size(), static_cast<long long>(r->window),
                left_out.c_str());
    ImGui::Text("  won by (y %lld, x %lld) = %.6g, filled yellow on the map it reads", static_cast<long long>(r->winner[1]),
                static_cast<long long>(r->winner[2]), r->winner_value);
    winner_ = Winner{0, probe.channel, r->winner[1], r->winner[2]};
  } else {
    ImGui::Text("= average of %zu elements%s: %.6g / %zu = %.6g", r->elements.size(), left_out.c_str(), r->sum,
                r->elements.size(), r->output);
  }
}

void Ui::highlight_sources(const Probe& probe) {
  // Back through the graph: the region of each earlier map (and of the input) that the probed
  // pixel depends on, outlined on every channel's tile. A node reached along several paths
  // (both branches of a merge meeting again) outlines the box around what each path reads.
  ImDrawList* list = ImGui::GetWindowDrawList();
  auto tile_rect = [](const Placement& at, int64_t channel, const std::pair<int64_t, int64_t>& ys,
                      const std::pair<int64_t, int64_t>& xs) -> std::pair<ImVec2, ImVec2> {
    const MosaicLayout& m = at.layout;
    const float sx = (at.p1.x - at.p0.x) / m.width, sy = (at.p1.y - at.p0.y) / m.height;
    const int row = static_cast<int>(channel / m.columns), col = static_cast<int>(channel % m.columns);
    const float tx = at.p0.x + (col * (m.tile_w + m.gap)) * sx, ty = at.p0.y + (row * (m.tile_h + m.gap)) * sy;
    const float per = static_cast<float>(m.scale) / static_cast<float>(m.step);  // tile pixels per element
    return {{tx + xs.first * per * sx, ty + ys.first * per * sy},
            {tx + (xs.second + 1) * per * sx, ty + (ys.second + 1) * per * sy}};
  };
  auto outline = [&](const Placement& at, const Layer::Region& r, ImU32 colour) {
    if (!at.valid || r[0].first > r[0].second || r[1].first > r[1].second) return;
    const int64_t tiles = std::min<int64_t>(at.channels, static_cast<int64_t>(at.layout.rows) * at.layout.columns);
    for (int64_t c = 0; c < tiles; ++c) {
      const auto [a, b] = tile_rect(at, c, r[0], r[1]);
      list->AddRect(a, b, colour, 0, 0, 2);
    }
  };
  if (probe.layer + 1 >= placements_.size()) return;
  const Layer::Region probed{{{probe.y, probe.y}, {probe.x, probe.x}, {0, 0}}};
  outline(placements_[probe.layer + 1], probed, IM_COL32(255, 255, 255, 255));
  // regions[0]: the input; regions[j + 1]: node j.
  std::vector<std::optional<Layer::Region>> regions(ws_.size() + 1);
  regions[probe.layer + 1] = probed;
  auto widen = [](std::optional<Layer::Region>& into, const Layer::Region& r) {
    if (r[0].first > r[0].second || r[1].first > r[1].second) return;  // reads only padding there
    if (!into) into = r;
    else
      for (int a = 0; a < 2; ++a)
        (*into)[a] = {std::min((*into)[a].first, r[a].first), std::max((*into)[a].second, r[a].second)};
  };
  std::vector<size_t> order;
  try {
    order = ws_.model().topological_order();
  } catch (const Error&) {
    return;  // an edit left a dangling reference: nothing to follow until it is fixed
  }
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const size_t j = *it;
    if (j >= ws_.size() || !regions[j + 1]) continue;
    const std::optional<std::vector<Shape>> in = ws_.input_shapes(j);
    const std::vector<Ref>& refs = ws_.model().nodes[j].inputs;
    if (!in || in->size() != refs.size()) continue;
    for (size_t k = 0; k < refs.size(); ++k) {
      if ((*in)[k].spatial_rank != 2) continue;  // a vector or a 1D signal: nothing drawn to outline
      const size_t target = refs[k].is_node() ? refs[k].index + 1 : 0;
      if (target >= regions.size()) continue;
      widen(regions[target], ws_.layer(j).node_source_region(*in, k, *regions[j + 1]));
    }
  }
  for (size_t t = 0; t <= probe.layer && t < placements_.size(); ++t)
    if (regions[t] && t != probe.layer + 1) outline(placements_[t], *regions[t], IM_COL32(255, 80, 60, 255));
  if (winner_) {
    // Max pooling's winner, filled on its channel's tile of the map it was read from.
    const Ref& r = ws_.model().nodes[probe.layer].inputs.at(winner_->input);
    const Placement& at = placements_[r.is_node() ? r.index + 1 : 0];
    if (at.valid) {
      const int64_t channel = r.is_node() ? winner_->channel : 0;  // the input is one picture
      const auto [a, b] = tile_rect(at, channel, {winner_->y, winner_->y}, {winner_->x, winner_->x});
      list->AddRectFilled(a, b, IM_COL32(255, 220, 0, 200));
      list->AddRect(a, b, IM_COL32(0, 0, 0, 255));
    }
  }
}

}  // namespace convscope::gui
