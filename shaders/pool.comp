#version 450
// MaxPooling and AveragePooling in 1D, 2D and 3D: each output element reduces its window of
// the input. The window is clipped to the input, so 'same' padding never enters: max ignores
// the padded positions and average divides by the real elements it read (TensorFlow's rule).
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "pool_params.h"
#include "tensor_type.glsl"

// The operation is baked into every pipeline: the choice below folds away at pipeline
// creation, so no element pays for a branch (lavapipe runs this on the CPU).
layout(constant_id = POOL_SPEC_AVERAGE) const int AVERAGE = 0;
// Output sizes, windows and strides baked in where the engine specialises geometry (0 means
// "read the push constants"): the index maths then divides by constants, which compile to
// multiplies; lavapipe has no vector integer division and splits one into a division per lane.
layout(constant_id = POOL_SPEC_OX) const int SPEC_OX = 0;
layout(constant_id = POOL_SPEC_OY) const int SPEC_OY = 0;
layout(constant_id = POOL_SPEC_OZ) const int SPEC_OZ = 0;
layout(constant_id = POOL_SPEC_KX) const int SPEC_KX = 0;
layout(constant_id = POOL_SPEC_KY) const int SPEC_KY = 0;
layout(constant_id = POOL_SPEC_KZ) const int SPEC_KZ = 0;
layout(constant_id = POOL_SPEC_SX) const int SPEC_SX = 0;
layout(constant_id = POOL_SPEC_SY) const int SPEC_SY = 0;
layout(constant_id = POOL_SPEC_SZ) const int SPEC_SZ = 0;

ivec3 fixed_or(ivec3 spec, ivec3 pushed) {
  return ivec3(spec.x > 0 ? spec.x : pushed.x, spec.y > 0 ? spec.y : pushed.y, spec.z > 0 ? spec.z : pushed.z);
}

layout(std430, binding = 0) readonly buffer Src { TENSOR_T src[]; };
layout(std430, binding = 1) writeonly buffer Dst { TENSOR_T dst[]; };

void main() {
  const uint i = linear_invocation();
  if (i >= p.elements) return;
  const ivec3 out_size = fixed_or(ivec3(SPEC_OX, SPEC_OY, SPEC_OZ), p.dst_size.xyz), in_size = p.src_size.xyz;
  const ivec3 pool = fixed_or(ivec3(SPEC_KX, SPEC_KY, SPEC_KZ), p.pool);
  const ivec3 stride = fixed_or(ivec3(SPEC_SX, SPEC_SY, SPEC_SZ), p.strides);
  const uint ox = uint(out_size.x), oxy = ox * uint(out_size.y);
  const ivec3 o = ivec3(int(i % ox), int((i / ox) % uint(out_size.y)), int((i / oxy) % uint(out_size.z)));
  const uint plane = i / (oxy * uint(out_size.z));

  const ivec3 start = o * stride - p.offset;
  const ivec3 lo = max(start, ivec3(0)), hi = min(start + pool, in_size);
  const uint row_len = uint(in_size.x), slice_len = row_len * uint(in_size.y);
  const uint base = plane * slice_len * uint(in_size.z) + uint(lo.x);
  float acc = AVERAGE != 0 ? 0.0 : uintBitsToFloat(0xff800000u);  // -inf: every window holds a real element
  for (int z = lo.z; z < hi.z; ++z)
    for (int y = lo.y; y < hi.y; ++y) {
      const uint row = base + uint(z) * slice_len + uint(y) * row_len;
      for (int x = 0; x < hi.x - lo.x; ++x) {
        const float v = float(src[row + uint(x)]);
        acc = AVERAGE != 0 ? acc + v : max(acc, v);
      }
    }
  // The count in float: a window of a few billion elements would overflow an int product.
  if (AVERAGE != 0) acc /= float(hi.x - lo.x) * float(hi.y - lo.y) * float(hi.z - lo.z);
  dst[i] = TENSOR_T(acc);
}
