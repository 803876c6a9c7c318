#include "app/gui/feature_maps.h"

#include <cstring>

#include "vk/buffer.h"
#include "vk/check.h"

namespace convscope::gui {

namespace {

// Coloured at about the size the map is shown, not one pixel per element.
const MosaicOptions kDisplay{.min_tile = 32, .max_tile = 256};

}  // namespace

void FeatureMaps::set_input_image(const Rgb8Image& rgb, const Shape& shape) {
  vk::Context& ctx = renderer_->context();
  std::vector<uint32_t> rgba(static_cast<size_t>(rgb.width) * rgb.height);
  for (size_t i = 0; i < rgba.size(); ++i)
    rgba[i] = rgb.rgb[i * 3] | rgb.rgb[i * 3 + 1] << 8 | rgb.rgb[i * 3 + 2] << 16 | 0xff000000u;
  vkDeviceWaitIdle(ctx.device());  // the old texture may still be on screen
  auto texture = std::make_unique<MapTexture>(*renderer_, rgb.width, rgb.height);
  const vk::Buffer staging(ctx, rgba.size() * 4, vk::MemoryUse::Staging);
  std::memcpy(staging.mapped(), rgba.data(), rgba.size() * 4);
  ctx.execute([&](VkCommandBuffer cmd) { texture->record_upload(cmd, staging.get()); });
  input_.shape = shape;
  input_.layout = {rgb.width, rgb.height, 1, 1, 1, 0, rgb.width, rgb.height};
  input_.texture = std::move(texture);
}

void FeatureMaps::inserted(size_t node) {
  views_.insert(views_.begin() + static_cast<std::ptrdiff_t>(std::min(node, views_.size())), LayerView{});
}

void FeatureMaps::removed(size_t node) {
  if (node >= views_.size()) return;
  retire(views_[node]);
  views_.erase(views_.begin() + static_cast<std::ptrdiff_t>(node));
}

void FeatureMaps::clear() {
  for (LayerView& v : views_) retire(v);
  views_.clear();
  pending_.clear();
}

void FeatureMaps::record(size_t node, const std::string& label, vk::Sequence& seq, const DeviceTensor& output,
                         const MapStyle& style) {
  Pending p{node, {}, false};
  p.view.shape = output.shape;
  if (output.shape.spatial_rank > 1) {  // signals are plotted on the CPU, not as textures
    vk::naming_failures(label + " (its map)", [&] {
      const vk::Buffer& rgba = seq.scratch(gpu_mosaic_bytes(output.shape, kDisplay));
      p.view.layout = record_gpu_mosaic(seq, output.buffer, output.shape, 0, style.colormap.value_or(Colormap::Viridis),
                                        style.range, style.fixed, rgba, kDisplay);
      const LayerView* shown = node < views_.size() ? &views_[node] : nullptr;
      p.reuse = shown && shown->texture && shown->layout.width == p.view.layout.width &&
                shown->layout.height == p.view.layout.height;
      if (!p.reuse)
        p.view.texture = std::make_unique<MapTexture>(*renderer_, p.view.layout.width, p.view.layout.height);
      MapTexture& target = p.reuse ? *shown->texture : *p.view.texture;
      seq.commands([&target, &rgba](VkCommandBuffer cmd) { target.record_upload(cmd, rgba.get()); });
    });
  }
  pending_.push_back(std::move(p));
}

NodeHook FeatureMaps::recorder(const Session& session, const MapStyle& style) {
  pending_.clear();
  vkDeviceWaitIdle(renderer_->context().device());  // textures about to change may still be on screen
  retired_.clear();
  return [this, &session, style](size_t node, vk::Sequence& seq, const DeviceTensor& output) {
    record(node, session.layer(node).label(), seq, output, style);
  };
}

void FeatureMaps::commit(const Session& session) {
  views_.resize(session.size());
  for (Pending& p : pending_) {
    LayerView& v = views_.at(p.node);
    v.shape = p.view.shape;
    v.layout = p.view.layout;
    if (!p.reuse) v.texture = std::move(p.view.texture);
  }
  pending_.clear();
  for (size_t i = 0; i < views_.size(); ++i)
    if (!session.has_output(i)) views_[i] = LayerView{};
}

void FeatureMaps::recolour(const Session& session, const MapStyle& style) {
  const NodeHook hook = recorder(session, style);
  vk::Sequence seq(renderer_->context());
  for (size_t i = 0; i < session.size(); ++i)
    if (session.has_output(i)) hook(i, seq, session.device_output(i));
  seq.submit();
  commit(session);
}

void FeatureMaps::release_device() {
  pending_.clear();
  retired_.clear();
  for (auto& v : views_) v.texture.reset();
  input_.texture.reset();
}

void FeatureMaps::attach_device(MapRenderer& renderer) {
  renderer_ = &renderer;
  views_.clear();
}

}  // namespace convscope::gui
