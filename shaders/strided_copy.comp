#version 450
// dst[box index through dst strides] = src[box index through src strides]: transposes
// (Flatten of a channels_last tensor, Permute), repeats (RepeatVector, strides 0), slices
// into a larger tensor (Concatenate), plain copies (the inference identities). Each
// invocation copies one element of the box.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "strided_copy_params.h"
#include "tensor_type.glsl"

layout(std430, binding = 0) readonly buffer Src { TENSOR_T src[]; };
layout(std430, binding = 1) writeonly buffer Dst { TENSOR_T dst[]; };

void main() {
  uint i = linear_invocation();
  if (i >= p.elements) return;
  const uint dims[8] = uint[8](p.dims_lo.x, p.dims_lo.y, p.dims_lo.z, p.dims_lo.w,
                               p.dims_hi.x, p.dims_hi.y, p.dims_hi.z, p.dims_hi.w);
  const uint ss[8] = uint[8](p.src_strides_lo.x, p.src_strides_lo.y, p.src_strides_lo.z, p.src_strides_lo.w,
                             p.src_strides_hi.x, p.src_strides_hi.y, p.src_strides_hi.z, p.src_strides_hi.w);
  const uint ds[8] = uint[8](p.dst_strides_lo.x, p.dst_strides_lo.y, p.dst_strides_lo.z, p.dst_strides_lo.w,
                             p.dst_strides_hi.x, p.dst_strides_hi.y, p.dst_strides_hi.z, p.dst_strides_hi.w);
  uint s = p.src_offset, d = p.dst_offset;
  for (int a = 0; a < 8; ++a) {
    if (dims[a] == 1u) continue;  // unused axes: no division
    const uint q = i / dims[a], r = i - q * dims[a];
    s += r * ss[a];
    d += r * ds[a];
    i = q;
  }
  dst[d] = src[s];
}
