#include "app/gui/workspace.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "core/error.h"
#include "layers/learnable_crop/box_fit.h"
#include "layers/registry.h"
#include "model/keras_names.h"
#include "vk/check.h"

namespace convscope::gui {

namespace {

// Host-timed on a CPU device, where it is exact and timestamps are deferred (see host_timed()).
NodeTiming app_timing(const vk::Context& ctx) {
  return ctx.info().type == VK_PHYSICAL_DEVICE_TYPE_CPU ? NodeTiming::Host : default_timing(ctx);
}

}  // namespace

Workspace::Workspace(vk::Context& ctx, MapRenderer& renderer)
    : ctx_(&ctx), maps_(renderer), session_(std::make_unique<Session>(ctx, Model{}, app_timing(ctx))) {}

void Workspace::release_device() {
  if (!ctx_) return;  // released already: a reopening that failed is being tried again
  vkDeviceWaitIdle(ctx_->device());  // VK_ERROR_DEVICE_LOST here is expected after a loss
  session_->release_device();
  maps_.release_device();
  ctx_ = nullptr;
}

void Workspace::attach_device(vk::Context& ctx, MapRenderer& renderer) {
  ctx_ = &ctx;
  session_->attach_device(ctx);
  maps_.attach_device(renderer);
  for (size_t i = 0; i < slots_.size(); ++i) maps_.inserted(i);
  if (image_.size()) prepare_input();  // the input's texture again
  dirty_ = true;
}

std::shared_ptr<Layer> Workspace::build(const nlohmann::json& spec) const { return LayerRegistry::builtin().create(spec); }

void Workspace::reset_stack(Model model, std::vector<LayerSlot> slots) {
  session_ = std::make_unique<Session>(*ctx_, std::move(model), app_timing(*ctx_));
  if (!input_.data.empty()) session_->set_input(input_);
  maps_.clear();
  for (size_t i = 0; i < slots.size(); ++i) maps_.inserted(i);
  slots_ = std::move(slots);
  last_good_.reset();
  failed_ = false;
  dirty_ = true;
}

// ---- the stack ----

void Workspace::check_candidate(size_t i, const std::shared_ptr<Layer>& candidate, bool may_misfit) const {
  Model trial = session_->model();  // shares the other layers: only node i differs
  if (i < trial.nodes.size()) trial.nodes[i].layer = candidate;
  else trial.append(candidate);
  const Shape inputs[] = {input_.shape};
  const auto shapes = node_shapes(trial, inputs);
  // Refused: the edited layer does not fit, or makes one after it stop fitting.
  if (!may_misfit)
    for (size_t k : trial.topological_order())
      if (!shapes[k].error.empty() && (k == i || session_->node(k).fits())) throw UserError(shapes[k].error);
  std::vector<PlannedTensor> planned{{input_.shape, "the input"}};
  for (size_t k = 0; k < shapes.size(); ++k)
    if (shapes[k].fits()) planned.push_back({*shapes[k].shape, trial.layer(k).label()});
  check_fits_device(*ctx_, planned);
}

void Workspace::add_layer(const std::string& class_name, nlohmann::json config) {
  const LayerDescriptor* d = LayerRegistry::builtin().find(class_name);
  nlohmann::json start = d ? d->example : nlohmann::json::object();
  start.update(config);
  if (!start.contains("name"))
    start["name"] = unique_keras_name(d ? d->class_name : class_name, [&](const std::string& n) {
      for (size_t k = 0; k < slots_.size(); ++k)
        if (layer(k).name() == n) return true;
      return false;
    });
  LayerSlot slot;
  slot.spec = {{"class_name", d ? d->class_name : class_name}, {"config", start}};
  try {
    auto made = build(slot.spec);
    if (!input_.data.empty()) check_candidate(slots_.size(), made, true);  // the device, not the fit
    slot.spec["config"] = made->keras_config();
    session_->insert_node(slots_.size(), std::move(made),
                          slots_.empty() ? Ref::input() : Ref::node(slots_.size() - 1));
  } catch (const UserError& e) {
    status_ = e.what();
    return;
  }
  slots_.push_back(std::move(slot));
  maps_.inserted(slots_.size() - 1);
  selected = static_cast<int>(slots_.size()) - 1;
  edited();
}

void Workspace::remove_layer(size_t i) {
  if (i >= slots_.size()) return;
  session_->remove_node(i);
  slots_.erase(slots_.begin() + static_cast<std::ptrdiff_t>(i));
  maps_.removed(i);
  selected = std::min<int>(selected, static_cast<int>(slots_.size()) - 1);
  edited();
}

void Workspace::move_layer(size_t from, size_t to) {
  if (from >= slots_.size() || to >= slots_.size() || from == to) return;
  std::shared_ptr<Layer> moving = session_->model().nodes[from].layer;
  session_->remove_node(from);
  session_->insert_node(to, std::move(moving), to == 0 ? Ref::input() : Ref::node(to - 1));
  LayerSlot s = std::move(slots_[from]);
  slots_.erase(slots_.begin() + static_cast<std::ptrdiff_t>(from));
  slots_.insert(slots_.begin() + static_cast<std::ptrdiff_t>(to), std::move(s));
  maps_.removed(from);
  maps_.inserted(to);
  selected = static_cast<int>(to);
  edited();
}

void Workspace::duplicate_layer(size_t i) {
  if (i >= slots_.size()) return;
  std::shared_ptr<Layer> copy;
  LayerSlot slot = slots_[i];
  slot.spec["config"]["name"] = layer(i).name() + "_copy";
  try {
    copy = build(slot.spec);
  } catch (const UserError& e) {
    status_ = e.what();
    return;
  }
  copy->hold_weights(layer(i).weights());
  slot.refused.reset();
  session_->insert_node(i + 1, std::move(copy), Ref::node(i));
  slots_.insert(slots_.begin() + static_cast<std::ptrdiff_t>(i) + 1, std::move(slot));
  maps_.inserted(i + 1);
  selected = static_cast<int>(i) + 1;
  edited();
}

bool Workspace::set_parameter(size_t i, const std::string& key, const nlohmann::json& value) {
  if (i >= slots_.size()) return false;
  nlohmann::json spec = slots_[i].spec;
  spec["config"][key] = value;
  return replace_spec(i, std::move(spec), key, value);
}

bool Workspace::set_config(size_t i, const nlohmann::json& config) {
  if (i >= slots_.size()) return false;
  nlohmann::json spec = slots_[i].spec;
  spec["config"] = config;
  return replace_spec(i, std::move(spec), "config", config);
}

bool Workspace::replace_spec(size_t i, nlohmann::json spec, const std::string& key, const nlohmann::json& value) {
  LayerSlot& slot = slots_[i];
  try {
    auto candidate = build(spec);
    // Weights that still fit stay (changing strides keeps the kernel); fit_weights() gives
    // new ones where they do not (changing filters).
    candidate->hold_weights(layer(i).weights());
    if (!input_.data.empty()) check_candidate(i, candidate, false);
    spec["config"] = candidate->keras_config();
    session_->replace_layer(i, std::move(candidate));
  } catch (const UserError& e) {
    slot.refused = LayerSlot::Refusal{key, value, e.what()};
    return false;
  }
  slot.spec = spec;
  slot.refused.reset();
  edited();
  return true;
}

std::optional<Shape> Workspace::input_of(size_t i) const {
  const auto in = session_->input_shapes(i);
  return in ? std::optional(in->front()) : std::nullopt;
}

// ---- view settings ----

void Workspace::set_range_mode(RangeMode mode, std::pair<float, float> fixed) {
  style_.range = mode, style_.fixed = fixed;
  viewed();
}

void Workspace::set_colormap(std::optional<Colormap> cmap) {
  style_.colormap = cmap;
  viewed();
}

void Workspace::set_grayscale(bool g) {
  grayscale_ = g;
  if (image_.size()) prepare_input();
}

void Workspace::set_scaling(Scaling s) {
  scaling_ = s;
  if (image_.size()) prepare_input();
}

// ---- running ----

void Workspace::invalidate() {
  session_->mark_all_stale();
  dirty_ = true;
}

void Workspace::invalidate(size_t from) {
  if (from >= slots_.size()) return;
  session_->mark_stale(from);
  dirty_ = true;
}

Workspace::LastGood Workspace::capture() const {
  // The same graph (wiring, outputs) on copies of its layers: a shared layer stays shared.
  LastGood g{session_->model(), slots_, grayscale_, scaling_};
  std::map<const Layer*, std::shared_ptr<Layer>> copies;
  for (Node& n : g.model.nodes) {
    auto& copy = copies[n.layer.get()];
    if (!copy) copy = n.layer->clone();
    n.layer = copy;
  }
  return g;
}

void Workspace::update() {
  if (!dirty_ || input_.data.empty()) return;
  dirty_ = false;
  const auto start = std::chrono::steady_clock::now();
  try {
    fit_weights();
    const bool recolour = std::exchange(recolour_, false);
    const RunStats stats = session_->run(recolour ? NodeHook{} : maps_.recorder(*session_, style_));
    if (recolour) maps_.recolour(*session_, style_);
    else maps_.commit(*session_), refresh_plots();
    recomputed_ = stats.nodes_run;
    update_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    status_.clear();
    failed_ = false;
    if (last_good_changes_ != changes_) last_good_ = capture(), last_good_changes_ = changes_;
  } catch (const vk::DeviceLost&) {
    throw;  // the app reopens the device; nothing here is worth keeping
  } catch (const Error& e) {
    maps_.discard();
    status_ = e.what();  // bad input, or the device out of memory: the last good maps stay
    failed_ = true;
  }
}

std::string Workspace::refusal() const {
  if (!status_.empty() && failed_) return status_;
  for (size_t i = 0; i < slots_.size(); ++i)
    if (!node(i).error.empty()) return node(i).error;
  return "";
}

bool Workspace::showing_last_good() const {
  return failed_ || std::any_of(slots_.begin(), slots_.end(), [](const LayerSlot& s) { return s.refused.has_value(); });
}

void Workspace::back_to_last_good() {
  for (LayerSlot& s : slots_) s.refused.reset();
  if (!failed_ || !last_good_) return;
  LastGood g = std::move(*last_good_);
  const bool input_changed = g.grayscale != grayscale_ || g.scaling != scaling_;
  grayscale_ = g.grayscale, scaling_ = g.scaling;
  reset_stack(std::move(g.model), std::move(g.slots));
  if (input_changed) prepare_input();
  ++changes_, ++revision_;
  status_.clear();
}

std::vector<size_t> Workspace::stale_layers() {
  update();
  // The same layers (shared, read only) in a session of their own, every node run afresh.
  Session fresh(*ctx_, session_->model());
  fresh.set_input(input_);
  fresh.run();
  std::vector<size_t> stale;
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (fresh.has_output(i) != session_->has_output(i)) stale.push_back(i);
    else if (fresh.has_output(i) && fresh.output(i).data != session_->output(i).data) stale.push_back(i);
  }
  return stale;
}

