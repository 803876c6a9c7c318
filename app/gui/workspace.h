#pragma once
// What the desktop app edits and shows: an image, a stack of layers (each with the Keras spec
// the editor changes), the view settings, and an engine Session that runs the stack and keeps
// every output. UI state only: the session records the work and FeatureMaps the pictures.
//
// Edits of a parameter that the engine refuses (a bad value, a shape that stops fitting, a
// tensor beyond the device) leave the last good layer and maps in place, with the message kept
// for the editor to show beside the parameter. Edits of the stack itself (adding, moving,
// removing layers, another image) are never refused: a layer that no longer fits shows why,
// the layers after it wait, and fixing it brings them back.
#include <nlohmann/json.hpp>

#include <array>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/gui/feature_maps.h"
#include "core/tensor.h"
#include "io/image_prep.h"
#include "model/parse_pipeline.h"
#include "run/session.h"
#include "viz/colormap.h"
#include "viz/top_classes.h"

namespace convscope::gui {

// A kernel preset the user applied: remade when the layer's input changes shape.
struct AppliedPreset {
  std::string name;
  uint64_t seed = 1;
};

struct LayerSlot {
  nlohmann::json spec;  // {"class_name": ..., "config": {...}} of the layer that runs
  // The last edit of one argument (or of the weights), refused: what was asked and why. The
  // spec, the layer and the maps keep the last good state.
  struct Refusal {
    std::string key;
    nlohmann::json value;
    std::string message;
  };
  std::optional<Refusal> refused;
  std::optional<AppliedPreset> preset;
  // Weights set aside when the input's shape changed under them, newest last: switching back
  // (grayscale off again) finds them as they were.
  std::vector<std::vector<NdArray>> stash;
};

class Workspace {
 public:
  Workspace(vk::Context& ctx, MapRenderer& renderer);

  // After a device loss: release_device() drops everything held on the old device before it
  // closes; attach_device() moves to the new one and recomputes. The stack, the image, the
  // settings and the selection stay as they were.
  void release_device();
  void attach_device(vk::Context& ctx, MapRenderer& renderer);
  // A line that stays until replaced (the device was reopened, a recovery was loaded), unlike
  // status(), which the next good recompute clears.
  void set_notice(std::string s) { notice_ = std::move(s); }
  const std::string& notice() const { return notice_; }

  // ---- files (workspace_files.cpp); UserError for anything unreadable, nothing changed then ----
  // An image larger than the device can run the stack on opens downscaled, with a notice.
  void open_image(const std::filesystem::path& path);
  // `weight_counts`: arrays per layer in the weights file (an autosave of a stack whose
  // layers do not all have weights); without it each layer takes what it names.
  // A model with a Lambda or a custom layer does not open at once: it becomes the
  // replace_offer(), for the user to pick what built-in layer each computes.
  void open_pipeline(const std::filesystem::path& path,
                     const std::optional<std::vector<size_t>>& weight_counts = std::nullopt);
  struct ReplaceOffer {
    std::filesystem::path path;
    std::vector<UnrunnableLayer> layers;
  };
  const std::optional<ReplaceOffer>& replace_offer() const { return replace_offer_; }
  // Opens the offer's file with each named layer computing the given {"class_name", "config"};
  // UserError (the offer stays) when the result does not open.
  void accept_replacements(const std::map<std::string, nlohmann::json>& replacements);
  void decline_replacements() { replace_offer_.reset(); }
  // Keras 3 JSON + <stem>.weights.npz; afterwards nothing is unsaved. UserError when a layer
  // has no weights yet (it has never fitted its input).
  void save_pipeline(const std::filesystem::path& path);
  // The same files, leaving the unsaved state alone, also for layers without weights; returns
  // the arrays written per layer (the autosave keeps them beside).
  std::vector<size_t> write_pipeline(const std::filesystem::path& path) const;
  // Every map as a PNG with its legend, the activations and index.html, as `convscope run` does.
  void export_maps(const std::filesystem::path& folder);

  // ---- the stack; `i` beyond it is ignored ----
  void add_layer(const std::string& class_name, nlohmann::json config = nlohmann::json::object());
  void remove_layer(size_t i);
  void move_layer(size_t from, size_t to);
  void duplicate_layer(size_t i);
  // False (with the reason in the slot's `refused`) when refused.
  bool set_parameter(size_t i, const std::string& key, const nlohmann::json& value);
  // The whole config at once, as the JSON editor gives it; refused as set_parameter is (under
  // the key "config"), unknown keys included.
  bool set_config(size_t i, const nlohmann::json& config);

