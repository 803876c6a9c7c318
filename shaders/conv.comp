#version 450
// One convolution core for Conv1D/2D/3D (grouped, depthwise) and their transposes.
// Each invocation computes a register block of OC_BLOCK output channels x PX_BLOCK
// consecutive output columns, so every input value loaded feeds OC_BLOCK FMAs and every
// weight PX_BLOCK. Transposed convolution is the gather form: an output position sums the
// inputs i with i*stride + t*dilation - offset == o.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "conv_params.h"
#include "tensor_type.glsl"
#include "activation_stage.glsl"

layout(constant_id = CONV_SPEC_OC_BLOCK) const int OC_BLOCK = 4;
layout(constant_id = CONV_SPEC_PX_BLOCK) const int PX_BLOCK = 4;
layout(constant_id = CONV_SPEC_TRANSPOSED) const bool TRANSPOSED = false;
// Kernel size, stride and dilation per axis (x, y, z), baked in when the pipeline is built
// so loops have constant bounds and index maths folds; 0 means "read the push constants",
// for interactive use where rebuilding a pipeline per slider step would cost more.
layout(constant_id = CONV_SPEC_KX) const int SPEC_KX = 0;
layout(constant_id = CONV_SPEC_KY) const int SPEC_KY = 0;
layout(constant_id = CONV_SPEC_KZ) const int SPEC_KZ = 0;
layout(constant_id = CONV_SPEC_SX) const int SPEC_SX = 0;
layout(constant_id = CONV_SPEC_SY) const int SPEC_SY = 0;
layout(constant_id = CONV_SPEC_SZ) const int SPEC_SZ = 0;
layout(constant_id = CONV_SPEC_DX) const int SPEC_DX = 0;
layout(constant_id = CONV_SPEC_DY) const int SPEC_DY = 0;
layout(constant_id = CONV_SPEC_DZ) const int SPEC_DZ = 0;

ivec3 fixed_or(ivec3 spec, ivec3 pushed) { return ivec3(spec.x > 0 ? spec.x : pushed.x, spec.y > 0 ? spec.y : pushed.y, spec.z > 0 ? spec.z : pushed.z); }

layout(std430, binding = 0) readonly buffer Input { TENSOR_T x[]; };
// Packed [block][in per group][kz][ky][kx][OC_BLOCK], zero beyond the group's channels.
layout(std430, binding = 1) readonly buffer Weights { float w[]; };
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, binding = 3) writeonly buffer Output { TENSOR_T y[]; };

// Input index along one axis for output o and tap t, or -1 when it is padding / unreached.
int source(int o, int t, int axis_len, int s, int d, int off) {
  if (!TRANSPOSED) {
    const int i = o * s - off + t * d;
    return i >= 0 && i < axis_len ? i : -1;
  }
  const int num = o + off - t * d;  // = i * s
  if (num < 0 || num % s != 0) return -1;  // GLSL leaves % of negatives undefined: test first
  const int i = num / s;
  return i < axis_len ? i : -1;
}

void main() {
  const uint id = linear_invocation();
  if (id >= p.invocations) return;
  const ivec4 I = p.in_size, O = p.out_size;
  const ivec3 F = p.offset;
  const ivec3 K = fixed_or(ivec3(SPEC_KX, SPEC_KY, SPEC_KZ), p.kernel);
  const ivec3 S = fixed_or(ivec3(SPEC_SX, SPEC_SY, SPEC_SZ), p.stride);
  const ivec3 D = fixed_or(ivec3(SPEC_DX, SPEC_DY, SPEC_DZ), p.dilation);
  const int groups = p.groups;  // the activation is activate.comp's pass
  const int cin_g = p.in_per_group, cout_g = p.out_per_group, blocks_g = p.channel_blocks, x_blocks = p.x_blocks;

  int rest = int(id);
  const int xb = rest % x_blocks; rest /= x_blocks;
  const int oy = rest % O.y; rest /= O.y;
  const int oz = rest % O.z; rest /= O.z;
  const int block = rest % (groups * blocks_g); rest /= groups * blocks_g;
  const int n = rest;
  const int g = block / blocks_g;
  const int oc0 = (block % blocks_g) * OC_BLOCK;  // within the group
  const int ox0 = xb * PX_BLOCK;

  float acc[OC_BLOCK * PX_BLOCK];
  for (int i = 0; i < OC_BLOCK * PX_BLOCK; ++i) acc[i] = 0.0;

  for (int ic = 0; ic < cin_g; ++ic) {
    const int plane = (n * I.w + g * cin_g + ic) * I.z;
    for (int tz = 0; tz < K.z; ++tz) {
      const int iz = source(oz, tz, I.z, S.z, D.z, F.z);
      if (iz < 0) continue;
      for (int ty = 0; ty < K.y; ++ty) {
        const int iy = source(oy, ty, I.y, S.y, D.y, F.y);
        if (iy < 0) continue;
        const int row = ((plane + iz) * I.y + iy) * I.x;
        const int wrow = (((block * cin_g + ic) * K.z + tz) * K.y + ty) * K.x;
        for (int tx = 0; tx < K.x; ++tx) {
          float wv[OC_BLOCK];
          for (int j = 0; j < OC_BLOCK; ++j) wv[j] = w[(wrow + tx) * OC_BLOCK + j];
          for (int px = 0; px < PX_BLOCK; ++px) {
            const int ix = source(ox0 + px, tx, I.x, S.x, D.x, F.x);
            const float v = ix >= 0 ? float(x[row + ix]) : 0.0;
            for (int j = 0; j < OC_BLOCK; ++j) acc[j * PX_BLOCK + px] += wv[j] * v;
          }
        }
      }
    }
  }

  for (int j = 0; j < OC_BLOCK; ++j) {
    const int oc = oc0 + j;
    if (oc >= cout_g) break;
    const int c = g * cout_g + oc;
    const int out_row = (((n * O.w + c) * O.z + oz) * O.y + oy) * O.x;
    for (int px = 0; px < PX_BLOCK; ++px) {
      const int ox = ox0 + px;
      if (ox >= O.x) break;
      y[out_row + ox] = TENSOR_T(stage_activation(acc[j * PX_BLOCK + px] + bias[c]));
    }
  }
}
