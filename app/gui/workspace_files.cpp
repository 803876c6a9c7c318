// The workspace's files: images (downscaled when the device cannot hold them), pipelines in
// and out, and exported maps.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "app/gui/workspace.h"
#include "core/error.h"
#include "io/atomic_file.h"
#include "io/image.h"
#include "io/json_file.h"
#include "io/npz.h"
#include "io/weights_file.h"
#include "model/model_config.h"
#include "model/keras_json.h"
#include "model/parse_pipeline.h"
#include "model/weights.h"
#include "report/run_report.h"

namespace convscope::gui {

namespace {

// The stack's tensors for an input of `shape` fit the device (misfit layers hold none).
bool fits_device(const vk::Context& ctx, const Model& model, const Shape& shape) {
  const Shape inputs[] = {shape};
  std::vector<PlannedTensor> planned{{shape, "the input"}};
  const auto shapes = node_shapes(model, inputs);
  for (size_t k = 0; k < shapes.size(); ++k)
    if (shapes[k].fits()) planned.push_back({*shapes[k].shape, model.layer(k).label()});
  try {
    check_fits_device(ctx, planned);
    return true;
  } catch (const UserError&) {
    return false;
  }
}

}  // namespace

void Workspace::open_image(const std::filesystem::path& path) {
  NdArray loaded = load_image(path);  // throws before anything changes
  original_ = std::move(loaded);
  image_name_ = path.filename().string();
  image_path_ = std::filesystem::absolute(path);
  fit_image();
}

void Workspace::fit_image() {
  // A photo larger than the device can run the stack on (a 4000x3000 phone picture on
  // lavapipe) is shown at the largest size that runs, the aspect kept.
  NdArray loaded = original_;
  const std::string& name = image_name_;
  const int64_t h = loaded.shape[1], w = loaded.shape[2];
  Shape full = shape_from_keras({1, h, w, grayscale_ ? 1 : 3}, 2, DataFormat::ChannelsLast);
  std::string downscaled;
  if (!fits_device(*ctx_, session_->model(), full)) {
    int64_t lo = 1, hi = h;  // rows that fit / do not
    auto at = [&](int64_t rows) {
      Shape s = full;
      s.h = rows, s.w = std::max<int64_t>(1, static_cast<int64_t>(std::llround(static_cast<double>(w) * rows / h)));
      return s;
    };
    if (!fits_device(*ctx_, session_->model(), at(1)))
      throw UserError(fmt::format("{}: the stack does not fit {} even for a 1-row image", name, ctx_->info().name));
    while (hi - lo > 1) {
      const int64_t mid = (lo + hi) / 2;
      (fits_device(*ctx_, session_->model(), at(mid)) ? lo : hi) = mid;
    }
    const Shape s = at(lo);
    ImagePrep resize;
    resize.height = s.h, resize.width = s.w;
    loaded = prepare_image(loaded, resize, name).array;
    downscaled = fmt::format("{} is {}x{}; shown downscaled to {}x{}, the largest at which every tensor of the "
                             "stack fits {}",
                             name, w, h, s.w, s.h, ctx_->info().name);
  }
  image_ = std::move(loaded);
  if (!downscaled.empty()) notice_ = downscaled;
  prepare_input();
}

void Workspace::prepare_input() {
  ImagePrep prep;
  prep.channels = grayscale_ ? 1 : 3;
  prep.scaling = scaling_;
  input_ = from_keras(prepare_image(image_, prep, image_name_).array, 2, DataFormat::ChannelsLast, image_name_);
  // The input is host data anyway: draw it on the CPU (in [0, 1], whatever the model's
  // scaling) and upload it as a texture.
  prep.scaling = Scaling::ZeroOne;
  const Rgb8Image rgb = image_to_rgb8(from_keras(prepare_image(image_, prep, image_name_).array, 2,
                                                 DataFormat::ChannelsLast, image_name_), 0);
  maps_.set_input_image(rgb, input_.shape);
  session_->set_input(input_);
  ++revision_;
  dirty_ = true;
}

void Workspace::open_pipeline(const std::filesystem::path& path, const std::optional<std::vector<size_t>>& weight_counts) {
  const nlohmann::json doc = read_json(path);
  // Layers with Python code of their own wait for the user's pick; a Keras layer convscope
  // lacks has no built-in equal, and parse_pipeline refuses it with the others.
  const auto unrunnable = unrunnable_layers(doc);
  const bool replaceable = std::all_of(unrunnable.begin(), unrunnable.end(), [](const auto& u) { return !u.why.empty(); });
  if (!unrunnable.empty() && replaceable) {
    replace_offer_ = ReplaceOffer{path, unrunnable};
    notice_ = fmt::format("{}: {} layer{} with Python code of {} own: pick the built-in layer each computes",
                          path.filename().string(), unrunnable.size(), unrunnable.size() == 1 ? "" : "s",
                          unrunnable.size() == 1 ? "its" : "their");
    return;
  }
  open_model(doc, path, weight_counts);
}

void Workspace::accept_replacements(const std::map<std::string, nlohmann::json>& replacements) {
  if (!replace_offer_) throw UserError("replace: no model is waiting for replacements");
  const std::filesystem::path path = replace_offer_->path;
  for (const auto& u : replace_offer_->layers)
    if (!replacements.count(u.name.empty() ? u.class_name : u.name))
      throw UserError(fmt::format("replace: '{}' ({}) needs a replacement too", u.name, u.class_name));
  std::string replaced;
  for (const auto& [name, spec] : replacements)
    replaced += fmt::format("{}'{}' as {}", replaced.empty() ? "" : ", ", name, string_at(spec, "class_name", "?"));
  open_model(with_replacements(read_json(path), replacements), path, std::nullopt);
  notice_ = fmt::format("{}: computed {}, as you chose", path.filename().string(), replaced);
}

void Workspace::open_model(const nlohmann::json& doc, const std::filesystem::path& path,
                           const std::optional<std::vector<size_t>>& weight_counts) {
  Model model = parse_pipeline(doc);
  std::string note = fmt::format("opened {}", path.filename().string());
  // The arrays go to the layers by count alone: layers that do not fit this image still get
  // theirs, and fit_weights() initialises whatever is left without.
  if (const auto beside = weights_beside(path)) {
    std::vector<NdArray> arrays = load_weights({*beside});
    if (weight_counts) {
      const auto layers = model.distinct_layers();
      if (weight_counts->size() != layers.size())
        throw UserError(fmt::format("{}: the recovery lists weights of {} layers, the pipeline has {}", path.string(),
                                    weight_counts->size(), layers.size()));
      size_t next = 0;
      for (size_t k = 0; k < layers.size(); ++k) {
        if (next + (*weight_counts)[k] > arrays.size())
          throw UserError(fmt::format("{}: fewer weight arrays than the recovery lists", beside->string()));
        std::vector<NdArray> mine(arrays.begin() + static_cast<std::ptrdiff_t>(next),
                                  arrays.begin() + static_cast<std::ptrdiff_t>(next + (*weight_counts)[k]));
        next += (*weight_counts)[k];
        layers[k]->hold_weights(std::move(mine));
      }
    } else {
      hold_weights(model, std::move(arrays));
    }
    note = fmt::format("opened {} with weights from {}", path.filename().string(), beside->filename().string());
  }
  std::vector<LayerSlot> slots;
  for (const Node& n : model.nodes)
    slots.push_back({{{"class_name", std::string(n.layer->class_name())}, {"config", n.layer->keras_config()}}, {}, {}, {}});
  pipeline_name_ = model.name;
  reset_stack(std::move(model), std::move(slots));
  if (original_.size()) fit_image();  // the new stack may need a smaller picture, or allow a larger one
  selected = slots_.empty() ? -1 : 0;
  ++changes_, ++revision_;
  saved_changes_ = changes_;  // what is open is what is on disk
  last_good_changes_ = ~changes_;
  status_ = note;
  replace_offer_.reset();  // whatever waited is superseded by what is open now
}

void Workspace::save_pipeline(const std::filesystem::path& path) {
  for (size_t i = 0; i < slots_.size(); ++i)
    if (layer(i).weights().size() != layer(i).weight_names().size())
      throw UserError(fmt::format("save: {} has no weights yet: it has not fitted its input ({}); fix or remove it",
                                  layer(i).label(), node(i).error.empty() ? "it waits on a layer before it" : node(i).error));
  write_pipeline(path);
  saved_changes_ = changes_;
}

std::vector<size_t> Workspace::write_pipeline(const std::filesystem::path& path) const {
  Model model = session_->model();
  model.name = pipeline_name_;
  model.input_shape = OpenShape{std::nullopt, std::nullopt, input_.shape.c};
  std::vector<std::pair<std::string, NdArray>> arrays;
  std::vector<size_t> counts;
  for (const Layer* layer : model.distinct_layers()) {
    counts.push_back(layer->weights().size());
    for (const auto& w : layer->weights()) arrays.emplace_back(fmt::format("arr_{}", arrays.size()), w);
  }
  write_file_atomically(path, to_keras3_json(model).dump(2) + "\n", "the pipeline file");
  std::filesystem::path npz = path;
  npz.replace_extension(".weights.npz");
  if (!arrays.empty()) {
    write_npz(npz, arrays);
  } else {
    std::error_code ignored;  // none to write: none left from an earlier save to be read back
    std::filesystem::remove(npz, ignored);
  }
  return counts;
}

void Workspace::export_maps(const std::filesystem::path& folder) {
  session_->require_fit();  // a report of every layer, so every layer must run
  ImageRunOptions options;
  options.colormap = style_.colormap;
  options.prep.channels = input_.shape.c;
  Model model = session_->model();
  model.name = pipeline_name_;
  const auto result = run_image(*ctx_, model, image_, image_name_, folder, options);
  status_ = fmt::format("exported {} files to {}", result.files.size() + 1, folder.string());
}

}  // namespace convscope::gui
