#include "app/gui/workspace.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>

#include "core/error.h"
#include "io/atomic_file.h"
#include "io/image.h"
#include "io/image_prep.h"
#include "app/gui/kernel_presets.h"
#include "io/json_file.h"
#include "layers/learnable_crop/box_fit.h"
#include "layers/learnable_crop/learnable_crop.h"
#include "io/npy.h"
#include "io/npz.h"
#include "layers/registry.h"
#include "model/keras_json.h"
#include "model/sequential.h"
#include "model/weights.h"
#include "report/run_report.h"
#include "run/runner.h"
#include "viz/gpu_mosaic.h"
#include "vk/check.h"

namespace convscope::gui {

namespace {

// Arguments a freshly added layer starts with, so it runs at once.
nlohmann::json starting_config(const std::string& cls) {
  const bool conv = cls.rfind("Conv", 0) == 0 || cls.rfind("Separable", 0) == 0;
  nlohmann::json c = nlohmann::json::object();
  if (conv || cls.rfind("Depthwise", 0) == 0) c["kernel_size"] = 3, c["padding"] = "same";
  if (conv) c["filters"] = 4;
  if (cls.find("Transpose") != std::string::npos) c["strides"] = 2;
  if (cls.rfind("Cropping", 0) == 0) c["cropping"] = 8;
  if (cls.rfind("ZeroPadding", 0) == 0) c["padding"] = 8;
  if (cls.rfind("UpSampling", 0) == 0) c["size"] = 2;
  if (cls == "LearnableCrop") c["output_size"] = {128, 128};
  return c;
}

bool same_shapes(const std::vector<NdArray>& arrays, const std::vector<std::vector<int64_t>>& shapes) {
  if (arrays.size() != shapes.size()) return false;
  for (size_t i = 0; i < arrays.size(); ++i)
    if (arrays[i].shape != shapes[i]) return false;
  return true;
}

}  // namespace

Workspace::Workspace(vk::Context& ctx, MapRenderer& renderer) : ctx_(&ctx), renderer_(&renderer) {}

void Workspace::release_device() {
  if (!ctx_) return;  // released already: a reopening that failed is being tried again
  vkDeviceWaitIdle(ctx_->device());  // VK_ERROR_DEVICE_LOST here is expected after a loss
  outputs_.clear();
  for (auto& v : views_) v.texture.reset();
  input_view_.texture.reset();
  ctx_ = nullptr, renderer_ = nullptr;
}

void Workspace::attach_device(vk::Context& ctx, MapRenderer& renderer) {
  ctx_ = &ctx, renderer_ = &renderer;
  outputs_.clear();
  views_.clear();
  if (image_.size()) prepare_input();  // the input's texture; invalidates every layer
}

std::unique_ptr<Layer> Workspace::build(const nlohmann::json& spec) const { return LayerRegistry::builtin().create(spec); }

void Workspace::open_image(const std::filesystem::path& path) {
  NdArray loaded = load_image(path);  // throws before anything changes
  image_ = std::move(loaded);
  image_name_ = path.filename().string();
  image_path_ = std::filesystem::absolute(path);
  prepare_input();
}

void Workspace::set_grayscale(bool g) {
  grayscale_ = g;
  if (image_.size()) prepare_input();
}

void Workspace::set_scaling(Scaling s) {
  scaling_ = s;
  if (image_.size()) prepare_input();
}

void Workspace::prepare_input() {
  ImagePrep prep;
  prep.channels = grayscale_ ? 1 : 3;
  prep.scaling = scaling_;
  input_ = from_keras(prepare_image(image_, prep, image_name_).array, 2, DataFormat::ChannelsLast, image_name_);
  // The input is host data anyway: draw it once on the CPU (in [0, 1], whatever the model's
  // scaling) and upload it as a texture.
  prep.scaling = Scaling::ZeroOne;
  const Rgb8Image rgb = image_to_rgb8(from_keras(prepare_image(image_, prep, image_name_).array, 2,
                                                 DataFormat::ChannelsLast, image_name_), 0);
  std::vector<uint32_t> rgba(static_cast<size_t>(rgb.width) * rgb.height);
  for (size_t i = 0; i < rgba.size(); ++i)
    rgba[i] = rgb.rgb[i * 3] | rgb.rgb[i * 3 + 1] << 8 | rgb.rgb[i * 3 + 2] << 16 | 0xff000000u;
  vkDeviceWaitIdle(ctx_->device());
  input_view_.shape = input_.shape;
  input_view_.layout = {rgb.width, rgb.height, 1, 1, 1, 0, rgb.width, rgb.height};
  input_view_.texture = std::make_unique<MapTexture>(*renderer_, rgb.width, rgb.height);
  const vk::Buffer staging(*ctx_, rgba.size() * 4, vk::MemoryUse::Staging);
  std::memcpy(staging.mapped(), rgba.data(), rgba.size() * 4);
  ctx_->execute([&](VkCommandBuffer cmd) { input_view_.texture->record_upload(cmd, staging.get()); });
  invalidate();
}

void Workspace::open_pipeline(const std::filesystem::path& path) {
  Sequential model = parse_pipeline(read_json(path));
  const auto notes = provide_weights(model, input_.shape, {}, path, 1);
  std::vector<LayerSlot> slots;
  for (auto& layer : model.layers) {
    LayerSlot slot;
    slot.spec = {{"class_name", std::string(layer->class_name())}, {"config", layer->keras_config()}};
    slot.layer = std::move(layer);
    slots.push_back(std::move(slot));
  }
  slots_ = std::move(slots);
  pipeline_name_ = model.name;
  selected = slots_.empty() ? -1 : 0;
  ++changes_;
  saved_changes_ = changes_;  // what is open is what is on disk
  status_ = notes.empty() ? fmt::format("opened {}", path.filename().string()) : notes.front();
  invalidate();
}

Sequential Workspace::snapshot() const {
  Sequential model;
  model.name = pipeline_name_;
  model.input_shape = OpenShape{std::nullopt, std::nullopt, input_.shape.c};
  Shape s = input_.shape;
  for (const auto& slot : slots_) {
    auto copy = build(slot.spec);
    copy->set_weights(s, slot.layer->weights());
    s = copy->output_shape(s);
    model.layers.push_back(std::move(copy));
  }
  return model;
}

void Workspace::save_pipeline(const std::filesystem::path& path) {
  write_pipeline(path);
  saved_changes_ = changes_;
}

void Workspace::write_pipeline(const std::filesystem::path& path) const {
  const Sequential model = snapshot();
  std::vector<std::pair<std::string, NdArray>> arrays;
  for (const auto& layer : model.layers)
    for (const auto& w : layer->weights()) arrays.emplace_back(fmt::format("arr_{}", arrays.size()), w);
  write_file_atomically(path, to_keras3_json(model).dump(2) + "\n", "the pipeline file");
  if (!arrays.empty()) {
    std::filesystem::path npz = path;
    npz.replace_extension(".weights.npz");
    write_npz(npz, arrays);
  }
}

void Workspace::export_maps(const std::filesystem::path& folder) {
  const Sequential model = snapshot();
  ImageRunOptions options;
  options.colormap = colormap_;
  options.prep.channels = input_.shape.c;
  const auto result = run_image(*ctx_, model, image_, image_name_, folder, options);
  status_ = fmt::format("exported {} files to {}", result.files.size() + 1, folder.string());
}

void Workspace::add_layer(const std::string& class_name, nlohmann::json config) {
  nlohmann::json defaults = starting_config(class_name);
  defaults.update(config);
  if (!defaults.contains("name"))
    defaults["name"] = unique_keras_name(class_name, [&](const std::string& n) {
      return std::any_of(slots_.begin(), slots_.end(), [&](const LayerSlot& s) { return s.layer->name() == n; });
    });
  LayerSlot slot;
  slot.spec = {{"class_name", class_name}, {"config", defaults}};
  try {
    slot.layer = build(slot.spec);
    slot.spec["config"] = slot.layer->keras_config();
  } catch (const UserError& e) {
    status_ = e.what();
    return;
  }
  slots_.push_back(std::move(slot));
  selected = static_cast<int>(slots_.size()) - 1;
  edited(slots_.size() - 1);
}

void Workspace::remove_layer(size_t i) {
  if (i >= slots_.size()) return;
  slots_.erase(slots_.begin() + static_cast<std::ptrdiff_t>(i));
  selected = std::min<int>(selected, static_cast<int>(slots_.size()) - 1);
  edited(i);
}

void Workspace::move_layer(size_t from, size_t to) {
  if (from >= slots_.size() || to >= slots_.size() || from == to) return;
  LayerSlot s = std::move(slots_[from]);
  slots_.erase(slots_.begin() + static_cast<std::ptrdiff_t>(from));
  slots_.insert(slots_.begin() + static_cast<std::ptrdiff_t>(to), std::move(s));
  selected = static_cast<int>(to);
  edited(std::min(from, to));
}

void Workspace::duplicate_layer(size_t i) {
  if (i >= slots_.size()) return;
  LayerSlot copy;
  copy.spec = slots_[i].spec;
  copy.spec["config"]["name"] = slots_[i].layer->name() + "_copy";
  copy.layer = build(copy.spec);
  slots_.insert(slots_.begin() + static_cast<std::ptrdiff_t>(i) + 1, std::move(copy));
  selected = static_cast<int>(i) + 1;
  edited(i + 1);
}

bool Workspace::set_parameter(size_t i, const std::string& key, const nlohmann::json& value) {
  if (i >= slots_.size()) return false;
  LayerSlot& slot = slots_[i];
  nlohmann::json spec = slot.spec;
  spec["config"][key] = value;
  std::unique_ptr<Layer> previous;
  try {
    auto layer = build(spec);
    previous = std::exchange(slot.layer, std::move(layer));
    // Weights that still fit stay: changing strides keeps the kernel, changing filters cannot.
    Shape s = input_.shape;
    for (size_t k = 0; k < i; ++k) s = slots_[k].layer->output_shape(s);
    if (same_shapes(previous->weights(), slot.layer->weight_shapes(s))) slot.layer->set_weights(s, previous->weights());
    fit_weights();  // also checks every shape downstream
  } catch (const UserError& e) {
    if (previous) slot.layer = std::move(previous);
    slot.error = e.what();
    slot.error_argument = key;
    return false;
  }
  slot.spec = spec;
  slot.error.clear();
  slot.error_argument.clear();
  edited(i);
  return true;
}

Shape Workspace::input_of(size_t i) const {
  Shape s = input_.shape;
  for (size_t k = 0; k < i && k < slots_.size(); ++k) s = slots_[k].layer->output_shape(s);
  return s;
}

void Workspace::apply_kernel_preset(size_t i, const std::string& preset, uint64_t seed) {
  if (i >= slots_.size()) return;
  try {
    Layer& layer = *slots_[i].layer;
    const Shape s = input_of(i);
    layer.set_weights(s, kernel_preset(layer, s, preset, seed));
    slots_[i].error.clear();
    edited(i);
  } catch (const UserError& e) {
    slots_[i].error = e.what();
    slots_[i].error_argument = "weights";
  }
}

void Workspace::load_weight_array(size_t i, size_t array, const std::filesystem::path& npy) {
  if (i >= slots_.size()) return;
  Layer& layer = *slots_[i].layer;
  std::vector<NdArray> weights = layer.weights();
  if (array >= weights.size()) throw UserError(fmt::format("{}: weights: the layer has no array {}", layer.label(), array));
  weights[array] = read_npy(npy);
  layer.set_weights(input_of(i), std::move(weights));  // checks the shape, names the layer
  edited(i);
}

void Workspace::set_weight_value(size_t i, size_t array, size_t index, float value) {
  if (i >= slots_.size()) return;
  Layer& layer = *slots_[i].layer;
  std::vector<NdArray> weights = layer.weights();
  if (array >= weights.size() || index >= weights[array].size()) return;
  weights[array].data[index] = value;
  layer.set_weights(input_of(i), std::move(weights));
  edited(i);
}

void Workspace::start_fit(size_t i, const std::array<double, 4>& target, int steps) {
  auto* crop = i < slots_.size() ? dynamic_cast<LearnableCropLayer*>(slots_[i].layer.get()) : nullptr;
  if (!crop || crop->box_source() != LearnableCropLayer::BoxSource::Weight)
    throw UserError("fit: choose a LearnableCrop layer whose box is a weight");
  // The image the layer sees: the input itself, or the previous layer's output.
  const Tensor image = i == 0 ? input_ : to_host(*ctx_, outputs_.at(i - 1));
  BoxFitOptions options;
  options.target = target;
  options.init = crop->weight_box();
  options.output_size = crop->output_size();
  options.steps = steps;
  FitReplay replay;
  replay.layer = i;
  replay.target = target;
  vkDeviceWaitIdle(ctx_->device());
  fit_box(*ctx_, image, options, [&](const BoxFitProgress& p) {
    replay.boxes.push_back(p.box);
    replay.losses.push_back(static_cast<float>(p.loss));
  });
  fit_ = std::move(replay);
}

void Workspace::advance_fit(size_t steps_per_frame) {
  if (!fit_ || fit_->shown >= fit_->boxes.size() || fit_->layer >= slots_.size()) return;
  fit_->shown = std::min(fit_->shown + steps_per_frame, fit_->boxes.size());
  const auto& b = fit_->boxes[fit_->shown - 1];
  NdArray box({4});
  box.data = {static_cast<float>(b[0]), static_cast<float>(b[1]), static_cast<float>(b[2]), static_cast<float>(b[3])};
  slots_[fit_->layer].layer->set_weights(input_of(fit_->layer), {box});
  edited(fit_->layer);
}

void Workspace::fit_weights() {
  Shape s = input_.shape;
  for (size_t i = 0; i < slots_.size(); ++i) {
    Layer& layer = *slots_[i].layer;
    const auto shapes = layer.weight_shapes(s);
    if (!same_shapes(layer.weights(), shapes)) layer.set_weights(s, layer.initial_weights(s, i + 1));
    s = layer.output_shape(s);
  }
}

void Workspace::update() {
  if (dirty_from_ == kClean || input_.data.empty()) return;
  const size_t dirty_from = std::exchange(dirty_from_, kClean);
  const auto start = std::chrono::steady_clock::now();
  try {
    fit_weights();
    std::vector<Shape> shapes;
    Shape s = input_.shape;
    for (const auto& slot : slots_) shapes.push_back(s = slot.layer->output_shape(s));
    // Layers above the first change keep their outputs and maps: editing the last layer of a
    // long stack recomputes that layer alone.
    size_t keep = std::min({dirty_from, outputs_.size(), views_.size(), slots_.size()});
    for (size_t i = 0; i < keep; ++i)
      if (!(outputs_[i].shape == shapes[i])) keep = i;

    std::vector<PlannedTensor> planned{{input_.shape, "input"}};
    for (size_t i = 0; i < slots_.size(); ++i) planned.push_back({shapes[i], slots_[i].layer->label()});
    check_fits_device(*ctx_, planned);  // the last good maps stay when they would not fit
    vkDeviceWaitIdle(ctx_->device());  // textures about to change may still be on screen
    std::optional<DeviceTensor> in;
    if (keep == 0) in = to_device(*ctx_, input_, "input");
    std::vector<DeviceTensor> fresh;
    for (size_t i = keep; i < slots_.size(); ++i) fresh.push_back(allocate(*ctx_, shapes[i], slots_[i].layer->label()));
    auto output = [&](size_t i) -> const DeviceTensor& { return i < keep ? outputs_[i] : fresh[i - keep]; };
    std::vector<LayerView> views(slots_.size());
    vk::Sequence seq(*ctx_);
    std::vector<size_t> first_dispatch(slots_.size() + 1, 0);
    for (size_t i = keep; i < slots_.size(); ++i) {
      first_dispatch[i] = seq.dispatch_count();
      const DeviceTensor& layer_in = i == 0 ? *in : output(i - 1);
      if (!host_timed()) {
        record_layer(seq, *slots_[i].layer, layer_in, output(i));
        continue;
      }
      vk::Sequence alone(*ctx_);
      record_layer(alone, *slots_[i].layer, layer_in, output(i));
      const auto t0 = std::chrono::steady_clock::now();
      alone.submit();
      views[i].ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    }
    first_dispatch[slots_.size()] = seq.dispatch_count();
    std::vector<const vk::Buffer*> pixels(slots_.size(), nullptr);
    // Each map is copied into its texture: the one on screen when the size is unchanged, else a
    // new one. The maps on screen keep their textures until the whole recompute has worked.
    std::vector<MapTexture*> target(slots_.size(), nullptr);
    std::vector<std::unique_ptr<MapTexture>> made(slots_.size());
    for (size_t i = keep; i < slots_.size(); ++i) {
      views[i].shape = shapes[i];
      if (shapes[i].spatial_rank == 1) continue;  // signals are plotted on the CPU, not as textures
      vk::naming_failures(slots_[i].layer->label() + " (its map)", [&] {
        const Colormap cmap = colormap_.value_or(Colormap::Viridis);
        // Coloured at about the size the map is shown, not one pixel per element.
        const MosaicOptions display{.min_tile = 32, .max_tile = 256};
        const vk::Buffer& rgba = seq.scratch(gpu_mosaic_bytes(shapes[i], display));
        views[i].layout =
            record_gpu_mosaic(seq, output(i).buffer, shapes[i], 0, cmap, range_mode_, fixed_range_, rgba, display);
        const bool reuse = i < views_.size() && views_[i].texture && views_[i].layout.width == views[i].layout.width &&
                           views_[i].layout.height == views[i].layout.height;
        if (!reuse) made[i] = std::make_unique<MapTexture>(*renderer_, views[i].layout.width, views[i].layout.height);
        target[i] = reuse ? views_[i].texture.get() : made[i].get();
        pixels[i] = &rgba;
      });
    }
    seq.commands([&](VkCommandBuffer cmd) {
      for (size_t i = keep; i < views.size(); ++i)
        if (pixels[i]) target[i]->record_upload(cmd, pixels[i]->get());
    });
    seq.submit();
    const auto& t = seq.timings();
    for (size_t i = keep; i < slots_.size() && !t.empty() && !host_timed(); ++i)
      for (size_t d = first_dispatch[i]; d < first_dispatch[i + 1]; ++d) views[i].ms += t[d].ms;
    for (size_t i = 0; i < keep; ++i) views[i] = std::move(views_[i]);
    for (size_t i = keep; i < slots_.size(); ++i)
      if (target[i]) views[i].texture = made[i] ? std::move(made[i]) : std::move(views_[i].texture);
    views_ = std::move(views);
    outputs_.erase(outputs_.begin() + static_cast<std::ptrdiff_t>(keep), outputs_.end());
    for (auto& f : fresh) outputs_.push_back(std::move(f));
    recomputed_ = slots_.size() - keep;
    update_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    status_.clear();
  } catch (const vk::DeviceLost&) {
    throw;  // the app reopens the device; nothing here is worth keeping
  } catch (const Error& e) {
    status_ = e.what();  // bad input, or the device out of memory: the last good maps stay
  }
}

std::vector<size_t> Workspace::stale_layers() {
  update();
  const Sequential model = snapshot();
  std::vector<const Layer*> layers;
  for (const auto& l : model.layers) layers.push_back(l.get());
  const RunResult fresh = run_layers(*ctx_, layers, input_, true);
  std::vector<size_t> stale;
  for (size_t i = 0; i < fresh.outputs.size(); ++i)
    if (i >= outputs_.size() || to_host(*ctx_, outputs_[i]).data != fresh.outputs[i].data) stale.push_back(i);
  return stale;
}

bool Workspace::host_timed() const { return ctx_->info().type == VK_PHYSICAL_DEVICE_TYPE_CPU; }

float Workspace::value_at(size_t layer, int64_t c, int64_t y, int64_t x) const {
  if (layer >= outputs_.size()) return 0;
  const Shape& s = outputs_[layer].shape;
  const int64_t z = s.d / 2;  // 3D maps show their middle slice
  return vk::read_value(*ctx_, outputs_[layer].buffer, static_cast<size_t>((((0 * s.c + c) * s.d + z) * s.h + y) * s.w + x));
}

float Workspace::input_value_of(size_t layer, int64_t c, int64_t y, int64_t x) const {
  return layer == 0 ? input_.at(0, c, 0, y, x) : value_at(layer - 1, c, y, x);
}

double Workspace::total_ms() const {
  double ms = 0;
  for (const auto& v : views_) ms += v.ms;
  return ms;
}

}  // namespace convscope::gui