  // ---- weights of layer i (workspace_weights.cpp) ----
  void apply_kernel_preset(size_t i, const std::string& preset, uint64_t seed);
  void load_weight_array(size_t i, size_t array, const std::filesystem::path& npy);
  void set_weight_value(size_t i, size_t array, size_t index, float value);

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

  // ---- view settings ----
  void set_range_mode(RangeMode mode, std::pair<float, float> fixed = {0.0f, 1.0f});
  RangeMode range_mode() const { return style_.range; }
  std::pair<float, float> fixed_range() const { return style_.fixed; }
  void set_colormap(std::optional<Colormap> cmap);
  std::optional<Colormap> colormap() const { return style_.colormap; }
  void set_grayscale(bool g);
  void set_scaling(Scaling s);
  Scaling scaling() const { return scaling_; }
  bool grayscale() const { return grayscale_; }

  // Every edit of the stack counts one change; unsaved() until the stack is saved or opened.
  uint64_t changes() const { return changes_; }
  bool unsaved() const { return changes_ != saved_changes_; }
  // A stack recovered from an autosave: still unsaved, under the name it had.
  void mark_recovered(std::string pipeline_name) { pipeline_name_ = std::move(pipeline_name), saved_changes_ = ~changes_; }
  // Counts every change of what is shown (stack, image, view settings): what the autosave
  // follows, so a recovered session looks as the lost one did.
  uint64_t revision() const { return revision_; }
  const std::filesystem::path& image_path() const { return image_path_; }

  // ---- running ----
  // Runs what changed on the GPU and refreshes the textures.
  void update();
  // Every layer recomputed at the next update() (the profile's full recomputes), or layer
  // `from` and those after it (as an edit of it would).
  void invalidate();
  void invalidate(size_t from);
  // The maps on screen are older than the stack: the last recompute failed, or an edit was
  // refused. back_to_last_good() drops refused edits and, after a failed recompute, returns the
  // stack to what the maps show.
  bool showing_last_good() const;
  void back_to_last_good();

  // ---- what is shown ----
  size_t size() const { return slots_.size(); }
  const std::vector<LayerSlot>& slots() const { return slots_; }
  const Layer& layer(size_t i) const { return session_->layer(i); }
  // Shape, misfit message or the misfit it waits on, and time of node i.
  const NodeState& node(size_t i) const { return session_->node(i); }
  // The shape layer i reads, when it is known.
  std::optional<Shape> input_of(size_t i) const;
  // What node i reads, by name ("input" for the model's input), when that is not simply the
  // row above it: a graph's branches and merges, which the stack spells out.
  std::vector<std::string> branch_reads(size_t i) const;
  const std::vector<LayerView>& views() const { return maps_.views(); }
  const LayerView& input_view() const { return maps_.input_view(); }
  const std::string& image_name() const { return image_name_; }
  const std::string& pipeline_name() const { return pipeline_name_; }
  const std::string& status() const { return status_; }  // the last error, one line
  // Why the stack does not run whole: the last recompute's error, else the first layer that
  // does not fit; empty when it runs.
  std::string refusal() const;
  const Tensor& input() const { return input_; }
  // The value at (channel, y, x) of layer i's output (batch 0; 3D maps: the middle slice), or
  // nullopt when the layer has no output or the position is outside it.
  std::optional<float> value_at(size_t layer, int64_t channel, int64_t y, int64_t x) const;
  // The value layer i reads at (channel, y, x): the input image for the first layer.
  std::optional<float> input_value_of(size_t layer, int64_t channel, int64_t y, int64_t x) const;
  // What node i reads (shapes), when the nodes before it fit.
  std::optional<std::vector<Shape>> input_shapes(size_t i) const { return session_->input_shapes(i); }
  const Model& model() const { return session_->model(); }
  // The value input k of layer i reads at (channel, y, x).
  std::optional<float> input_value_of(size_t layer, size_t k, int64_t channel, int64_t y, int64_t x) const;

