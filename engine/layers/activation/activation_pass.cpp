#include "layers/activation/activation_pass.h"

#include <fmt/format.h>

#include <bit>
#include <cmath>
#include <limits>

#include "activate_params.h"
#include "core/error.h"
#include "core/keras_axes.h"
#include "embedded_shaders.h"
#include "softmax_params.h"
#include "vk/device_tensor.h"

namespace convscope {

static_assert(sizeof(gpu::ActivateParams) == shaders::activate_push_bytes, "activate_params.h and the SPIR-V disagree");
static_assert(sizeof(gpu::SoftmaxParams) == shaders::softmax_push_bytes, "softmax_params.h and the SPIR-V disagree");

namespace {

// The shader's function number: gelu's two forms are two functions there.
int32_t shader_function(const ActivationSpec& spec) {
  if (spec.kind == ActivationKind::Gelu && spec.approximate) return ACT_GELU_TANH;
  return static_cast<int32_t>(spec.kind);
}

}  // namespace

bool set_stage_activation(vk::SpecConstants& constants, const ActivationSpec& spec) {
  if (!spec.elementwise()) return false;
  if (spec.kind == ActivationKind::Linear) return true;  // the stage's default
  auto bits = [](double v) { return std::bit_cast<uint32_t>(static_cast<float>(v)); };
  constants.set(ACT_STAGE_SPEC_FUNCTION, shader_function(spec));
  constants.set(ACT_STAGE_SPEC_SLOPE, bits(spec.negative_slope)).set(ACT_STAGE_SPEC_ALPHA, bits(spec.alpha));
  constants.set(ACT_STAGE_SPEC_HAS_MAX, static_cast<uint32_t>(spec.max_value.has_value()));
  constants.set(ACT_STAGE_SPEC_MAX, bits(spec.max_value.value_or(0))).set(ACT_STAGE_SPEC_THRESHOLD, bits(spec.threshold));
  return true;
}

namespace {

void record_elementwise(vk::Sequence& seq, const vk::Buffer& input, const vk::Buffer& output, uint64_t elements,
                        const ActivationSpec& spec, const std::string& label) {
  if (elements > std::numeric_limits<uint32_t>::max())
    throw UserError(fmt::format("{}: {} elements are too many for one dispatch", label, elements));
  gpu::ActivateParams p{};
  p.negative_slope = static_cast<float>(spec.negative_slope);
  p.alpha = static_cast<float>(spec.alpha);
  p.has_max_value = spec.max_value.has_value();
  p.max_value = static_cast<float>(spec.max_value.value_or(0));
  p.threshold = static_cast<float>(spec.threshold);
  p.elements = static_cast<uint32_t>(elements);
  vk::SpecConstants constants = vk::workgroup_width(64).set(ACT_SPEC_FUNCTION, shader_function(spec));
  const vk::ShaderCode& shader = tensor_shader(seq.context(), shaders::activate, shaders::activate_fp16);
  seq.dispatch_elements(seq.context().pipeline(shader, constants), {&input, &output}, p, elements, label);
}

// Up to three (count, stride) groups, innermost first, from the canonical axes where
// `pick` holds: neighbouring picked axes merge into one group (row-major strides), axes of
// length 1 drop out. Five axes alternate into at most three groups of either kind.
struct Groups {
  gpu::ivec4 count{1, 1, 1, 1}, stride{0, 0, 0, 0};
  int64_t total = 1;
};

Groups fold(const CanonicalDims& dims, const CanonicalDims& strides, const std::array<bool, 5>& pick) {
  Groups g;
  int32_t* count[] = {&g.count.x, &g.count.y, &g.count.z};
  int32_t* stride[] = {&g.stride.x, &g.stride.y, &g.stride.z};
  int used = 0;
  bool extending = false;  // the axis outside the last one was picked and merged
  for (int a = kCanonicalAxes - 1; a >= 0; --a) {
    const size_t i = static_cast<size_t>(a);
    if (!pick[i] || dims[i] == 1) {
      extending = extending && dims[i] == 1;  // a unit axis between two picked ones breaks nothing
      continue;
    }
    if (extending) {
      *count[used - 1] = static_cast<int32_t>(*count[used - 1] * dims[i]);
    } else {
      if (used == 3) throw Error("internal: more than three axis groups in a softmax");
      *count[used] = static_cast<int32_t>(dims[i]);
      *stride[used] = static_cast<int32_t>(strides[i]);
      ++used;
    }
    g.total *= dims[i];
    extending = true;
  }
  return g;
}

void record_softmax(vk::Sequence& seq, const vk::Buffer& input, const vk::Buffer& output, const Shape& shape,
                    const ActivationSpec& spec, const std::string& label) {
  // The shader's indices are 32-bit ints (its quotient() needs them below 2^31).
  if (shape.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max()))
    throw UserError(fmt::format("{}: a softmax over {} elements is too large for one dispatch", label, shape.size()));
  const std::array<bool, 5> reduced = reduced_axes(spec, shape, label);
  std::array<bool, 5> kept{};
  for (size_t a = 0; a < kept.size(); ++a) kept[a] = !reduced[a];
  const CanonicalDims dims = canonical_dims(shape), strides = canonical_strides(shape);
  const Groups rows = fold(dims, strides, kept), members = fold(dims, strides, reduced);
  gpu::SoftmaxParams p{};
  p.row_count = rows.count;
  p.row_stride = rows.stride;
  p.member_count = members.count;
  p.member_stride = members.stride;
  p.rows = static_cast<uint32_t>(rows.total);
  vk::SpecConstants constants =
      vk::workgroup_width(64).set(SOFTMAX_SPEC_LOG, spec.kind == ActivationKind::LogSoftmax);
  const vk::ShaderCode& shader = tensor_shader(seq.context(), shaders::softmax, shaders::softmax_fp16);
  seq.dispatch_elements(seq.context().pipeline(shader, constants), {&input, &output}, p, rows.total, label);
}

}  // namespace

void record_activation(vk::Sequence& seq, const vk::Buffer& input, const vk::Buffer& output, const Shape& shape,
                       const ActivationSpec& spec, const std::string& label) {
  if (spec.elementwise()) record_elementwise(seq, input, output, shape.size(), spec, label);
  else record_softmax(seq, input, output, shape, spec, label);
}

void record_activation(vk::Sequence& seq, const vk::Buffer& data, const Shape& shape, const ActivationSpec& spec,
                       const std::string& label) {
  if (spec.kind == ActivationKind::Linear) return;
  record_activation(seq, data, data, shape, spec, label);
}

void record_activation(vk::Sequence& seq, const vk::Buffer& data, int64_t elements, const ActivationSpec& spec,
                       const std::string& label) {
  if (!spec.elementwise())
    throw Error(fmt::format("internal: {}: {} needs the tensor's shape", label, activation_name(spec)));
  if (spec.kind == ActivationKind::Linear) return;
  record_elementwise(seq, data, data, static_cast<uint64_t>(elements), spec, label);
}

}  // namespace convscope
