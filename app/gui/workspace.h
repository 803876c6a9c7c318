#pragma once
// What the desktop app edits and shows: an image, a stack of layers (each kept as the Keras
// spec the editor changes, plus the last layer built from it that worked), and the results
// of running the stack, as textures. Edits that the engine refuses leave the last good layer
// and maps in place and keep the message for the editor to show beside the parameter.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "app/gui/map_view.h"
#include "core/tensor.h"
#include "io/image_prep.h"
#include "layers/layer.h"
#include "model/sequential.h"
#include "viz/colormap.h"
#include "viz/gpu_mosaic.h"
#include "viz/mosaic.h"

namespace convscope::gui {

struct LayerSlot {
  nlohmann::json spec;            // {"class_name": ..., "config": {...}}
  std::unique_ptr<Layer> layer;   // built from spec: always the last version that worked
  std::string error;              // why the last edit was refused; empty when it was not
  std::string error_argument;     // the parameter the refused edit changed
};

struct LayerView {
  Shape shape;
  MosaicLayout layout;
  std::unique_ptr<MapTexture> texture;
  double ms = 0;
};

class Workspace {
 public:
  Workspace(vk::Context& ctx, MapRenderer& renderer);

  // After a device loss: release_device() drops everything held on the old device (maps,
  // outputs, textures) before it closes; attach_device() moves to the new one and recomputes.
  // The stack, the image, the settings and the selection stay as they were.
  void release_device();
  void attach_device(vk::Context& ctx, MapRenderer& renderer);
  // A line that stays until replaced (the device was reopened, a recovery was loaded), unlike
  // status(), which the next good recompute clears.
  void set_notice(std::string s) { notice_ = std::move(s); }
  const std::string& notice() const { return notice_; }

  // Files. UserError for anything unreadable; the workspace is unchanged then.
  void open_image(const std::filesystem::path& path);
  void open_pipeline(const std::filesystem::path& path);
  // Keras 3 JSON + <stem>.weights.npz; afterwards nothing is unsaved.
  void save_pipeline(const std::filesystem::path& path);
  // The same files, leaving the unsaved state alone (the autosave writes them so).
  void write_pipeline(const std::filesystem::path& path) const;
  // Every map as a PNG with its legend, the activations and index.html, as `convscope run` does.
  void export_maps(const std::filesystem::path& folder);

  // The stack. Each returns false (with the reason in the slot's `error`) when refused.
  void add_layer(const std::string& class_name, nlohmann::json config = nlohmann::json::object());
  void remove_layer(size_t i);
  void move_layer(size_t from, size_t to);
  void duplicate_layer(size_t i);
  bool set_parameter(size_t i, const std::string& key, const nlohmann::json& value);

  // Weights of layer i: a preset for its kernel, one array from a .npy, or one value.
  void apply_kernel_preset(size_t i, const std::string& preset, uint64_t seed);
  void load_weight_array(size_t i, size_t array, const std::filesystem::path& npy);
  void set_weight_value(size_t i, size_t array, size_t index, float value);
  Shape input_of(size_t i) const;

  // LearnableCrop fit (convscope fit-crop in the app): the box of layer i is fitted on the GPU
  // to the patch under `target`, then replayed a few steps per frame so the box moves.
  struct FitReplay {
    size_t layer = 0;
    std::vector<std::array<double, 4>> boxes;
    std::vector<float> losses;
    size_t shown = 0;
    std::array<double, 4> target{};
  };
  void start_fit(size_t i, const std::array<double, 4>& target, int steps);
  void advance_fit(size_t steps_per_frame);
  const std::optional<FitReplay>& fit() const { return fit_; }

  void set_range_mode(RangeMode mode, std::pair<float, float> fixed = {0.0f, 1.0f}) {
    range_mode_ = mode, fixed_range_ = fixed, invalidate();
  }
  RangeMode range_mode() const { return range_mode_; }

  void set_colormap(std::optional<Colormap> cmap) { colormap_ = cmap, invalidate(); }
  std::optional<Colormap> colormap() const { return colormap_; }
  void set_grayscale(bool g);
  void set_scaling(Scaling s);
  Scaling scaling() const { return scaling_; }
  bool grayscale() const { return grayscale_; }

