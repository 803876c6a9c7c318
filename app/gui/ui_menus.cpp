// The menu bar: files, samples, layers to add (from the engine's layer descriptors), view
// settings, and the status line with the recompute's times.
#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "app/assets.h"
#include "app/gui/ui.h"
#include "app/gui/ui_common.h"
#include "core/error.h"
#include "layers/registry.h"

namespace convscope::gui {

void Ui::menus() {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Open image...")) popup_ = "Open image";
    if (ImGui::MenuItem("Open pipeline...")) popup_ = "Open pipeline";
    if (ImGui::MenuItem("Save pipeline as...")) popup_ = "Save pipeline";
    if (ImGui::MenuItem("Open class labels...")) popup_ = "Open labels";
    if (ImGui::MenuItem("Export maps to folder...")) popup_ = "Export maps";
    if (ImGui::MenuItem("Export window as PNG...")) popup_ = "Export window";
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Samples")) {
    auto attempt = [this](const auto& action) {
      try {
        action();
        menu_error_.clear();
      } catch (const Error& e) {
        menu_error_ = e.what();
      }
    };
    for (const char* image : {"default.png", "coffee.png"})
      if (ImGui::MenuItem(image)) attempt([&] { ws_.open_image(app::asset_path(std::string("images/") + image)); });
    ImGui::Separator();
    std::vector<std::filesystem::path> presets;
    for (const auto& e : std::filesystem::directory_iterator(app::asset_path("pipelines")))
      if (e.path().extension() == ".json") presets.push_back(e.path());
    std::sort(presets.begin(), presets.end());
    for (const auto& p : presets)
      if (ImGui::MenuItem(p.stem().string().c_str())) attempt([&] { ws_.open_pipeline(p); });
    ImGui::EndMenu();
  }
  add_layer_menu();
  if (ImGui::BeginMenu("View")) {
    const auto current = ws_.colormap();
    for (Colormap c : {Colormap::Gray, Colormap::Viridis, Colormap::Magma, Colormap::Diverging})
      if (ImGui::MenuItem(std::string(to_string(c)).c_str(), nullptr, current == c)) ws_.set_colormap(c);
    ImGui::Separator();
    const RangeMode mode = ws_.range_mode();
    if (ImGui::MenuItem("Range per layer", nullptr, mode == RangeMode::Layer)) ws_.set_range_mode(RangeMode::Layer);
    if (ImGui::MenuItem("Range per channel", nullptr, mode == RangeMode::Channel)) ws_.set_range_mode(RangeMode::Channel);
    if (ImGui::MenuItem("Fixed range", nullptr, mode == RangeMode::Fixed))
      ws_.set_range_mode(RangeMode::Fixed, {fixed_range_[0], fixed_range_[1]});
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
  status_line();
  ImGui::EndMainMenuBar();
}

void Ui::add_layer_menu() {
  if (!ImGui::BeginMenu("Add layer")) return;
  // Grouped by family, each class as its descriptor names it; it starts from the
  // descriptor's example config, so it runs at once.
  std::map<std::string, std::vector<std::string>> families;
  for (const auto& [name, d] : LayerRegistry::builtin().descriptors()) families[d.family].push_back(name);
  for (const auto& [family, names] : families) {
    ImGui::TextColored(kDim, "%s", family.c_str());
    for (const auto& cls : names)
      if (ImGui::MenuItem(cls.c_str())) ws_.add_layer(cls);
  }
  ImGui::EndMenu();
}

void Ui::status_line() {
  ImGui::TextColored(kDim, "  %s%s on %s  |  %zu of %zu layers recomputed in %.1f ms  |  stack %.1f ms (%s)",
                     ws_.pipeline_name().c_str(), ws_.unsaved() ? " (unsaved)" : "", ws_.image_name().c_str(),
                     ws_.recomputed(), ws_.size(), ws_.update_ms(), ws_.total_ms(),
                     ws_.host_timed() ? "host-timed: CPU device" : "GPU timestamps");
  if (!ws_.status().empty()) ImGui::TextColored(kError, "  %s", ws_.status().c_str());
  else if (!ws_.notice().empty()) ImGui::TextColored(kDim, "  %s", ws_.notice().c_str());
  if (!menu_error_.empty()) ImGui::TextColored(kError, "  %s", menu_error_.c_str());
}

}  // namespace convscope::gui
