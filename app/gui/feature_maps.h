#pragma once
// What the app shows of every node: its mosaic as a texture drawn from GPU memory. The
// mosaics are recorded into the session's own submission (as its node hook), or on their own
// when only the colours change; the textures on screen are replaced only once the whole
// recompute has worked, so a failed one leaves the last good maps. Window-side code: the
// workspace keeps UI state and asks this for its hook.
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "app/gui/map_view.h"
#include "io/image.h"
#include "run/session.h"
#include "viz/gpu_mosaic.h"
#include "viz/mosaic.h"

namespace convscope::gui {

struct LayerView {
  Shape shape;
  MosaicLayout layout;
  std::unique_ptr<MapTexture> texture;  // null for 1D signals and nodes without output
};

struct MapStyle {
  std::optional<Colormap> colormap;  // nullopt: viridis
  RangeMode range = RangeMode::Layer;
  std::pair<float, float> fixed{0.0f, 1.0f};
};

class FeatureMaps {
 public:
  explicit FeatureMaps(MapRenderer& renderer) : renderer_(&renderer) {}

  // The picture of the input image (values in [0, 1]), uploaded as it is.
  void set_input_image(const Rgb8Image& rgb, const Shape& shape);
  const LayerView& input_view() const { return input_; }
  const std::vector<LayerView>& views() const { return views_; }

  // Nodes move with the stack's edits: a view is inserted or removed with its node.
  void inserted(size_t node);
  void removed(size_t node);
  // A new stack: no view belongs to its nodes yet.
  void clear();

  // A hook for Session::run that records node `i`'s mosaic and its texture upload.
  NodeHook recorder(const Session& session, const MapStyle& style);
  // After a run that worked: the recorded textures go on screen; views of nodes without an
  // output go. After one that failed: what it recorded is dropped.
  void commit(const Session& session);
  void discard() { pending_.clear(); }
  // New colours for every node with an output, without recomputing any layer.
  void recolour(const Session& session, const MapStyle& style);

  // A new device: every texture is remade at the next run.
  void release_device();
  void attach_device(MapRenderer& renderer);

 private:
  struct Pending {
    size_t node;
    LayerView view;
    bool reuse = false;  // drawn into the texture on screen (same size)
  };
  void record(size_t node, const std::string& label, vk::Sequence& seq, const DeviceTensor& output,
              const MapStyle& style);

  MapRenderer* renderer_;
  LayerView input_;
  std::vector<LayerView> views_;
  std::vector<Pending> pending_;
  // Textures of views that went, which the frame in flight may still draw: freed at the next
  // recompute, after it has waited for the device.
  std::vector<std::unique_ptr<MapTexture>> retired_;
  void retire(LayerView& v) { if (v.texture) retired_.push_back(std::move(v.texture)); }
};

}  // namespace convscope::gui