  // Every edit of the stack counts one change; unsaved() until the stack is saved or opened.
  uint64_t changes() const { return changes_; }
  bool unsaved() const { return changes_ != saved_changes_; }
  // A stack recovered from an autosave: still unsaved, under the name it had.
  void mark_recovered(std::string pipeline_name) { pipeline_name_ = std::move(pipeline_name), saved_changes_ = ~changes_; }
  const std::filesystem::path& image_path() const { return image_path_; }
  bool has_weights() const {
    for (const auto& s : slots_)
      if (!s.layer->weights().empty()) return true;
    return false;
  }
  std::pair<float, float> fixed_range() const { return fixed_range_; }

  // Runs the stack on the GPU and refreshes every texture, if anything changed.
  void update();
  // Marks layer `from` and every layer below it for recomputing at the next update().
  void invalidate(size_t from = 0) { dirty_from_ = std::min(dirty_from_, from), ++revision_; }
  // Counts every change of what is shown (stack, image, view settings): what the autosave
  // follows, so a recovered session looks as the lost one did.
  uint64_t revision() const { return revision_; }

  const std::vector<LayerSlot>& slots() const { return slots_; }
  const std::vector<LayerView>& views() const { return views_; }
  const LayerView& input_view() const { return input_view_; }
  const std::string& image_name() const { return image_name_; }
  const std::string& pipeline_name() const { return pipeline_name_; }
  const std::string& status() const { return status_; }  // the last error or notice, one line
  const Tensor& input() const { return input_; }
  // The value at (channel, y, x) of layer i's output (batch 0): a single-float read.
  float value_at(size_t layer, int64_t channel, int64_t y, int64_t x) const;
  // The value layer i reads at (channel, y, x): the input image for layer 0.
  float input_value_of(size_t layer, int64_t channel, int64_t y, int64_t x) const;
  // The layers' time in the last recompute: from GPU timestamps, or see host_timed().
  double total_ms() const;
  // lavapipe writes a timestamp only when it rasterises the scene of the bound framebuffer, and
  // the app's own drawing leaves one bound, so in the app every timestamp of a recompute lands
  // at its end (llvmpipe's lp_setup_end_query). A CPU device runs each submission on the host
  // and returns when it is done, so there each layer is submitted alone and timed by the host.
  bool host_timed() const;
  // Wall-clock time of the last recompute (record, submit, wait, colouring, texture copies).
  double update_ms() const { return update_ms_; }
  // The layers whose live output differs from a fresh run of the whole stack (after bringing
  // the maps up to date): none, unless recomputing only below an edit went wrong.
  std::vector<size_t> stale_layers();
  // How many layers the last recompute ran: those from the first one changed downwards.
  size_t recomputed() const { return recomputed_; }

  int selected = -1;

 private:
  std::unique_ptr<Layer> build(const nlohmann::json& spec) const;
  // The stack as a model of its own (fresh layers with copies of the weights).
  Sequential snapshot() const;
  void prepare_input();
  // A change to the stack from layer `from` down: recompute from there, and count it.
  void edited(size_t from) { ++changes_, invalidate(from); }
  // Gives each layer weights fitting its input (keeps those that still fit); UserError names the layer.
  void fit_weights();

  vk::Context* ctx_;        // pointers: a lost device is replaced under the same workspace
  MapRenderer* renderer_;
  NdArray image_;
  std::string image_name_, pipeline_name_ = "untitled", status_, notice_;
  std::filesystem::path image_path_;
  uint64_t changes_ = 0, saved_changes_ = 0, revision_ = 0;
  bool grayscale_ = false;
  Scaling scaling_ = Scaling::ZeroOne;
  Tensor input_;
  std::vector<LayerSlot> slots_;
  std::optional<Colormap> colormap_;
  RangeMode range_mode_ = RangeMode::Layer;
  std::pair<float, float> fixed_range_{0.0f, 1.0f};
  std::vector<LayerView> views_;
  LayerView input_view_;
  std::vector<DeviceTensor> outputs_;  // kept for hover read-outs
  static constexpr size_t kClean = SIZE_MAX;
  size_t dirty_from_ = 0;  // the first layer whose output is stale; kClean when none is
  size_t recomputed_ = 0;
  double update_ms_ = 0;
  std::optional<FitReplay> fit_;
};

}  // namespace convscope::gui
