#include "layers/merge/merge_layers.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/keras_axes.h"
#include "embedded_shaders.h"
#include "layers/config_reader.h"
#include "layers/strided_copy.h"
#include "merge_params.h"
#include "spec_ids.h"
#include "vk/device_tensor.h"

namespace convscope {

namespace {

constexpr int kMaxKerasRank = 5;
using AxisStrides = std::array<int64_t, kMaxKerasRank>;

// "[(2, 4, 3), (2, 5, 3)]": the shapes as Keras' messages list them.
std::string shape_list(std::span<const Shape> inputs) {
  std::string s;
  for (const Shape& in : inputs) s += (s.empty() ? "" : ", ") + shape_string(in.keras());
  return "[" + s + "]";
}

// Where `in`'s element for each output Keras axis lies: inputs of lower rank align with the
// output's last axes, and an axis of size 1 stretches (stride 0), as numpy broadcasts.
AxisStrides broadcast_strides(const Shape& in, const Shape& out) {
  const std::vector<int64_t> in_dims = in.keras(), out_dims = out.keras(), ks = keras_strides(in);
  const size_t lead = out_dims.size() - in_dims.size();
  AxisStrides s{};
  s[0] = ks[0];
  for (size_t a = 1; a < out_dims.size(); ++a)
    if (a >= lead + 1 && in_dims[a - lead] == out_dims[a]) s[a] = ks[a - lead];
  return s;
}

AxisStrides own_strides(const Shape& s) {
  AxisStrides out{};
  const std::vector<int64_t> ks = keras_strides(s);
  std::copy(ks.begin(), ks.end(), out.begin());
  return out;
}

double apply(MergeOp op, double x, double y) {
  switch (op) {
    case MergeOp::Subtract: return x - y;
    case MergeOp::Multiply: return x * y;
    case MergeOp::Maximum: return std::max(x, y);
    case MergeOp::Minimum: return std::min(x, y);
    default: return x + y;  // Add, and Average's sum
  }
}

uint32_t u32(int64_t v) { return static_cast<uint32_t>(v); }

}  // namespace

MergeBase::MergeBase(const ConfigReader& cfg) : Layer(cfg.name(), cfg.label(), 0, DataFormat::ChannelsLast) {}

Shape MergeBase::output_shape(const Shape& input) const { return node_output_shape({&input, 1}); }

Tensor MergeBase::reference(const Tensor& input) const {
  const Tensor* in = &input;
  return node_reference({&in, 1});
}

void MergeBase::record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const {
  const DeviceTensor* in = &input;
  node_record(seq, {&in, 1}, output);
}

void MergeBase::check_inputs(std::span<const Shape> inputs) const {
  if (class_name() == "Subtract" && inputs.size() != 2)
    throw UserError(fmt::format("{}: a Subtract layer should be called on exactly 2 inputs, got {}", label(),
                                inputs.size()));
  if (inputs.size() < 2)
    throw UserError(fmt::format("{}: a merge layer should be called on a list of at least 2 inputs, got {}; in a "
                                "Sequential model it has only one, so it needs a functional model",
                                label(), inputs.size()));
  for (const Shape& s : inputs)
    if (s.n != inputs[0].n)
      throw UserError(fmt::format("{}: cannot merge tensors with different batch sizes: {}", label(), shape_list(inputs)));
}

ElementwiseMerge::ElementwiseMerge(const ConfigReader& cfg, MergeOp op) : MergeBase(cfg), op_(op) {}

std::string_view ElementwiseMerge::class_name() const {
  switch (op_) {
    case MergeOp::Subtract: return "Subtract";
    case MergeOp::Multiply: return "Multiply";
    case MergeOp::Maximum: return "Maximum";
    case MergeOp::Minimum: return "Minimum";
    case MergeOp::Average: return "Average";
    default: return "Add";
  }
}

Shape ElementwiseMerge::node_output_shape(std::span<const Shape> inputs) const {
  check_inputs(inputs);
  // Keras' _compute_elemwise_op_output_shape: right-aligned, 1 stretches, otherwise equal.
  size_t widest = 0;
  for (size_t k = 1; k < inputs.size(); ++k)
    if (inputs[k].keras_rank() > inputs[widest].keras_rank()) widest = k;
  std::vector<int64_t> out = inputs[widest].keras();
  for (const Shape& in : inputs) {
    const std::vector<int64_t> dims = in.keras();
    const size_t lead = out.size() - dims.size();
    for (size_t a = 1; a < dims.size(); ++a) {
      int64_t& o = out[a + lead];
      if (dims[a] == o || dims[a] == 1) continue;
      if (o != 1)
        throw UserError(fmt::format("{}: inputs have incompatible shapes: {}; sizes must be equal or 1 on each axis, "
                                    "counted from the last",
                                    label(), shape_list(inputs)));
      o = dims[a];
    }
  }
  return checked_output(shape_from_keras(out, inputs[widest].format, label()));
}

Layer::Region ElementwiseMerge::node_source_region(std::span<const Shape> inputs, size_t k, const Region& output) const {
  const Shape& in = inputs[k];
  const Shape out = node_output_shape(inputs);
  if (in.spatial_rank != out.spatial_rank) return Layer::source_region(in, output);  // aligned otherwise: all of it
  Region r = output;
  for (int a = 0; a < in.spatial_rank; ++a)
    if (in.spatial(a) == 1 && out.spatial(a) != 1) r[a] = {0, 0};
  return r;
}

Tensor ElementwiseMerge::node_reference(std::span<const Tensor* const> inputs) const {
  std::vector<Shape> shapes;
  for (const Tensor* t : inputs) shapes.push_back(t->shape);
  Tensor out(node_output_shape(shapes));
  const std::vector<int64_t> dims = out.shape.keras();
  const AxisStrides so = own_strides(out.shape);
  std::vector<AxisStrides> si;
  for (const Shape& s : shapes) si.push_back(broadcast_strides(s, out.shape));
  std::vector<int64_t> index(dims.size(), 0);
  for (size_t e = 0; e < out.data.size(); ++e) {
    int64_t o = 0;
    for (size_t a = 0; a < dims.size(); ++a) o += index[a] * so[a];
    double acc = 0;
    for (size_t k = 0; k < inputs.size(); ++k) {
      int64_t at = 0;
      for (size_t a = 0; a < dims.size(); ++a) at += index[a] * si[k][a];
      const double x = inputs[k]->data[static_cast<size_t>(at)];
      acc = k == 0 ? x : apply(op_, acc, x);
    }
    if (op_ == MergeOp::Average) acc /= static_cast<double>(inputs.size());
    out.data[static_cast<size_t>(o)] = static_cast<float>(acc);
    for (size_t a = dims.size(); a-- > 0;) {  // the next index in Keras order
      if (++index[a] < dims[a]) break;
      index[a] = 0;
    }
  }
  return out;
}

void ElementwiseMerge::node_record(vk::Sequence& seq, std::span<const DeviceTensor* const> inputs,
                                   const DeviceTensor& output) const {
  std::vector<Shape> shapes;
  for (const DeviceTensor* t : inputs) shapes.push_back(t->shape);
  check_inputs(shapes);
  const std::vector<int64_t> dims = output.shape.keras();
  for (size_t k = 1; k < inputs.size(); ++k) {
    vk::SpecConstants spec = vk::workgroup_width(64);
    spec.set(MERGE_SPEC_OP, static_cast<int>(op_ == MergeOp::Average ? MergeOp::Add : op_));
    // The running result (k > 1) always has the output's shape; input 0 and input k may not.
    // Whole shapes compare, formats included: a channels_first and a channels_last tensor of
    // equal Keras dims pair their elements in another order than their memory's.
    const bool same = (k > 1 || inputs[0]->shape == output.shape) && inputs[k]->shape == output.shape;
    spec.set(MERGE_SPEC_SAME, same);
    const auto& pipeline = seq.context().pipeline(tensor_shader(seq.context(), shaders::merge, shaders::merge_fp16), spec);
    // Step k folds input k into the running result, which the first step starts from input 0.
    const DeviceTensor& a = k == 1 ? *inputs[0] : output;
    const AxisStrides sa = k == 1 ? broadcast_strides(inputs[0]->shape, output.shape) : own_strides(output.shape);
    const AxisStrides sb = broadcast_strides(inputs[k]->shape, output.shape), so = own_strides(output.shape);
    gpu::MergeParams p{};
    uint32_t d[kMaxKerasRank] = {1, 1, 1, 1, 1};
    for (size_t i = 0; i < dims.size(); ++i) d[i] = u32(dims[i]);
    p.dims = {d[0], d[1], d[2], d[3]};
    p.dims4 = d[4];
    p.a_strides = {u32(sa[0]), u32(sa[1]), u32(sa[2]), u32(sa[3])};
    p.a_stride4 = u32(sa[4]);
    p.b_strides = {u32(sb[0]), u32(sb[1]), u32(sb[2]), u32(sb[3])};
    p.b_stride4 = u32(sb[4]);
    p.out_strides = {u32(so[0]), u32(so[1]), u32(so[2]), u32(so[3])};
    p.out_stride4 = u32(so[4]);
    p.elements = u32(static_cast<int64_t>(output.shape.size()));
    p.divisor = op_ == MergeOp::Average && k + 1 == inputs.size() ? static_cast<float>(inputs.size()) : 1.0f;
    // SAME: a vec4 per invocation, then one per element left over (merge.comp).
    const uint64_t invocations = same ? p.elements / 4 + p.elements % 4 : p.elements;
    const vk::Buffer &x = a.buffer, &y = inputs[k]->buffer, &z = output.buffer;
    seq.dispatch_elements(pipeline, {&x, &y, &z, &x, &y, &z}, p, invocations, label());
  }
}

nlohmann::json ElementwiseMerge::keras_config() const { return base_config(false); }

ConcatenateLayer::ConcatenateLayer(const ConfigReader& cfg) : MergeBase(cfg) {
  const nlohmann::json& axis = cfg.get("axis");
  if (!axis.is_null()) axis_ = cfg.integer("axis", axis);
}

Shape ConcatenateLayer::node_output_shape(std::span<const Shape> inputs) const {
  check_inputs(inputs);
  const int rank = inputs[0].keras_rank();
  const std::optional<int> axis = normalized_axis(axis_, rank);
  if (!axis || *axis == 0)
    throw UserError(fmt::format("{}: axis: {} is {} for inputs of shapes {}", label(), axis_,
                                axis ? "the batch axis" : "out of range", shape_list(inputs)));
  std::vector<int64_t> out = inputs[0].keras();
  out[static_cast<size_t>(*axis)] = 0;
  for (const Shape& in : inputs) {
    std::vector<int64_t> dims = in.keras();
    bool match = dims.size() == out.size();
    for (size_t a = 0; match && a < dims.size(); ++a) match = static_cast<int>(a) == *axis || dims[a] == out[a];
    if (!match)
      throw UserError(fmt::format("{}: a Concatenate layer requires inputs with matching shapes except for the "
                                  "concatenation axis {}; got {}",
                                  label(), axis_, shape_list(inputs)));
    out[static_cast<size_t>(*axis)] += dims[static_cast<size_t>(*axis)];
  }
  return checked_output(shape_from_keras(out, inputs[0].format, label()));
}

namespace {

// Input k's elements into its slice of the output, along the Keras axis `axis`.
std::vector<StridedCopy> concatenate_copies(std::span<const Shape> inputs, const Shape& out, int axis) {
  std::vector<StridedCopy> copies;
  const std::vector<int64_t> out_strides = keras_strides(out);
  int64_t at = 0;
  for (const Shape& in : inputs) {
    const std::vector<int64_t> dims = in.keras();
    copies.push_back({dims, keras_strides(in), out_strides, 0, at * out_strides[static_cast<size_t>(axis)]});
    at += dims[static_cast<size_t>(axis)];
  }
  return copies;
}

}  // namespace

Layer::Region ConcatenateLayer::node_source_region(std::span<const Shape> inputs, size_t k, const Region& output) const {
  const Shape out = node_output_shape(inputs);
  const int rank = out.spatial_rank;
  const int a = *canonical_axis(out, axis_) - (kCanonicalAxes - rank);  // the spatial axis, or < 0
  Region r = output;
  if (a < 0) return r;  // along channels (or a vector's features): every input at the same place
  int64_t offset = 0;
  for (size_t j = 0; j < k; ++j) offset += inputs[j].spatial(a);
  const int64_t length = inputs[k].spatial(a);
  r[a] = {std::max<int64_t>(output[a].first - offset, 0), std::min(output[a].second - offset, length - 1)};
  return r;
}

Tensor ConcatenateLayer::node_reference(std::span<const Tensor* const> inputs) const {
  std::vector<Shape> shapes;
  for (const Tensor* t : inputs) shapes.push_back(t->shape);
  Tensor out(node_output_shape(shapes));
  const auto copies = concatenate_copies(shapes, out.shape, *normalized_axis(axis_, out.shape.keras_rank()));
  for (size_t k = 0; k < inputs.size(); ++k) copy_strided(inputs[k]->data, out.data, copies[k]);
  return out;
}

void ConcatenateLayer::node_record(vk::Sequence& seq, std::span<const DeviceTensor* const> inputs,
                                   const DeviceTensor& output) const {
  std::vector<Shape> shapes;
  for (const DeviceTensor* t : inputs) shapes.push_back(t->shape);
  check_inputs(shapes);
  const auto copies = concatenate_copies(shapes, output.shape, *normalized_axis(axis_, output.shape.keras_rank()));
  for (size_t k = 0; k < inputs.size(); ++k) {
    // The slices are disjoint: the copies need no barrier between them.
    if (k > 0) seq.next_reads_nothing_pending();
    record_strided_copy(seq, inputs[k]->buffer, output.buffer, copies[k], label());
  }
}

nlohmann::json ConcatenateLayer::keras_config() const {
  nlohmann::json c = base_config(false);
  c["axis"] = axis_;
  return c;
}

}  // namespace convscope
