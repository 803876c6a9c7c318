#include "layers/conv/conv_layers.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "layers/conv/conv_args.h"
#include "layers/conv/conv_dot_product.h"

namespace convscope {

namespace {

std::vector<int64_t> kernel_dims(const ConvConfig& c) { return {c.kernel.begin(), c.kernel.begin() + c.rank}; }

int64_t taps(const ConvConfig& c) {
  int64_t t = 1;
  for (int a = 0; a < c.rank; ++a) t *= c.kernel[a];
  return t;
}

std::vector<int64_t> with(std::vector<int64_t> dims, std::initializer_list<int64_t> tail) {
  dims.insert(dims.end(), tail);
  return dims;
}

// Keras kernels put the taps first and the channels last, (k..., a, b); the core wants
// [oc][in per group][taps]. `index(t, a, b)` -> (oc, icg) names where each element goes.
template <typename Place>
std::vector<float> reorder(const NdArray& keras, int64_t tap_count, int64_t a_dim, int64_t b_dim, int64_t cin_g,
                           Place place) {
  std::vector<float> out(keras.size());
  for (int64_t t = 0; t < tap_count; ++t)
    for (int64_t a = 0; a < a_dim; ++a)
      for (int64_t b = 0; b < b_dim; ++b) {
        const auto [oc, icg] = place(a, b);
        out[static_cast<size_t>((oc * cin_g + icg) * tap_count + t)] = keras.data[static_cast<size_t>((t * a_dim + a) * b_dim + b)];
      }
  return out;
}

std::vector<float> bias_or_zeros(bool use_bias, const std::vector<NdArray>& w, size_t index, int64_t channels) {
  if (use_bias && index < w.size()) return w[index].data;
  return std::vector<float>(static_cast<size_t>(channels), 0.0f);
}

// Depthwise convolution is grouped convolution with one group per input channel.
ConvConfig depthwise_config(ConvConfig c, int64_t channels, int64_t depth_multiplier) {
  c.groups = channels;
  c.filters = channels * depth_multiplier;
  return c;
}

ConvConfig pointwise_config(const ConvConfig& c, int64_t filters, const ActivationSpec& activation) {
  ConvConfig p;
  p.rank = c.rank;
  p.filters = filters;
  p.activation = activation;
  p.format = c.format;
  return p;
}

// The arguments every conv layer writes: Keras 3 names, tuples as lists.
nlohmann::json conv_config(nlohmann::json c, const ConvConfig& k, bool use_bias) {
  auto tuple = [&k](const std::array<int64_t, 3>& v) { return std::vector<int64_t>(v.begin(), v.begin() + k.rank); };
  c["kernel_size"] = tuple(k.kernel);
  c["strides"] = tuple(k.strides);
  c["padding"] = to_string(k.padding);
  c["dilation_rate"] = tuple(k.dilation);
  c["activation"] = activation_config(k.activation);
  c["use_bias"] = use_bias;
  return c;
}

void add_warning(std::vector<std::string>& out, const ConvConfig& c) {
  if (auto w = strided_dilation_warning(c)) out.push_back(*w);
}

}  // namespace

// ---- Conv*D and Conv*DTranspose ----

ConvLayer::ConvLayer(const ConfigReader& cfg, int rank, bool transposed)
    : Layer(cfg.name(), cfg.label(), rank, cfg.data_format()),
      class_name_(cfg.class_name()),
      core_([&] {
        ConvConfig c = read_conv_config(cfg, rank, transposed);
        if (cfg.get("filters").is_null()) cfg.fail("filters", "missing");
        c.filters = read_positive(cfg, "filters", 1);
        c.groups = read_positive(cfg, "groups", 1);
        // tf.keras 2 writes the groups=1 its transposed layers inherit; no Keras takes others.
        if (transposed && c.groups != 1) cfg.fail("groups", fmt::format("{}: transposed convolutions take 1", c.groups));
        if (c.filters % c.groups != 0)
          cfg.fail("groups", fmt::format("{} does not divide filters={}", c.groups, c.filters));
        return c;
      }(), cfg.label()),
      use_bias_(read_bool(cfg, "use_bias", true)) {}

std::vector<std::string> ConvLayer::weight_names() const {
  if (use_bias_) return {"kernel", "bias"};
  return {"kernel"};
}

LayerHints ConvLayer::hints() const {
  LayerHints h;
  h.kernel_array = 0;
  h.transposed = core_.config().transposed;
  h.kernel_layout = h.transposed ? KernelLayout::Transposed : KernelLayout::Dense;
  return h;
}

std::optional<DotProduct> ConvLayer::dot_product(const Shape& input, const InputReader& read, int64_t channel,
                                                 int64_t z, int64_t y, int64_t x) const {
  return convscope::dot_product(core_, core_weights(input), input, read, channel, z, y, x);
}

std::vector<std::vector<int64_t>> ConvLayer::weight_shapes(const Shape& input) const {
  const ConvConfig& c = core_.config();
  std::vector<std::vector<int64_t>> shapes{c.transposed ? with(kernel_dims(c), {c.filters, input.c})
                                                        : with(kernel_dims(c), {input.c / c.groups, c.filters})};
  if (use_bias_) shapes.push_back({c.filters});
  return shapes;
}

ConvWeights ConvLayer::core_weights(const Shape& input) const {
  const ConvConfig& c = core_.config();
  const auto& w = weights();
  if (w.empty()) throw UserError(fmt::format("{}: weights: none given; the layer needs a kernel", label()));
  ConvWeights out;
  if (c.transposed)  // (k..., filters, in)
    out.kernel = reorder(w[0], taps(c), c.filters, input.c, input.c, [](int64_t oc, int64_t ic) { return std::pair{oc, ic}; });
  else  // (k..., in/groups, filters)
    out.kernel = reorder(w[0], taps(c), input.c / c.groups, c.filters, input.c / c.groups,
                         [](int64_t icg, int64_t oc) { return std::pair{oc, icg}; });
  out.bias = bias_or_zeros(use_bias_, w, 1, c.filters);
  return out;
}

Tensor ConvLayer::reference(const Tensor& input) const {
  return in_own_format(core_.reference(input, core_weights(input.shape)));
}

void ConvLayer::record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const {
  core_.record(seq, input.buffer, input.shape, output.buffer, core_weights(input.shape));
}

nlohmann::json ConvLayer::keras_config() const {
  const ConvConfig& k = core_.config();
  nlohmann::json c = conv_config(base_config(true), k, use_bias_);
  c["filters"] = k.filters;
  if (k.transposed) {
    nlohmann::json op = nullptr;
    if (k.output_padding[0]) {
      op = nlohmann::json::array();
      for (int a = 0; a < k.rank; ++a) op.push_back(*k.output_padding[a]);
    }
    c["output_padding"] = op;
  } else {
    c["groups"] = k.groups;
  }
  return c;
}

std::vector<std::string> ConvLayer::warnings() const {
  std::vector<std::string> out;
  add_warning(out, core_.config());
  return out;
}

// ---- DepthwiseConv*D ----

DepthwiseLayer::DepthwiseLayer(const ConfigReader& cfg, int rank)
    : Layer(cfg.name(), cfg.label(), rank, cfg.data_format()),
      class_name_(cfg.class_name()),
      config_(read_conv_config(cfg, rank, false)),
      depth_multiplier_(read_positive(cfg, "depth_multiplier", 1)),
      use_bias_(read_bool(cfg, "use_bias", true)) {}

ConvCore DepthwiseLayer::core_for(const Shape& input) const {
  return ConvCore(depthwise_config(config_, input.c, depth_multiplier_), label());
}

Shape DepthwiseLayer::output_shape(const Shape& input) const { return checked_output(core_for(input).plan(input).output); }

std::vector<std::string> DepthwiseLayer::weight_names() const {
  if (use_bias_) return {"depthwise_kernel", "bias"};
  return {"depthwise_kernel"};
}

LayerHints DepthwiseLayer::hints() const {
  LayerHints h;
  h.kernel_array = 0;
  h.kernel_layout = KernelLayout::Depthwise;
  h.depthwise = true;
  return h;
}

std::optional<DotProduct> DepthwiseLayer::dot_product(const Shape& input, const InputReader& read, int64_t channel,
                                                      int64_t z, int64_t y, int64_t x) const {
  return convscope::dot_product(core_for(input), core_weights(input), input, read, channel, z, y, x);
}

std::vector<std::vector<int64_t>> DepthwiseLayer::weight_shapes(const Shape& input) const {
  std::vector<std::vector<int64_t>> shapes{with(kernel_dims(config_), {input.c, depth_multiplier_})};
  if (use_bias_) shapes.push_back({input.c * depth_multiplier_});
  return shapes;
}

ConvWeights DepthwiseLayer::core_weights(const Shape& input) const {
  const auto& w = weights();
  if (w.empty()) throw UserError(fmt::format("{}: weights: none given; the layer needs a kernel", label()));
  ConvWeights out;
  const int64_t dm = depth_multiplier_;
  // (k..., in, dm): output channel c*dm + m reads only input channel c.
  out.kernel = reorder(w[0], taps(config_), input.c, dm, 1, [dm](int64_t c, int64_t m) { return std::pair{c * dm + m, int64_t{0}}; });
  out.bias = bias_or_zeros(use_bias_, w, 1, input.c * dm);
  return out;
}

Tensor DepthwiseLayer::reference(const Tensor& input) const {
  return in_own_format(core_for(input.shape).reference(input, core_weights(input.shape)));
}

void DepthwiseLayer::record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const {
  core_for(input.shape).record(seq, input.buffer, input.shape, output.buffer, core_weights(input.shape));
}

nlohmann::json DepthwiseLayer::keras_config() const {
  nlohmann::json c = conv_config(base_config(true), config_, use_bias_);
  c["depth_multiplier"] = depth_multiplier_;
  return c;
}

std::vector<std::string> DepthwiseLayer::warnings() const {
  std::vector<std::string> out;
  add_warning(out, config_);
  return out;
}

// ---- SeparableConv*D ----

SeparableLayer::SeparableLayer(const ConfigReader& cfg, int rank)
    : Layer(cfg.name(), cfg.label(), rank, cfg.data_format()),
      class_name_(cfg.class_name()),
      config_([&] {
        ConvConfig c = read_conv_config(cfg, rank, false);
        c.activation = ActivationSpec{};  // applied once, after the pointwise pass
        return c;
      }()),
      depth_multiplier_(read_positive(cfg, "depth_multiplier", 1)),
      filters_([&] {
        if (cfg.get("filters").is_null()) cfg.fail("filters", "missing");
        return read_positive(cfg, "filters", 1);
      }()),
      use_bias_(read_bool(cfg, "use_bias", true)) {
  activation_ = parse_activation(cfg.get("activation"), cfg.label());
}

SeparableLayer::Passes SeparableLayer::passes(const Shape& input) const {
  Passes p{ConvCore(depthwise_config(config_, input.c, depth_multiplier_), label() + " (depthwise)"),
           ConvCore(pointwise_config(config_, filters_, activation_), label() + " (pointwise)"), {}, {}};
  const auto& w = weights();
  if (w.size() < 2) throw UserError(fmt::format("{}: weights: none given; the layer needs two kernels", label()));
  const int64_t dm = depth_multiplier_, mid = input.c * dm;
  p.depthwise_weights.kernel =
      reorder(w[0], taps(config_), input.c, dm, 1, [dm](int64_t c, int64_t m) { return std::pair{c * dm + m, int64_t{0}}; });
  p.depthwise_weights.bias.assign(static_cast<size_t>(mid), 0.0f);
  p.pointwise_weights.kernel =
      reorder(w[1], 1, mid, filters_, mid, [](int64_t ic, int64_t oc) { return std::pair{oc, ic}; });
  p.pointwise_weights.bias = bias_or_zeros(use_bias_, w, 2, filters_);
  return p;
}

Shape SeparableLayer::output_shape(const Shape& input) const {
  Shape out = ConvCore(depthwise_config(config_, input.c, depth_multiplier_), label()).plan(input).output;
  check_shape_limits(out, data_format(), label(), "the depthwise pass's output");  // allocated between the passes
  out.c = filters_;
  return checked_output(out);
}

std::vector<std::string> SeparableLayer::weight_names() const {
  if (use_bias_) return {"depthwise_kernel", "pointwise_kernel", "bias"};
  return {"depthwise_kernel", "pointwise_kernel"};
}

LayerHints SeparableLayer::hints() const {
  LayerHints h;
  h.kernel_array = 0;
  h.kernel_layout = KernelLayout::Depthwise;
  h.pointwise_array = 1;
  h.depthwise = true;
  return h;
}

std::vector<std::vector<int64_t>> SeparableLayer::weight_shapes(const Shape& input) const {
  std::vector<int64_t> ones(static_cast<size_t>(config_.rank), 1);
  std::vector<std::vector<int64_t>> shapes{with(kernel_dims(config_), {input.c, depth_multiplier_}),
                                           with(ones, {input.c * depth_multiplier_, filters_})};
  if (use_bias_) shapes.push_back({filters_});
  return shapes;
}

Tensor SeparableLayer::reference(const Tensor& input) const {
  const Passes p = passes(input.shape);
  return in_own_format(p.pointwise.reference(p.depthwise.reference(input, p.depthwise_weights), p.pointwise_weights));
}

void SeparableLayer::record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const {
  const Passes p = passes(input.shape);
  const Shape mid = p.depthwise.plan(input.shape).output;
  const vk::Buffer& between = seq.scratch(mid.size() * sizeof(float));
  p.depthwise.record(seq, input.buffer, input.shape, between, p.depthwise_weights);
  p.pointwise.record(seq, between, mid, output.buffer, p.pointwise_weights);
}

double SeparableLayer::flops(const Shape& input) const {
  const ConvCore depthwise(depthwise_config(config_, input.c, depth_multiplier_), label());
  return depthwise.flops(input) + ConvCore(pointwise_config(config_, filters_, activation_), label()).flops(depthwise.plan(input).output);
}

Layer::Region SeparableLayer::source_region(const Shape& input, const Region& output) const {
  // The pointwise pass is 1x1: the depthwise pass alone decides the reach.
  return ConvCore(depthwise_config(config_, input.c, depth_multiplier_), label()).source_region(input, output);
}

nlohmann::json SeparableLayer::keras_config() const {
  ConvConfig k = config_;
  k.activation = activation_;
  nlohmann::json c = conv_config(base_config(true), k, use_bias_);
  c["filters"] = filters_;
  c["depth_multiplier"] = depth_multiplier_;
  return c;
}

std::vector<std::string> SeparableLayer::warnings() const {
  std::vector<std::string> out;
  add_warning(out, config_);
  return out;
}

}  // namespace convscope
