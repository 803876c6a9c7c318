#pragma once
// The app's windows, one file per panel: menus (ui_menus.cpp), the layer stack with its
// summary (ui_stack.cpp), the parameter editor and the box fit (ui_parameters.cpp), the
// weights (ui_weights.cpp), the feature maps with the hover read-out (ui_maps.cpp), and the
// popups (ui_popups.cpp). Drives the Workspace; knows no Vulkan and no layer class.
#include <imgui.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/gui/autosave.h"
#include "app/gui/workspace.h"

namespace convscope::gui {

// A map pixel to read out, as the mouse or a script points at it.
struct Probe {
  size_t layer = 0;
  int64_t channel = 0, y = 0, x = 0;
};

class Ui {
 public:
  Ui(Workspace& workspace, MapRenderer& renderer) : ws_(workspace), renderer_(&renderer) {}
  // Where unsaved edits are kept: the app offers what an earlier session left there.
  void set_autosave(Autosave& autosave) { autosave_ = &autosave; }
  // The renderer made on a reopened device, after the old one was lost.
  void set_renderer(MapRenderer& renderer) { renderer_ = &renderer; }
  void draw();
  // Scripts point at a pixel; the read-out shows it as if hovered.
  void probe(const Probe& p) { scripted_probe_ = p; }
  void enlarge(const Probe& p) { enlarged_ = p; }
  // A window screenshot asked for from the menu, for the main loop to take after this frame.
  std::string take_capture_request() { return std::exchange(capture_request_, {}); }
  const std::optional<Probe>& last_probe() const { return shown_probe_; }
  std::optional<float> last_probe_value() const { return probe_value_; }
  // Max pooling's winner for the probed pixel: input k of the probed node, channel, (y, x).
  struct Winner {
    size_t input = 0;
    int64_t channel = 0, y = 0, x = 0;
  };
  const std::optional<Winner>& last_winner() const { return winner_; }

 private:
  void menus();
  void add_layer_menu();
  void status_line();
  void layer_stack();
  void summary();
  void parameters(size_t i);
  void parameter(size_t i, const std::string& key, const nlohmann::json& value);
  void config_editor(size_t i);
  void weights(size_t i);
  void kernel_pictures(size_t i, NdArray kernel);
  void fit_panel(size_t i);
  void maps();
  void last_good_banner(ImVec2 at, float width);
  void map_image(size_t index, const LayerView& view, float width);
  void why_no_map(size_t index);
  void plot_view(size_t index, const Workspace::Plot& plot, float width);
  void bar_chart(size_t index, const Workspace::Plot& plot, float width);
  void graph_gutter(const std::vector<float>& row_y, float input_y, float x0, float width);
  float graph_width() const;
  void readout(const Probe& probe);
  // What the probed layer reads, for its read-out's arithmetic: 2D maps only.
  struct ReadoutInput {
    Shape shape;
    InputReader read;
  };
  std::optional<ReadoutInput> readout_input(const Probe& probe) const;
  void dot_product_readout(const Probe& probe);
  void pool_readout(const Probe& probe);
  void highlight_sources(const Probe& probe);
  void enlarged();
  void path_popup();
  void recovery_popup();
  void replace_popup();
  std::string shape_text(size_t layer, const Shape& s) const;

  // Where each map landed on screen this frame (index 0: the input, i + 1: layer i).
  struct Placement {
    ImVec2 p0, p1;
    MosaicLayout layout;
    int64_t channels = 0;
    bool valid = false;
  };

  Workspace& ws_;
  std::vector<Placement> placements_;
  MapRenderer* renderer_;
  Autosave* autosave_ = nullptr;
  std::string recovery_error_;  // why recovering failed
  std::optional<Probe> scripted_probe_, shown_probe_;
  std::optional<Probe> enlarged_;  // the channel clicked on, shown in a window of its own
  std::optional<float> probe_value_;
  std::optional<Winner> winner_;
  float zoom_ = 1.0f;
  std::string popup_;           // which path popup is open
  std::string popup_error_;     // why its last OK failed
  size_t popup_layer_ = 0, popup_array_ = 0;  // the weight array a "Load .npy" popup fills
  int preset_ = 0, seed_ = 1, kernel_in_ = 0, kernel_out_ = 0;
  float fit_target_[4] = {60, 160, 150, 130};
  std::string fit_error_;
  std::string menu_error_;  // why the last menu action failed
  std::string capture_request_;
  float fixed_range_[2] = {-1, 1};
  char path_[512] = {0};
  // The JSON editor's text, for the layer and spec it was made from.
  size_t json_layer_ = SIZE_MAX;
  nlohmann::json json_spec_;
  std::string json_text_, json_error_;
  // The replace popup's choices, per layer of the offer made for `replace_for_`.
  struct ReplaceChoice {
    int class_index = 0;
    std::string config;
  };
  std::filesystem::path replace_for_;
  std::vector<ReplaceChoice> replace_choices_;
  std::string replace_error_;
};

}  // namespace convscope::gui