double Workspace::total_ms() const {
  double ms = 0;
  for (size_t i = 0; i < slots_.size(); ++i)
    if (session_->has_output(i)) ms += session_->node(i).ms;
  return ms;
}

std::optional<float> Workspace::value_at(size_t layer, int64_t c, int64_t y, int64_t x) const {
  if (layer >= slots_.size() || !session_->has_output(layer)) return std::nullopt;
  const Shape& s = session_->device_output(layer).shape;
  if (c < 0 || c >= s.c || y < 0 || y >= s.h || x < 0 || x >= s.w) return std::nullopt;
  const int64_t z = s.d / 2;  // 3D maps show their middle slice
  return session_->read_value(layer, static_cast<size_t>(((c * s.d + z) * s.h + y) * s.w + x));
}

std::vector<std::string> Workspace::branch_reads(size_t i) const {
  const auto& inputs = session_->model().nodes.at(i).inputs;
  if (inputs == std::vector<Ref>{i == 0 ? Ref::input() : Ref::node(i - 1)}) return {};
  std::vector<std::string> names;
  for (const Ref& r : inputs) names.push_back(r.is_node() ? layer(r.index).name() : "input");
  return names;
}

std::optional<float> Workspace::input_value_of(size_t layer, int64_t c, int64_t y, int64_t x) const {
  return input_value_of(layer, 0, c, y, x);
}

