// The weights of the workspace's layers: presets, arrays and single taps the user sets, and
// what each layer gets when its input changes shape under it (grayscale on or off, an earlier
// layer edited): never random weights in silence.
#include <fmt/format.h>

#include "app/gui/kernel_presets.h"
#include "app/gui/workspace.h"
#include "core/error.h"
#include "io/npy.h"
#include "layers/channel_adapt.h"

namespace convscope::gui {

namespace {

constexpr size_t kStashed = 4;  // weight sets kept per layer for shapes it had before

bool fits(const std::vector<NdArray>& arrays, const std::vector<std::vector<int64_t>>& shapes) {
  if (arrays.size() != shapes.size()) return false;
  for (size_t i = 0; i < arrays.size(); ++i)
    if (arrays[i].shape != shapes[i]) return false;
  return true;
}

}  // namespace

void Workspace::apply_kernel_preset(size_t i, const std::string& preset, uint64_t seed) {
  if (i >= slots_.size()) return;
  try {
    const auto in = input_of(i);
    if (!in) throw UserError(fmt::format("{}: weights: its input is not known while a layer before it does not fit",
                                         layer(i).label()));
    session_->set_weights(i, kernel_preset(layer(i), *in, preset, seed));
    slots_[i].preset = AppliedPreset{preset, seed};
    slots_[i].stash.clear();  // what the user chose now replaces what the layer had before
    slots_[i].refused.reset();
    edited();
  } catch (const UserError& e) {
    slots_[i].refused = LayerSlot::Refusal{"weights", preset, e.what()};
  }
}

void Workspace::load_weight_array(size_t i, size_t array, const std::filesystem::path& npy) {
  if (i >= slots_.size()) return;
  std::vector<NdArray> weights = layer(i).weights();
  if (array >= weights.size())
    throw UserError(fmt::format("{}: weights: the layer has no array {}", layer(i).label(), array));
  weights[array] = read_npy(npy);
  session_->set_weights(i, std::move(weights));  // checks the shape, names the layer
  slots_[i].preset.reset();
  slots_[i].stash.clear();
  edited();
}

void Workspace::set_weight_value(size_t i, size_t array, size_t index, float value) {
  if (i >= slots_.size()) return;
  std::vector<NdArray> weights = layer(i).weights();
  if (array >= weights.size() || index >= weights[array].size())
    throw UserError(fmt::format("{}: weights: no element {} in array {} (the layer has {} array{})", layer(i).label(),
                                index, array, weights.size(), weights.size() == 1 ? "" : "s"));
  weights[array].data[index] = value;
  session_->set_weights(i, std::move(weights));
  slots_[i].preset.reset();  // hand-edited: no longer the preset
  slots_[i].stash.clear();
  edited();
}

std::vector<NdArray> Workspace::refit(size_t i, const Shape& input, std::string& note) {
  const Layer& l = layer(i);
  LayerSlot& slot = slots_[i];
  const std::vector<NdArray> old = l.weights();
  const auto wanted = l.weight_shapes(input);
  const std::string shape = shape_string(input.keras(l.data_format()));
  if (!old.empty()) {
    slot.stash.push_back(old);
    if (slot.stash.size() > kStashed) slot.stash.erase(slot.stash.begin());
  }
  // What the layer had for this shape before (grayscale switched on and off again).
  for (auto it = slot.stash.rbegin(); it != slot.stash.rend(); ++it)
    if (fits(*it, wanted)) {
      std::vector<NdArray> back = std::move(*it);
      slot.stash.erase(std::next(it).base());
      note = fmt::format("{}: its weights for {} restored", l.label(), shape);
      return back;
    }
  if (slot.preset) {
    try {
      note = fmt::format("{}: the {} preset remade for {}", l.label(), slot.preset->name, shape);
      return kernel_preset(l, input, slot.preset->name, slot.preset->seed);
    } catch (const UserError&) {
      slot.preset.reset();  // the preset no longer fits the kernel (a 1x1 kernel for Sobel)
    }
  }
  if (!old.empty())
    if (auto adapted = adapt_to_channels(l, old, input)) {
      note = fmt::format("{}: its weights adapted to the {} input channel{} of {}", l.label(), input.c,
                         input.c == 1 ? "" : "s", shape);
      return std::move(*adapted);
    }
  note = old.empty() ? "" : fmt::format("{}: weights reinitialised (glorot_uniform, as Keras) for its new input {}",
                                        l.label(), shape);
  return l.initial_weights(input, i + 1);
}

void Workspace::fit_weights() {
  std::string notes;
  for (size_t i = 0; i < slots_.size(); ++i) {  // a chain: node order is topological
    const auto in = input_of(i);
    if (!in || layer(i).weights_fit(*in)) continue;
    const bool had = !layer(i).weights().empty();
    std::string note;
    try {
      session_->set_weights(i, refit(i, *in, note));
    } catch (const UserError&) {
      continue;  // weights of this shape cannot be made (the layer does not fit its input)
    }
    if (had) ++changes_, ++revision_;  // the user's weights changed: unsaved, and said so
    if (!note.empty()) notes += (notes.empty() ? "" : "; ") + note;
  }
  if (!notes.empty()) notice_ = notes;
}

}  // namespace convscope::gui
