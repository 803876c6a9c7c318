#include "layers/norm/resize_layers.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "core/error.h"
#include "layers/config_reader.h"
#include "layers/norm/norm_axes.h"
#include "layers/remap/remap_copies.h"

namespace convscope {

namespace {

int64_t required_size(const ConfigReader& cfg, std::string_view key) {
  if (cfg.get(key).is_null()) cfg.fail(key, "missing; the layer needs the output's height and width");
  return read_positive(cfg, key, 1);
}

Shape resized(const Shape& input, int64_t height, int64_t width) {
  Shape out = input;
  out.h = height;
  out.w = width;
  return out;
}

Layer::Region region_of(const ResizePlan& plan, const Layer::Region& output) {
  Layer::Region r{};
  for (int a = 0; a < 2; ++a) r[a] = resize_source(plan.axes[a], plan.mode, output[a]);
  return r;
}

// tf.image.resize's other methods: named, so the refusal can say they exist.
constexpr std::array<std::string_view, 6> kOtherMethods = {"bicubic", "area", "lanczos3", "lanczos5", "gaussian",
                                                           "mitchellcubic"};

}  // namespace

ResizingLayer::ResizingLayer(const ConfigReader& cfg)
    : Layer(cfg.name(), cfg.label(), 2, cfg.data_format()),
      height_(required_size(cfg, "height")),
      width_(required_size(cfg, "width")) {
  const nlohmann::json& interp = cfg.get("interpolation");
  if (interp == "nearest") {
    mode_ = ResizeMode::Nearest;
  } else if (!interp.is_null() && interp != "bilinear") {
    const bool known = interp.is_string() && std::find(kOtherMethods.begin(), kOtherMethods.end(),
                                                       interp.get<std::string>()) != kOtherMethods.end();
    cfg.fail("interpolation", fmt::format("{} is {}; convscope resizes with 'bilinear' or 'nearest'", python_repr(interp),
                                          known ? "a tf.image.resize method convscope does not implement" : "unknown"));
  }
  const bool crop = read_bool(cfg, "crop_to_aspect_ratio", false), pad = read_bool(cfg, "pad_to_aspect_ratio", false);
  if (crop && pad) cfg.fail("pad_to_aspect_ratio", "True with crop_to_aspect_ratio=True; Keras takes one of the two");
  window_ = crop ? AspectWindow::Crop : pad ? AspectWindow::Pad : AspectWindow::Whole;
  if (const nlohmann::json& mode = cfg.get("fill_mode"); !mode.is_null() && mode != "constant")
    cfg.fail("fill_mode", fmt::format("{}: Keras' TensorFlow backend pads with 'constant' only", python_repr(mode)));
  fill_value_ = read_number(cfg, "fill_value", 0.0);
  if (read_bool(cfg, "antialias", false))
    cfg.fail("antialias", "True: convscope resizes as tf.image.resize without antialiasing");
}

Shape ResizingLayer::output_shape(const Shape& input) const {
  require_rank(input);
  return checked_output(resized(input, height_, width_));
}

ResizePlan ResizingLayer::plan(const Shape& input) const {
  ResizePlan p;
  p.axes = aspect_window(input.h, input.w, height_, width_, window_, true);
  p.mode = mode_;
  p.fill = static_cast<float>(fill_value_);
  return p;
}

Tensor ResizingLayer::reference(const Tensor& input) const {
  return resize_reference(input, output_shape(input.shape), plan(input.shape));
}

void ResizingLayer::record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const {
  record_resize(seq, input, output, plan(input.shape), label());
}

nlohmann::json ResizingLayer::keras_config() const {
  nlohmann::json c = base_config(true);
  c["height"] = height_;
  c["width"] = width_;
  c["interpolation"] = mode_ == ResizeMode::Nearest ? "nearest" : "bilinear";
  c["crop_to_aspect_ratio"] = window_ == AspectWindow::Crop;
  c["pad_to_aspect_ratio"] = window_ == AspectWindow::Pad;
  c["fill_mode"] = "constant";
  c["fill_value"] = fill_value_;
  c["antialias"] = false;
  return c;
}

Layer::Region ResizingLayer::source_region(const Shape& input, const Region& output) const {
  return region_of(plan(input), output);
}

CenterCropLayer::CenterCropLayer(const ConfigReader& cfg)
    : Layer(cfg.name(), cfg.label(), 2, cfg.data_format()),
      height_(required_size(cfg, "height")),
      width_(required_size(cfg, "width")) {}

Shape CenterCropLayer::output_shape(const Shape& input) const {
  require_rank(input);
  return checked_output(resized(input, height_, width_));
}

ResizePlan CenterCropLayer::plan(const Shape& input) const {
  ResizePlan p;
  if (crops(input)) {
    // Keras slices [diff // 2 : diff // 2 + size]: a window of the output's size, scale 1.
    p.axes = {ResizeAxis{input.h, (input.h - height_) / 2, height_, height_},
              ResizeAxis{input.w, (input.w - width_) / 2, width_, width_}};
    p.mode = ResizeMode::Nearest;
  } else {
    // Smaller on either side: image_utils.smart_resize, whose window arithmetic is Python's.
    p.axes = aspect_window(input.h, input.w, height_, width_, AspectWindow::Crop, false);
    p.mode = ResizeMode::Bilinear;
  }
  return p;
}

Tensor CenterCropLayer::reference(const Tensor& input) const {
  return resize_reference(input, output_shape(input.shape), plan(input.shape));
}

void CenterCropLayer::record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const {
  const ResizePlan p = plan(input.shape);
  // A plain crop moves whole rows: buffer copies, no shader.
  if (crops(input.shape)) record_row_copies(seq, input, output, {p.axes[1].offset, p.axes[0].offset, 0}, label());
  else record_resize(seq, input, output, p, label());
}

nlohmann::json CenterCropLayer::keras_config() const {
  nlohmann::json c = base_config(true);
  c["height"] = height_;
  c["width"] = width_;
  return c;
}

Layer::Region CenterCropLayer::source_region(const Shape& input, const Region& output) const {
  return region_of(plan(input), output);
}

}  // namespace convscope