std::optional<float> Workspace::input_value_of(size_t layer, size_t k, int64_t c, int64_t y, int64_t x) const {
  if (layer >= slots_.size() || k >= session_->model().nodes[layer].inputs.size()) return std::nullopt;
  const Ref& r = session_->model().nodes[layer].inputs[k];
  if (r.is_node()) return value_at(r.index, c, y, x);
  const Shape& s = input_.shape;
  if (c < 0 || c >= s.c || y < 0 || y >= s.h || x < 0 || x >= s.w) return std::nullopt;
  return input_.at(0, c, 0, y, x);
}

// ---- LearnableCrop fit ----

void Workspace::start_fit(size_t i, const std::array<double, 4>& target, int steps) {
  if (i >= slots_.size() || !layer(i).hints().fittable_box || !session_->has_output(i))
    throw UserError("fit: choose a LearnableCrop layer whose box is a weight, and that runs");
  // The image the layer sees: the input itself, or the output it reads.
  const Ref& r = session_->model().nodes[i].inputs.front();
  const Tensor image = r.is_node() ? session_->output(r.index) : input_;
  const auto& box = layer(i).weights().at(0).data;
  BoxFitOptions options;
  options.target = target;
  options.init = {box[0], box[1], box[2], box[3]};
  const Shape out = session_->device_output(i).shape;
  options.output_size = {out.h, out.w};
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
  session_->set_weights(fit_->layer, {box});
  edited();
}

}  // namespace convscope::gui
