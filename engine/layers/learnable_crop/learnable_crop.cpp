#include "layers/learnable_crop/learnable_crop.h"

#include <fmt/format.h>

#include <cmath>

#include "layers/config_reader.h"
#include "layers/registry.h"

namespace convscope {

LearnableCropLayer::LearnableCropLayer(const ConfigReader& cfg) : Layer(cfg.name(), cfg.label(), 2, cfg.data_format()) {
  if (cfg.get("output_size").is_null()) cfg.fail("output_size", "missing; give [rows, columns] of the crop's output");
  const auto size = read_tuple(cfg, "output_size", 2, 1, 1);
  out_h_ = size[0];
  out_w_ = size[1];
  const nlohmann::json& source = cfg.get("box_source");
  if (source == "predicted") {
    source_ = BoxSource::Predicted;
  } else if (!source.is_null() && source != "weight") {
    cfg.fail("box_source", fmt::format("{} is not 'weight' or 'predicted'", python_repr(source)));
  }
  const nlohmann::json& min = cfg.get("min_size");
  if (!min.is_null()) {
    if (!min.is_array() || min.size() != 2 || !min[0].is_number() || !min[1].is_number() || min[0] < 0 || min[1] < 0)
      cfg.fail("min_size", fmt::format("{} is not two non-negative numbers (rows, columns)", python_repr(min)));
    min_h_ = min[0].get<double>();
    min_w_ = min[1].get<double>();
  }
}

Shape LearnableCropLayer::output_shape(const Shape& input) const {
  require_rank(input);
  if (source_ == BoxSource::Predicted && (min_h_ > static_cast<double>(input.h) || min_w_ > static_cast<double>(input.w)))
    throw UserError(fmt::format("{}: min_size: ({}, {}) is larger than the {}x{} input", label(), min_h_, min_w_,
                                input.h, input.w));
  Shape out = input;
  out.h = out_h_;
  out.w = out_w_;
  return checked_output(out);
}

std::vector<std::string> LearnableCropLayer::weight_names() const {
  if (source_ == BoxSource::Weight) return {"box"};
  return {"head_kernel", "head_bias"};
}

LayerHints LearnableCropLayer::hints() const {
  LayerHints h;
  h.fittable_box = source_ == BoxSource::Weight;
  return h;
}

std::vector<std::vector<int64_t>> LearnableCropLayer::weight_shapes(const Shape& input) const {
  if (source_ == BoxSource::Weight) return {{4}};
  return {{input.c, 4}, {4}};
}

std::vector<double> LearnableCropLayer::plane_means(const Tensor& input) {
  const Shape& s = input.shape;
  std::vector<double> means(static_cast<size_t>(s.n * s.c), 0.0);
  for (int64_t n = 0; n < s.n; ++n)
    for (int64_t c = 0; c < s.c; ++c) {
      double sum = 0;
      for (int64_t y = 0; y < s.h; ++y)
        for (int64_t x = 0; x < s.w; ++x) sum += input.at(n, c, 0, y, x);
      means[static_cast<size_t>(n * s.c + c)] = sum / static_cast<double>(s.h * s.w);
    }
  return means;
}

std::vector<std::array<double, 4>> LearnableCropLayer::squashed(const Tensor& input) const {
  require_weights();
  const Shape& s = input.shape;
  const auto& w = weights();
  const auto means = plane_means(input);
  std::vector<std::array<double, 4>> out;
  for (int64_t n = 0; n < s.n; ++n) {
    std::array<double, 4> z;
    for (int k = 0; k < 4; ++k) z[k] = w[1].data[k];
    for (int64_t c = 0; c < s.c; ++c)
      for (int k = 0; k < 4; ++k) z[k] += means[static_cast<size_t>(n * s.c + c)] * w[0].data[static_cast<size_t>(c * 4 + k)];
    for (double& v : z) v = 1.0 / (1.0 + std::exp(-v));
    out.push_back(z);
  }
  return out;
}

void LearnableCropLayer::require_weights() const {
  if (weights().empty())
    throw UserError(fmt::format("{}: weights: none given; the layer needs {}", label(),
                                source_ == BoxSource::Weight ? "a box (y0, x0, h, w)" : "a kernel and a bias"));
}

std::array<double, 4> LearnableCropLayer::weight_box() const {
  require_weights();
  const auto& b = weights()[0].data;
  if (!(b[2] > 0) || !(b[3] > 0))
    throw UserError(fmt::format("{}: weights: the box ({}, {}, {}, {}) needs a positive height and width", label(), b[0],
                                b[1], b[2], b[3]));
  return {b[0], b[1], b[2], b[3]};
}

std::vector<std::array<double, 4>> LearnableCropLayer::boxes(const Tensor& input) const {
  const Shape& s = input.shape;
  if (source_ == BoxSource::Weight) return std::vector<std::array<double, 4>>(static_cast<size_t>(s.n), weight_box());
  std::vector<std::array<double, 4>> out;
  const double H = static_cast<double>(s.h), W = static_cast<double>(s.w);
  for (const auto& sq : squashed(input)) {
    const double h = min_h_ + (H - min_h_) * sq[2], wd = min_w_ + (W - min_w_) * sq[3];
    out.push_back({(H - h) * sq[0], (W - wd) * sq[1], h, wd});
  }
  return out;
}

Tensor LearnableCropLayer::reference(const Tensor& input) const {
  const auto bx = boxes(input);
  const Shape& s = input.shape;
  Tensor out(output_shape(s));
  for (int64_t n = 0; n < s.n; ++n) {
    const auto [y0, x0, h, w] = bx[static_cast<size_t>(n)];
    for (int64_t c = 0; c < s.c; ++c)
      for (int64_t i = 0; i < out_h_; ++i)
        for (int64_t j = 0; j < out_w_; ++j) {
          const double y = y0 + (static_cast<double>(i) + 0.5) * h / static_cast<double>(out_h_) - 0.5;
          const double x = x0 + (static_cast<double>(j) + 0.5) * w / static_cast<double>(out_w_) - 0.5;
          const double fy = std::floor(y), fx = std::floor(x);
          double v = 0;
          for (int corner = 0; corner < 4; ++corner) {
            const int64_t yy = static_cast<int64_t>(fy) + (corner >> 1), xx = static_cast<int64_t>(fx) + (corner & 1);
            if (yy < 0 || yy >= s.h || xx < 0 || xx >= s.w) continue;  // zero outside the input
            const double wy = (corner >> 1) ? y - fy : 1 - (y - fy), wx = (corner & 1) ? x - fx : 1 - (x - fx);
            v += wy * wx * input.at(n, c, 0, yy, xx);
          }
          out.at(n, c, 0, i, j) = static_cast<float>(v);
        }
  }
  return out;
}

Layer::Region LearnableCropLayer::source_region(const Shape& input, const Region& out) const {
  if (source_ == BoxSource::Predicted || weights().empty()) return Layer::source_region(input, out);
  const auto [y0, x0, h, w] = weight_box();
  auto span = [](double start, double size, int64_t count, std::pair<int64_t, int64_t> o, int64_t n) {
    const double first = start + (static_cast<double>(o.first) + 0.5) * size / static_cast<double>(count) - 0.5;
    const double last = start + (static_cast<double>(o.second) + 0.5) * size / static_cast<double>(count) - 0.5;
    return std::pair<int64_t, int64_t>{std::max<int64_t>(static_cast<int64_t>(std::floor(first)), 0),
                                       std::min<int64_t>(static_cast<int64_t>(std::floor(last)) + 1, n - 1)};
  };
  return {span(y0, h, out_h_, out[0], input.h), span(x0, w, out_w_, out[1], input.w), {0, 0}};
}

nlohmann::json LearnableCropLayer::keras_config() const {
  nlohmann::json c = base_config(true);
  c["output_size"] = {out_h_, out_w_};
  c["box_source"] = source_ == BoxSource::Weight ? "weight" : "predicted";
  if (source_ == BoxSource::Predicted) c["min_size"] = {min_h_, min_w_};
  return c;
}

std::vector<NdArray> LearnableCropLayer::initial_weights(const Shape& input, uint64_t) const {
  std::vector<NdArray> out;
  for (const auto& shape : weight_shapes(input)) out.emplace_back(shape);  // zeros
  if (source_ == BoxSource::Weight)
    out[0].data = {0.0f, 0.0f, static_cast<float>(input.h), static_cast<float>(input.w)};
  return out;
}

void register_learnable_crop(LayerRegistry& registry) {
  LayerDescriptor d;
  d.class_name = "LearnableCrop";
  d.arguments = {"output_size", "box_source", "min_size", "data_format"};
  d.example = {{"output_size", {128, 128}}};
  d.module = "convscope";  // a registered custom class in Keras ("convscope>LearnableCrop")
  d.family = "learnable crop";
  d.make = [](const ConfigReader& cfg) { return std::make_unique<LearnableCropLayer>(cfg); };
  registry.add(std::move(d));
}

}  // namespace convscope
