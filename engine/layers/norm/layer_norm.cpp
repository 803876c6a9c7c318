#include "layers/norm/layer_norm.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>

#include "core/error.h"
#include "embedded_shaders.h"
#include "layer_norm_params.h"
#include "layers/config_reader.h"

namespace convscope {

static_assert(sizeof(gpu::LayerNormParams) == shaders::layer_norm_push_bytes,
              "layer_norm_params.h and the SPIR-V disagree");

LayerNormLayer::LayerNormLayer(const ConfigReader& cfg)
    : Layer(cfg.name(), cfg.label(), 0, DataFormat::ChannelsLast), axis_(read_axis_argument(cfg, "axis", -1)) {
  if (axis_.axes.empty()) cfg.fail("axis", "[] names no axis; LayerNormalization normalises over at least one");
  epsilon_ = read_number(cfg, "epsilon", 1e-3);
  if (epsilon_ < 0) cfg.fail("epsilon", fmt::format("{} is negative; the variance plus epsilon must stay positive", epsilon_));
  center_ = read_bool(cfg, "center", true);
  scale_ = read_bool(cfg, "scale", true);
  rms_scaling_ = read_bool(cfg, "rms_scaling", false);
}

Shape LayerNormLayer::output_shape(const Shape& input) const {
  resolve_keras_axes(label(), "axis", axis_, input);
  return checked_output(input);
}

std::vector<std::string> LayerNormLayer::weight_names() const {
  std::vector<std::string> names;
  if (has_gamma()) names.push_back("gamma");
  if (has_beta()) names.push_back("beta");
  return names;
}

std::vector<std::vector<int64_t>> LayerNormLayer::weight_shapes(const Shape& input) const {
  // Keras 3 sorts the axes before it builds gamma and beta (tf.keras and Keras 3.0 kept the
  // order written; the two differ only for an unsorted list).
  const auto shape = axis_sizes(input, resolve_keras_axes(label(), "axis", axis_, input));
  return std::vector<std::vector<int64_t>>(weight_names().size(), shape);
}

std::vector<NdArray> LayerNormLayer::initial_weights(const Shape& input, uint64_t) const {
  std::vector<NdArray> out;
  for (const auto& shape : weight_shapes(input)) out.emplace_back(shape);
  if (has_gamma()) std::fill(out.front().data.begin(), out.front().data.end(), 1.0f);  // gamma: ones
  return out;
}

LayerNormLayer::Plan LayerNormLayer::plan(const Shape& input) const {
  require_weights_fit(input);
  Plan p;
  p.keras_axes = resolve_keras_axes(label(), "axis", axis_, input);
  const std::vector<int> order = keras_order(input);
  for (int k : p.keras_axes) p.normalised[order[static_cast<size_t>(k)]] = true;
  const std::vector<int64_t> keras_shape = broadcast_shape(input, p.keras_axes);
  const size_t count = NdArray::element_count(keras_shape);
  const std::vector<float> ones(count, 1.0f), zeros(count, 0.0f);
  size_t next = 0;
  const auto& w = weights();
  p.gamma = to_canonical(input, keras_shape, std::span<const float>(has_gamma() ? w[next++].data : ones));
  p.beta = to_canonical(input, keras_shape, std::span<const float>(has_beta() ? w[next++].data : zeros));
  return p;
}

Tensor LayerNormLayer::reference(const Tensor& input) const {
  const Plan p = plan(input.shape);
  const Shape& s = input.shape;
  const CanonicalDims dims = canonical_dims(s);
  // Each element's group: its coordinates off the normalised axes, row-major.
  auto group_of = [&](const CanonicalDims& c) {
    size_t g = 0;
    for (int a = 0; a < kCanonicalAxes; ++a)
      if (!p.normalised[a]) g = g * static_cast<size_t>(dims[a]) + static_cast<size_t>(c[a]);
    return g;
  };
  size_t groups = 1, members = 1;
  for (int a = 0; a < kCanonicalAxes; ++a) (p.normalised[a] ? members : groups) *= static_cast<size_t>(dims[a]);
  std::vector<double> sum(groups, 0.0), squares(groups, 0.0);
  auto each = [&](auto&& fn) {
    CanonicalDims c{};
    size_t i = 0;
    for (c[0] = 0; c[0] < s.n; ++c[0])
      for (c[1] = 0; c[1] < s.c; ++c[1])
        for (c[2] = 0; c[2] < s.d; ++c[2])
          for (c[3] = 0; c[3] < s.h; ++c[3])
            for (c[4] = 0; c[4] < s.w; ++c[4], ++i) fn(c, i);
  };
  each([&](const CanonicalDims& c, size_t i) { sum[group_of(c)] += input.data[i]; });
  for (double& v : sum) v /= static_cast<double>(members);
  each([&](const CanonicalDims& c, size_t i) {
    const size_t g = group_of(c);
    const double d = input.data[i] - sum[g];
    squares[g] += d * d;
  });
  Tensor out(s);
  each([&](const CanonicalDims& c, size_t i) {
    const size_t g = group_of(c);
    const double x = input.data[i];
    const double inv = 1.0 / std::sqrt(squares[g] / static_cast<double>(members) + epsilon_);
    out.data[i] = static_cast<float>(rms_scaling_ ? x * inv * p.gamma.at(c)
                                                  : (x - sum[g]) * inv * p.gamma.at(c) + p.beta.at(c));
  });
  return out;
}

void LayerNormLayer::record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const {
  const Plan layout = plan(input.shape);
  const Shape& s = input.shape;
  if (s.size() > INT32_MAX) throw UserError(fmt::format("{}: the input is too large for one dispatch", label()));
  const CanonicalDims dims = canonical_dims(s), strides = canonical_strides(s);
  std::array<bool, kCanonicalAxes> others{};
  int64_t members = 1, groups = 1;
  for (int a = 0; a < kCanonicalAxes; ++a) {
    others[a] = !layout.normalised[a];
    (layout.normalised[a] ? members : groups) *= dims[a];
  }
  const IndexRuns g = index_runs(dims, others, strides), m = index_runs(dims, layout.normalised, strides);
  gpu::LayerNormParams p{};
  p.group_divisor = {g.divisor[0], g.divisor[1], g.divisor[2]};
  p.group_size = {g.size[0], g.size[1], g.size[2]};
  p.group_stride = {g.stride[0], g.stride[1], g.stride[2]};
  p.member_divisor = {m.divisor[0], m.divisor[1], m.divisor[2]};
  p.member_size = {m.size[0], m.size[1], m.size[2]};
  p.member_stride = {m.stride[0], m.stride[1], m.stride[2]};
  p.groups = static_cast<int32_t>(groups);
  p.members = static_cast<int32_t>(members);
  p.epsilon = static_cast<float>(epsilon_);
  p.rms_scaling = rms_scaling_ ? 1 : 0;
  // About eight members per invocation, up to 128 on one group: the workgroup size every
  // Vulkan device supports (maxComputeWorkGroupInvocations >= 128).
  const uint32_t threads = std::bit_floor(static_cast<uint32_t>(std::clamp<int64_t>(members / 8, 1, 128)));
  const uint32_t width = std::max<uint32_t>(64, threads);
  vk::SpecConstants spec = vk::workgroup_width(width);
  spec.set(NORM_SPEC_THREADS, threads);
  const auto& pipeline =
      seq.context().pipeline(tensor_shader(seq.context(), shaders::layer_norm, shaders::layer_norm_fp16), spec);
  const vk::Buffer& gamma = seq.constant(layout.gamma.as_floats());
  const vk::Buffer& beta = seq.constant(layout.beta.as_floats());
  const uint64_t per_workgroup = width / threads;
  seq.dispatch(pipeline, {&input.buffer, &gamma, &beta, &output.buffer}, p,
               (static_cast<uint64_t>(groups) + per_workgroup - 1) / per_workgroup, label());
}

nlohmann::json LayerNormLayer::keras_config() const {
  nlohmann::json c = base_config(false);
  c["axis"] = axis_.to_json();
  c["epsilon"] = epsilon_;
  c["center"] = center_;
  c["scale"] = scale_;
  c["rms_scaling"] = rms_scaling_;
  return c;
}

Layer::Region LayerNormLayer::source_region(const Shape& input, const Region& output) const {
  // Normalising over a spatial axis mixes the whole axis; over channels only, nothing moves.
  const std::vector<int> axes = resolve_keras_axes(label(), "axis", axis_, input);
  const std::vector<int> order = keras_order(input);
  Region r = output;
  for (int k : axes) {
    const int canonical = order[static_cast<size_t>(k)];
    if (canonical < kCanonicalAxes - input.spatial_rank) continue;  // N or C
    const int a = canonical - (kCanonicalAxes - input.spatial_rank);  // spatial axis in Keras order
    r[a] = {0, input.spatial(a) - 1};
  }
  return r;
}

}  // namespace convscope
