#include "layers/norm/affine.h"

#include <fmt/format.h>

#include "affine_params.h"
#include "core/error.h"
#include "embedded_shaders.h"
#include "spec_ids.h"

namespace convscope {

static_assert(sizeof(gpu::AffineParams) == shaders::affine_push_bytes, "affine_params.h and the SPIR-V disagree");

void record_affine(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output,
                   const CanonicalParam& scale, const CanonicalParam& shift, const std::string& label) {
  if (scale.dims != shift.dims) throw Error(fmt::format("internal: {}: scale and shift of different shapes", label));
  // The shader indexes with 32-bit ints (quotient() in common.glsl takes them below 2^31).
  if (output.shape.size() > INT32_MAX) throw UserError(fmt::format("{}: the output is too large for one dispatch", label));
  const IndexRuns runs = param_runs(canonical_dims(output.shape), scale.dims);
  gpu::AffineParams p{};
  p.divisor = {runs.divisor[0], runs.divisor[1], runs.divisor[2]};
  p.size = {runs.size[0], runs.size[1], runs.size[2]};
  p.stride = {runs.stride[0], runs.stride[1], runs.stride[2]};
  p.elements = static_cast<uint32_t>(output.shape.size());
  const vk::Buffer& a = seq.constant(scale.as_floats());
  const vk::Buffer& b = seq.constant(shift.as_floats());
  // affine.comp's QUADS: every run that varies the parameter changes it only every 4k elements.
  bool quads = true;
  for (int r = 0; r < 3; ++r) quads = quads && (runs.size[r] == 1 || runs.divisor[r] % 4 == 0);
  const uint64_t elements = output.shape.size();
  const auto& pipeline = seq.context().pipeline(tensor_shader(seq.context(), shaders::affine, shaders::affine_fp16),
                                                vk::workgroup_width(64).set(AFFINE_SPEC_QUADS, quads));
  const vk::Buffer &x = input.buffer, &y = output.buffer;
  seq.dispatch_elements(pipeline, {&x, &a, &b, &y, &x, &y}, p, quads ? elements / 4 + elements % 4 : elements, label);
}

Tensor map_elements(const Tensor& input, const std::function<double(double, const CanonicalDims&)>& f) {
  Tensor out(input.shape);
  const Shape& s = input.shape;
  CanonicalDims c{};
  size_t i = 0;
  for (c[0] = 0; c[0] < s.n; ++c[0])
    for (c[1] = 0; c[1] < s.c; ++c[1])
      for (c[2] = 0; c[2] < s.d; ++c[2])
        for (c[3] = 0; c[3] < s.h; ++c[3])
          for (c[4] = 0; c[4] < s.w; ++c[4], ++i) out.data[i] = static_cast<float>(f(input.data[i], c));
  return out;
}

}  // namespace convscope
