#version 450
// Cropping, ZeroPadding and UpSampling in 1D, 2D and 3D: each output element reads the
// input at a remapped position. Per axis the map is nearest, floor((o + offset) / factor)
// with zeros outside the input (crop: offset > 0, pad: offset < 0, upsample: factor > 1), or
// linear with half-pixel centres, src = (o + 0.5) / factor - 0.5 clamped at 0, as
// tf.image.resize and PyTorch's align_corners=False.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "remap_params.h"
#include "tensor_type.glsl"

// Output sizes, factors and the linear-axes mask baked in where the engine specialises
// geometry (0, or -1 for the mask, means "read the push constants"): the index maths then
// divides by constants, which compile to multiplies, and nearest-only maps skip the corner
// loop. lavapipe has no vector integer division and splits one into a division per lane.
layout(constant_id = REMAP_SPEC_OX) const int SPEC_OX = 0;
layout(constant_id = REMAP_SPEC_OY) const int SPEC_OY = 0;
layout(constant_id = REMAP_SPEC_OZ) const int SPEC_OZ = 0;
layout(constant_id = REMAP_SPEC_FX) const int SPEC_FX = 0;
layout(constant_id = REMAP_SPEC_FY) const int SPEC_FY = 0;
layout(constant_id = REMAP_SPEC_FZ) const int SPEC_FZ = 0;
layout(constant_id = REMAP_SPEC_LINEAR) const int SPEC_LINEAR = -1;

ivec3 fixed_or(ivec3 spec, ivec3 pushed) {
  return ivec3(spec.x > 0 ? spec.x : pushed.x, spec.y > 0 ? spec.y : pushed.y, spec.z > 0 ? spec.z : pushed.z);
}

layout(std430, binding = 0) readonly buffer Src { TENSOR_T src[]; };
layout(std430, binding = 1) writeonly buffer Dst { TENSOR_T dst[]; };

void main() {
  const uint i = linear_invocation();
  if (i >= p.elements) return;
  const ivec3 out_size = fixed_or(ivec3(SPEC_OX, SPEC_OY, SPEC_OZ), p.dst_size.xyz), in_size = p.src_size.xyz;
  const ivec3 factor = fixed_or(ivec3(SPEC_FX, SPEC_FY, SPEC_FZ), p.factor);
  const int linear = SPEC_LINEAR >= 0 ? SPEC_LINEAR : p.linear;
  const ivec3 o = ivec3(int(i % uint(out_size.x)), int((i / uint(out_size.x)) % uint(out_size.y)),
                        int((i / uint(out_size.x * out_size.y)) % uint(out_size.z)));
  const int plane = int(i / uint(out_size.x * out_size.y * out_size.z));

  ivec3 lo, hi;
  vec3 lambda = vec3(0.0);
  bool inside = true;
  for (int a = 0; a < 3; ++a) {
    if ((linear & (1 << a)) != 0) {
      const float s = max((float(o[a]) + 0.5) / float(factor[a]) - 0.5, 0.0);
      const int base = int(floor(s));
      lambda[a] = s - float(base);
      lo[a] = min(base, in_size[a] - 1);
      hi[a] = min(base + 1, in_size[a] - 1);
    } else {
      const int num = o[a] + p.offset[a];
      lo[a] = hi[a] = num >= 0 ? num / factor[a] : -1;  // a negative numerator is outside
      inside = inside && lo[a] >= 0 && lo[a] < in_size[a];
    }
  }
  float v = 0.0;
  if (linear == 0) {
    // Nearest on every axis: one read.
    if (inside) v = float(src[((plane * in_size.z + lo.z) * in_size.y + lo.y) * in_size.x + lo.x]);
  } else if (inside) {
    // The corners of the cell, weighted; nearest axes have lambda 0, so their far corners drop out.
    for (int c = 0; c < 8; ++c) {
      const bvec3 far = bvec3((c & 1) != 0, (c & 2) != 0, (c & 4) != 0);
      const vec3 wv = mix(vec3(1.0) - lambda, lambda, far);
      const float w = wv.x * wv.y * wv.z;
      if (w == 0.0) continue;
      const ivec3 s = mix(lo, hi, far);
      v += w * float(src[((plane * in_size.z + s.z) * in_size.y + s.y) * in_size.x + s.x]);
    }
  }
  dst[i] = TENSOR_T(v);
}