  // ---- vectors and 1D signals (workspace_plots.cpp): plotted, not drawn as maps ----
  struct Plot {
    Shape shape;
    std::vector<float> values;  // batch 0, canonical order: channel by channel
  };
  // Node i's output when it is a vector (Dense, global pooling) or a 1D signal, small enough
  // to plot, as the last good recompute left it; null otherwise.
  const Plot* plot(size_t i) const;
  // Class labels for vector outputs, one per line; UserError (nothing changed) when unreadable.
  void open_labels(const std::filesystem::path& path);
  const std::vector<std::string>& labels() const { return labels_; }
  const std::filesystem::path& labels_path() const { return labels_path_; }
  // The k most likely classes of node i when its output is a probability vector (a
  // softmax's), named from the labels; empty otherwise.
  std::vector<RankedClass> top_classes(size_t i, size_t k = 5) const;

  // The layers' time in the last recompute (GPU timestamps, or host-timed: see host_timed()).
  double total_ms() const;
  // On a CPU device each layer is submitted alone and timed by the host (lavapipe defers
  // timestamps while the app's framebuffer is bound); on a GPU, timestamps.
  bool host_timed() const { return session_->timing() == NodeTiming::Host; }
  // Wall-clock time of the last recompute (record, submit, wait, colouring, texture copies).
  double update_ms() const { return update_ms_; }
  // How many layers the last recompute ran, and their time.
  size_t recomputed() const { return recomputed_; }
  double recomputed_ms() const { return session_->last_run().node_ms; }
  // The layers whose live output differs from a fresh run of the whole stack (after bringing
  // the maps up to date): none, unless recomputing only what changed went wrong.
  std::vector<size_t> stale_layers();

  int selected = -1;

 private:
  // image_ from original_: as loaded, or downscaled to what the device can run the stack on.
  void fit_image();
  void prepare_input();
  // A change to the stack: counted, and run at the next update().
  void edited() { ++changes_, ++revision_, dirty_ = true; }
  void viewed() { ++revision_, dirty_ = true, recolour_ = true; }
  // A new session running `model` (a pipeline opened, the last good state restored).
  void reset_stack(Model model, std::vector<LayerSlot> slots);
  std::shared_ptr<Layer> build(const nlohmann::json& spec) const;
  // Layer i built from `spec` instead, unless refused (an edit of `key` to `value`).
  bool replace_spec(size_t i, nlohmann::json spec, const std::string& key, const nlohmann::json& value);
  // UserError when the stack with `candidate` at node i (past the end: appended) would need
  // more than the device holds, or, unless `may_misfit`, when the candidate does not fit or
  // makes a layer after it stop fitting.
  void check_candidate(size_t i, const std::shared_ptr<Layer>& candidate, bool may_misfit) const;
  // Gives each layer that fits weights for its input (workspace_weights.cpp): its own while
  // they fit, else its preset remade, weights it had for this shape before, its weights
  // adapted to the new channel count, or Keras' initialisation, saying which.
  void fit_weights();
  std::vector<NdArray> refit(size_t i, const Shape& input, std::string& notice);
  MapStyle style() const { return style_; }

  struct LastGood {
    Model model;  // clones: the layers as the maps show them
    std::vector<LayerSlot> slots;
    bool grayscale = false;
    Scaling scaling = Scaling::ZeroOne;
  };
  LastGood capture() const;
  // After a recompute that worked: the plots of every vector and 1D node, read back.
  void refresh_plots();
  void open_model(const nlohmann::json& doc, const std::filesystem::path& path,
                  const std::optional<std::vector<size_t>>& weight_counts);

  vk::Context* ctx_;  // a pointer: a lost device is replaced under the same workspace
  FeatureMaps maps_;
  std::unique_ptr<Session> session_;
  NdArray original_, image_;  // as loaded, and as shown
  std::string image_name_, pipeline_name_ = "untitled", status_, notice_;
  std::optional<ReplaceOffer> replace_offer_;  // a model waiting for the user's replacements
  std::filesystem::path image_path_;
  uint64_t changes_ = 0, saved_changes_ = 0, revision_ = 0;
  bool grayscale_ = false;
  Scaling scaling_ = Scaling::ZeroOne;
  Tensor input_;
  std::vector<LayerSlot> slots_;
  MapStyle style_;
  bool dirty_ = false, recolour_ = false, failed_ = false;
  std::optional<LastGood> last_good_;
  uint64_t last_good_changes_ = ~uint64_t{0};
  size_t recomputed_ = 0;
  double update_ms_ = 0;
  std::optional<FitReplay> fit_;
  std::map<size_t, Plot> plots_;
  std::vector<std::string> labels_;
  std::filesystem::path labels_path_;
};

}  // namespace convscope::gui
