#include "app/gui/ui.h"

#include <fmt/format.h>
#include <imgui.h>

#include <cfloat>
#include <filesystem>

#include "app/assets.h"
#include "core/error.h"
#include "app/gui/kernel_presets.h"
#include "core/format.h"
#include "layers/conv/conv_layers.h"
#include "layers/conv/dot_product.h"
#include "layers/learnable_crop/learnable_crop.h"
#include "layers/registry.h"
#include "model/summary.h"

namespace convscope::gui {

namespace {

const ImVec4 kError{1.0f, 0.35f, 0.3f, 1.0f};
const ImVec4 kDim{0.6f, 0.6f, 0.6f, 1.0f};

// Choices of the string arguments that have a fixed set of values.
const std::vector<std::string>* choices(const std::string& key) {
  static const std::map<std::string, std::vector<std::string>> table = {
      {"padding", {"valid", "same", "causal", "full"}},
      {"data_format", {"channels_last", "channels_first"}},
      {"interpolation", {"nearest", "bilinear", "linear", "trilinear"}},
      {"box_source", {"weight", "predicted"}},
      {"activation", {"linear", "relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "sigmoid", "hard_sigmoid", "tanh",
                      "softplus", "softsign", "swish", "exponential"}},
  };
  auto it = table.find(key);
  return it == table.end() ? nullptr : &it->second;
}

// Engine messages are long sentences: wrap them in the panel, in red.
void error_text(const std::string& message) {
  ImGui::PushStyleColor(ImGuiCol_Text, kError);
  ImGui::TextWrapped("%s", message.c_str());
  ImGui::PopStyleColor();
}

std::string shape_text(const Shape& s) { return keras_shape_string(open_shape(s, DataFormat::ChannelsLast)); }

}  // namespace

void Ui::draw() {
  menus();
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float top = ImGui::GetFrameHeight();
  const float left = std::min(380.0f, size.x * 0.34f);
  ImGui::SetNextWindowPos({0, top});
  ImGui::SetNextWindowSize({left, size.y - top});
  ImGui::Begin("Layers", nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
  layer_stack();
  ImGui::End();
  ImGui::SetNextWindowPos({left, top});
  ImGui::SetNextWindowSize({size.x - left, size.y - top});
  ImGui::Begin("Feature maps", nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
  maps();
  ImGui::End();
  enlarged();
  path_popup();
  recovery_popup();
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
  if (!enlarged_ || enlarged_->layer >= ws_.views().size()) return;
  const LayerView& view = ws_.views()[enlarged_->layer];
  const MosaicLayout& m = view.layout;
  if (!view.texture || enlarged_->channel >= view.shape.c) return;
  bool open = true;
  ImGui::SetNextWindowSize({520, 560}, ImGuiCond_FirstUseEver);
  const std::string title = fmt::format("{} channel {}###enlarged", ws_.slots()[enlarged_->layer].layer->name(),
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

void Ui::menus() {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Open image...")) popup_ = "Open image";
    if (ImGui::MenuItem("Open pipeline...")) popup_ = "Open pipeline";
    if (ImGui::MenuItem("Save pipeline as...")) popup_ = "Save pipeline";
    if (ImGui::MenuItem("Export maps to folder...")) popup_ = "Export maps";
    if (ImGui::MenuItem("Export window as PNG...")) popup_ = "Export window";
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Samples")) {
    for (const char* image : {"default.png", "coffee.png"})
      if (ImGui::MenuItem(image)) {
        try {
          ws_.open_image(app::asset_path(std::string("images/") + image));
        } catch (const Error& e) {
          menu_error_ = e.what();
        }
      }
    ImGui::Separator();
    std::vector<std::filesystem::path> presets;
    for (const auto& e : std::filesystem::directory_iterator(app::asset_path("pipelines")))
      if (e.path().extension() == ".json") presets.push_back(e.path());
    std::sort(presets.begin(), presets.end());
    for (const auto& p : presets)
      if (ImGui::MenuItem(p.stem().string().c_str())) {
        try {
          ws_.open_pipeline(p);
          menu_error_.clear();
        } catch (const Error& e) {
          menu_error_ = e.what();
        }
      }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Add layer")) {
    for (const auto& cls : LayerRegistry::builtin().class_names())
      if (ImGui::MenuItem(cls.c_str())) ws_.add_layer(cls);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    const auto current = ws_.colormap();
    for (Colormap c : {Colormap::Gray, Colormap::Viridis, Colormap::Magma, Colormap::Diverging})
      if (ImGui::MenuItem(std::string(to_string(c)).c_str(), nullptr, current == c)) ws_.set_colormap(c);
    ImGui::Separator();
    const RangeMode mode = ws_.range_mode();
    if (ImGui::MenuItem("Range per layer", nullptr, mode == RangeMode::Layer)) ws_.set_range_mode(RangeMode::Layer);
    if (ImGui::MenuItem("Range per channel", nullptr, mode == RangeMode::Channel)) ws_.set_range_mode(RangeMode::Channel);
    if (ImGui::MenuItem("Fixed range", nullptr, mode == RangeMode::Fixed)) ws_.set_range_mode(RangeMode::Fixed, {fixed_range_[0], fixed_range_[1]});
    if (ImGui::InputFloat2("fixed lo, hi", fixed_range_) && mode == RangeMode::Fixed && fixed_range_[0] < fixed_range_[1])
      ws_.set_range_mode(RangeMode::Fixed, {fixed_range_[0], fixed_range_[1]});
    ImGui::Separator();
    bool gray = ws_.grayscale();
    if (ImGui::MenuItem("Grayscale input", nullptr, &gray)) ws_.set_grayscale(gray);
    for (Scaling sc : {Scaling::ZeroOne, Scaling::MinusOneOne, Scaling::MeanStd})
      if (ImGui::MenuItem(fmt::format("Input scaling {}", to_string(sc)).c_str(), nullptr, ws_.scaling() == sc))
        ws_.set_scaling(sc);
    ImGui::SliderFloat("Zoom", &zoom_, 0.25f, 4.0f, "%.2fx");
    ImGui::EndMenu();
  }
  ImGui::TextColored(kDim, "  %s%s on %s  |  %zu of %zu layers recomputed in %.1f ms  |  stack %.1f ms (%s)",
                     ws_.pipeline_name().c_str(), ws_.unsaved() ? " (unsaved)" : "", ws_.image_name().c_str(), ws_.recomputed(), ws_.slots().size(),
                     ws_.update_ms(), ws_.total_ms(), ws_.host_timed() ? "host-timed: CPU device" : "GPU timestamps");
  if (!ws_.status().empty()) ImGui::TextColored(kError, "  %s", ws_.status().c_str());
  else if (!ws_.notice().empty()) ImGui::TextColored(kDim, "  %s", ws_.notice().c_str());
  if (!menu_error_.empty()) ImGui::TextColored(kError, "  %s", menu_error_.c_str());
  ImGui::EndMainMenuBar();
}

void Ui::path_popup() {
  if (popup_.empty()) return;
  ImGui::OpenPopup(popup_.c_str());
  if (ImGui::BeginPopupModal(popup_.c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::InputText("path", path_, sizeof path_);
    static std::string error;
    if (ImGui::Button("OK")) {
      try {
        if (popup_ == "Open image") ws_.open_image(path_);
        else if (popup_ == "Open pipeline") ws_.open_pipeline(path_);
        else if (popup_ == "Load weights") ws_.load_weight_array(popup_layer_, popup_array_, path_);
        else if (popup_ == "Export maps") ws_.export_maps(path_);
        else if (popup_ == "Export window") capture_request_ = path_;
        else ws_.save_pipeline(path_);
        popup_.clear();
        error.clear();
        ImGui::CloseCurrentPopup();
      } catch (const Error& e) {
        error = e.what();
      }
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) {
      popup_.clear();
      error.clear();
      ImGui::CloseCurrentPopup();
    }
    if (!error.empty()) ImGui::TextColored(kError, "%s", error.c_str());
    ImGui::EndPopup();
  }
}

void Ui::layer_stack() {
  const auto& slots = ws_.slots();
  ImGui::TextColored(kDim, "input %s", shape_text(ws_.input().shape).c_str());
  for (size_t i = 0; i < slots.size(); ++i) {
    ImGui::PushID(static_cast<int>(i));
    const auto& slot = slots[i];
    const std::string label = fmt::format("{} ({})", slot.layer->name(), slot.layer->class_name());
    if (ImGui::Selectable(label.c_str(), ws_.selected == static_cast<int>(i), 0, {ImGui::GetContentRegionAvail().x - 110, 0}))
      ws_.selected = static_cast<int>(i);
    ImGui::SameLine();
    if (ImGui::SmallButton("^") && i > 0) ws_.move_layer(i, i - 1);
    ImGui::SameLine();
    if (ImGui::SmallButton("v") && i + 1 < slots.size()) ws_.move_layer(i, i + 1);
    ImGui::SameLine();
    if (ImGui::SmallButton("dup")) ws_.duplicate_layer(i);
    ImGui::SameLine();
    const bool removed = ImGui::SmallButton("x");
    ImGui::PopID();
    if (removed) {
      ws_.remove_layer(i);
      break;
    }
  }
  if (slots.empty()) ImGui::TextColored(kDim, "Add layers from the menu, or open a sample pipeline.");
  ImGui::Separator();
  if (ws_.selected >= 0 && ws_.selected < static_cast<int>(slots.size())) parameters(static_cast<size_t>(ws_.selected));
  ImGui::Separator();
  summary();
}

void Ui::parameters(size_t i) {
  const LayerSlot& slot = ws_.slots()[i];
  ImGui::Text("%s", slot.layer->label().c_str());
  const nlohmann::json config = slot.spec["config"];
  for (const auto& [key, value] : config.items()) {
    if (key == "name" || key == "trainable" || key == "dtype") continue;
    ImGui::PushID(key.c_str());
    if (value.is_boolean()) {
      bool b = value.get<bool>();
      if (ImGui::Checkbox(key.c_str(), &b)) ws_.set_parameter(i, key, b);
    } else if (value.is_number_integer()) {
      int v = value.get<int>();
      if (ImGui::InputInt(key.c_str(), &v)) ws_.set_parameter(i, key, v);
    } else if (value.is_number()) {
      float v = value.get<float>();
      if (ImGui::InputFloat(key.c_str(), &v, 0.5f)) ws_.set_parameter(i, key, v);
    } else if (value.is_string()) {
      const std::string current = value.get<std::string>();
      if (const auto* options = choices(key)) {
        if (ImGui::BeginCombo(key.c_str(), current.c_str())) {
          for (const auto& o : *options)
            if (ImGui::Selectable(o.c_str(), o == current)) ws_.set_parameter(i, key, o);
          ImGui::EndCombo();
        }
      } else {
        ImGui::Text("%s: %s", key.c_str(), current.c_str());
      }
    } else if (value.is_array() && !value.empty() && value[0].is_number_integer() && value.size() <= 4) {
      int v[4] = {0, 0, 0, 0};
      for (size_t k = 0; k < value.size(); ++k) v[k] = value[k].get<int>();
      if (ImGui::InputScalarN(key.c_str(), ImGuiDataType_S32, v, static_cast<int>(value.size())))
        ws_.set_parameter(i, key, std::vector<int>(v, v + value.size()));
    } else if (value.is_array() && !value.empty() && value[0].is_array()) {
      // (before, after) per axis: cropping and padding.
      for (size_t a = 0; a < value.size(); ++a) {
        int v[2] = {value[a][0].get<int>(), value[a][1].get<int>()};
        if (ImGui::InputInt2(fmt::format("{} axis {}", key, a).c_str(), v)) {
          nlohmann::json updated = value;
          updated[a] = {v[0], v[1]};
          ws_.set_parameter(i, key, updated);
        }
      }
    } else if (value.is_null() && key == "output_padding") {
      if (ImGui::Button("set output_padding")) ws_.set_parameter(i, key, std::vector<int>(slot.layer->spatial_rank(), 0));
    } else {
      ImGui::Text("%s: %s", key.c_str(), value.dump().c_str());
    }
    if (slot.error_argument == key && !slot.error.empty()) error_text(slot.error);
    ImGui::PopID();
  }
  if (!slot.error.empty() && !config.contains(slot.error_argument)) error_text(slot.error);
  weights(i);
  fit_panel(i);
}

void Ui::fit_panel(size_t i) {
  const auto* crop = dynamic_cast<const LearnableCropLayer*>(ws_.slots()[i].layer.get());
  if (!crop || crop->box_source() != LearnableCropLayer::BoxSource::Weight) return;
  if (!ImGui::CollapsingHeader("Fit the box", ImGuiTreeNodeFlags_DefaultOpen)) return;
  ImGui::InputFloat4("target y0 x0 h w", fit_target_, "%.0f");
  if (ImGui::Button("Fit on the GPU")) {
    try {
      ws_.start_fit(i, {fit_target_[0], fit_target_[1], fit_target_[2], fit_target_[3]}, 400);
      fit_error_.clear();
    } catch (const Error& e) {
      fit_error_ = e.what();
    }
  }
  if (!fit_error_.empty()) error_text(fit_error_);
  const auto& fit = ws_.fit();
  if (fit && fit->layer == i && fit->shown > 0) {
    const auto& b = fit->boxes[fit->shown - 1];
    ImGui::Text("step %zu/%zu  box (%.1f, %.1f, %.1f, %.1f)", fit->shown, fit->boxes.size(), b[0], b[1], b[2], b[3]);
    ImGui::PlotLines("loss", fit->losses.data(), static_cast<int>(fit->shown), 0, nullptr, 0.0f, FLT_MAX, {0, 60});
  }
}

void Ui::weights(size_t i) {
  const Layer& layer = *ws_.slots()[i].layer;
  const auto& arrays = layer.weights();
  if (arrays.empty()) return;
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
  for (size_t a = 0; a < arrays.size(); ++a) {
    ImGui::PushID(static_cast<int>(a));
    ImGui::TextColored(kDim, "array %zu %s", a, shape_string(arrays[a].shape).c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton("load .npy")) popup_ = "Load weights", popup_layer_ = i, popup_array_ = a;
    ImGui::PopID();
  }
  const NdArray& k = arrays[0];
  if (k.shape.size() != 4) return;
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
        ws_.set_weight_value(i, 0, index, v);
      ImGui::PopID();
    }
}

void Ui::summary() {
  if (!ImGui::BeginTable("summary", 6, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) return;
  ImGui::TableSetupColumn("Layer");
  ImGui::TableSetupColumn("Output shape");
  ImGui::TableSetupColumn("Params");
  ImGui::TableSetupColumn("MFLOP");
  ImGui::TableSetupColumn("MiB");
  ImGui::TableSetupColumn("ms");
  ImGui::TableHeadersRow();
  const auto& views = ws_.views();
  for (size_t i = 0; i < ws_.slots().size(); ++i) {
    const Layer& layer = *ws_.slots()[i].layer;
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(layer.name().c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(i < views.size() ? shape_text(views[i].shape).c_str() : "");
    int64_t params = 0;
    for (const auto& w : layer.weights()) params += static_cast<int64_t>(w.size());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(thousands(params).c_str());
    const Shape in = ws_.input_of(i);
    ImGui::TableNextColumn();
    ImGui::Text("%.1f", layer.flops(in) / 1e6);
    ImGui::TableNextColumn();  // the output tensor in device memory
    ImGui::Text("%.1f", i < views.size() ? static_cast<double>(views[i].shape.size()) * 4 / 1048576.0 : 0.0);
    ImGui::TableNextColumn();
    ImGui::Text("%.2f", i < views.size() ? views[i].ms : 0.0);
  }
  ImGui::EndTable();
}

void Ui::maps() {
  shown_probe_.reset();
  placements_.assign(ws_.slots().size() + 1, {});
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
    ImGui::Text("input  %s", shape_text(input.shape).c_str());
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
  for (size_t i = 0; i < views.size() && i < ws_.slots().size(); ++i) {
    next_slot(!input.texture && i == 0);
    ImGui::BeginGroup();
    map_image(i, views[i], tile);
    ImGui::EndGroup();
  }
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

void Ui::dot_product_readout(const Probe& probe) {
  const auto* conv = dynamic_cast<const ConvLayer*>(ws_.slots()[probe.layer].layer.get());
  if (!conv || conv->spatial_rank() != 2) return;
  const Shape in = ws_.input_of(probe.layer);
  const auto d = dot_product(conv->core(), conv->core_weights(in), in,
                             [&](int64_t c, int64_t, int64_t y, int64_t x) { return ws_.input_value_of(probe.layer, c, y, x); },
                             probe.channel, 0, probe.y, probe.x);
  if (!d) return;
  ImGui::Separator();
  ImGui::Text("= sum of %zu input x weight terms + bias %.4g = %.6g", d->terms.size(), d->bias, d->sum);
  ImGui::Text("  -> %s -> %.6g", std::string(to_string(conv->core().config().activation)).c_str(), d->output);
  // The first input channel's patch, tap by tap, as value x weight; padded taps read zero.
  const auto k = conv->core().canonical_kernel();
  const int64_t first_channel = d->terms.front().in_channel;
  ImGui::Text("input channel %lld (of %lld):", static_cast<long long>(first_channel),
              static_cast<long long>(d->terms.size() / (k[1] * k[2])));
  if (ImGui::BeginTable("patch", static_cast<int>(k[2]), ImGuiTableFlags_Borders)) {
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
  outline(placements_[probe.layer + 1], region, IM_COL32(255, 255, 255, 255));
  for (size_t j = probe.layer + 1; j-- > 0;) {
    const Layer& layer = *ws_.slots()[j].layer;
    if (layer.spatial_rank() != 2) return;
    region = layer.source_region(ws_.input_of(j), region);
    outline(placements_[j], region, IM_COL32(255, 80, 60, 255));
  }
}

void Ui::map_image(size_t index, const LayerView& view, float width) {
  const Layer& layer = *ws_.slots()[index].layer;
  ImGui::Text("%s (%s)  %s  %.2f ms", layer.name().c_str(), std::string(layer.class_name()).c_str(),
              shape_text(view.shape).c_str(), view.ms);
  if (!view.texture || view.layout.width == 0) return;
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
  if (probe) {
    shown_probe_ = probe;
    probe_value_ = ws_.value_at(probe->layer, probe->channel, probe->y, probe->x);
    ImGui::BeginTooltip();
    ImGui::Text("%s  channel %lld  (y %lld, x %lld)", layer.name().c_str(), static_cast<long long>(probe->channel),
                static_cast<long long>(probe->y), static_cast<long long>(probe->x));
    ImGui::Text("value %.6g", probe_value_);
    dot_product_readout(*probe);
    ImGui::EndTooltip();
  }
}

}  // namespace convscope::gui
