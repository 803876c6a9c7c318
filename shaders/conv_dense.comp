#version 450
// Dense convolution (one group): the hot path of Conv1D/2D/3D, their transposes (one pass
// per stride phase), the pointwise half of SeparableConv and the Keras 1 forms.
//
// A workgroup computes 8 output channels for WORKGROUP_WIDTH lanes, each lane a tile of
// 2 rows x PX columns, so a lane holds 8 x 2 x PX accumulators. Per input channel and tap,
// lane j of a subgroup loads channel j's weight and subgroupBroadcast hands it to every lane:
// one load per subgroup feeds 64 FMAs in each lane. The subgroup is the weight tile, with no
// shared memory or barriers: lavapipe runs a load whose address differs across lanes (shared
// memory included) as a loop over the lanes, and a broadcast costs two instructions, so on it
// this is far cheaper than staging weights in shared memory, and on a GPU a broadcast is a
// register shuffle. An input row is read once per tap row and, at unit stride, shifted
// across the kernel's columns.
//
// The activation is left to activate.comp (see there why).
//
// The broadcasts need every lane active, so no lane leaves early and taps outside the input
// read a clamped address and contribute zero instead of branching.
#extension GL_GOOGLE_include_directive : require
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_ballot : require
#include "common.glsl"
#include "conv_params.h"
#include "tensor_type.glsl"
#include "activation_stage.glsl"

// A transposed convolution runs as one pass per stride phase: a dense convolution whose
// output lands at every OS-th position of the real output, starting at R.
layout(constant_id = CONV_SPEC_OSX) const int OSX = 1;
layout(constant_id = CONV_SPEC_OSY) const int OSY = 1;
layout(constant_id = CONV_SPEC_OSZ) const int OSZ = 1;
layout(constant_id = CONV_SPEC_RX) const int RX = 0;
layout(constant_id = CONV_SPEC_RY) const int RY = 0;
layout(constant_id = CONV_SPEC_RZ) const int RZ = 0;

// 8 output channels x 2 rows x 4 columns per lane (PX, conv_tile.glsl).

layout(std430, binding = 0) readonly buffer Input { TENSOR_T x[]; };
// Packed [channel block][in channel][kz][ky][kx][8], zero beyond the output channels.
layout(std430, binding = 1) readonly buffer Weights { float w[]; };
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, binding = 3) writeonly buffer Output { TENSOR_T y[]; };

#include "conv_tile.glsl"

// Channel j's weight for this tap, from lane j, into its four accumulators.
#define CHANNEL(J) \
  { \
    const float wj = subgroupBroadcast(wl, J); \
    a##J.x = fma(wj, v0, a##J.x); a##J.y = fma(wj, v1, a##J.y); \
    a##J.z = fma(wj, v2, a##J.z); a##J.w = fma(wj, v3, a##J.w); \
    b##J.x = fma(wj, u0, b##J.x); b##J.y = fma(wj, u1, b##J.y); \
    b##J.z = fma(wj, u2, b##J.z); b##J.w = fma(wj, u3, b##J.w); \
  }
// Output (oz, OY, ox) of this pass lands at (oz, OY, ox) * OS + R of the real output T.
// Tap tx of the current row: each lane loads one channel's weight, all 8 are broadcast.
#define TAP(TX) \
  { \
    const float wl = w[(wrow * KX + (TX)) * 8 + int(lane)]; \
    CHANNEL(0) CHANNEL(1) CHANNEL(2) CHANNEL(3) CHANNEL(4) CHANNEL(5) CHANNEL(6) CHANNEL(7) \
  }
#define STORE(J, ACC, OY) \
  if (block * 8 + J < cout && OY < O.y) { \
    const int oc = block * 8 + J; \
    const int out_row = (((n * O.w + oc) * T.z + oz * OSZ + RZ) * T.y + (OY) * OSY + RY) * T.x + RX; \
    const vec4 r = ACC##J; \
    for (int px = 0; px < PX; ++px) \
      if (ox0 + px < O.x) y[out_row + (ox0 + px) * OSX] = TENSOR_T(stage_activation(r[px])); \
  }

void main() {
  CONV_GEOMETRY
  const ivec3 T = p.real_out_size;
  const int cin = p.in_per_group, cout = p.out_per_group, x_blocks = p.x_blocks;
  const uint pixel_groups = p.pixel_groups, channel_blocks = uint(p.channel_blocks);

  const uint g = linear_group();
  const int gq = quotient(int(g), int(pixel_groups));
  const uint pix = uint(int(g) - gq * int(pixel_groups)) * WORKGROUP_WIDTH + gl_LocalInvocationID.x;
  const int n = quotient(gq, int(channel_blocks));
  const int block = gq - n * int(channel_blocks);
  const int pixels = x_blocks * ((O.y + 1) / 2) * O.z;
  const bool live = int(pix) < pixels;
  const int q = live ? int(pix) : 0;  // lanes past the end compute a copy and store nothing
  const ivec3 origin = tile_origin(q, x_blocks, (O.y + 1) / 2);
  const int ox0 = origin.x, oy = origin.y, oz = origin.z;
  const uint lane = gl_SubgroupInvocationID % 8u;

  vec4 a0 = vec4(0.0), a1 = vec4(0.0), a2 = vec4(0.0), a3 = vec4(0.0);
  vec4 a4 = vec4(0.0), a5 = vec4(0.0), a6 = vec4(0.0), a7 = vec4(0.0);
  vec4 b0 = vec4(0.0), b1 = vec4(0.0), b2 = vec4(0.0), b3 = vec4(0.0);
  vec4 b4 = vec4(0.0), b5 = vec4(0.0), b6 = vec4(0.0), b7 = vec4(0.0);
  const int ix0 = ox0 * SX - F.x;
  for (int ic = 0; ic < cin; ++ic) {
    const int plane = (n * I.w + ic) * I.z;
    for (int tz = 0; tz < KZ; ++tz) {
      const int iz = oz * SZ - F.z + tz * DZ;
      const bool z_in = iz >= 0 && iz < I.z;
      for (int ty = 0; ty < KY; ++ty) {
        const int iy = oy * SY - F.y + ty * DY, iy1 = iy + SY;
        const bool row_in = z_in && iy >= 0 && iy < I.y, row1_in = z_in && iy1 >= 0 && iy1 < I.y;
        const int row = ((plane + clamp(iz, 0, I.z - 1)) * I.y + clamp(iy, 0, I.y - 1)) * I.x;
        const int row1 = ((plane + clamp(iz, 0, I.z - 1)) * I.y + clamp(iy1, 0, I.y - 1)) * I.x;
        const int wrow = ((block * cin + ic) * KZ + tz) * KY + ty;
        // At unit stride and dilation (known when baked) tap tx's columns are tap tx-1's
        // shifted by one: one new load per row. Otherwise each tap loads its four; the test is
        // on the specialization constants so a pushed geometry runs one path, not both: lavapipe
        // executes both sides of a branch it cannot fold.
        if (SPEC_SX == 1 && SPEC_DX == 1) {
          float v0 = INPUT(ix0), v1 = INPUT(ix0 + 1), v2 = INPUT(ix0 + 2), v3 = INPUT(ix0 + 3);
          float u0 = INPUT1(ix0), u1 = INPUT1(ix0 + 1), u2 = INPUT1(ix0 + 2), u3 = INPUT1(ix0 + 3);
          for (int tx = 0; tx < KX; ++tx) {
            if (tx > 0) {
              v0 = v1, v1 = v2, v2 = v3, v3 = INPUT(ix0 + 3 + tx);
              u0 = u1, u1 = u2, u2 = u3, u3 = INPUT1(ix0 + 3 + tx);
            }
            TAP(tx)
          }
        } else {
          for (int tx = 0; tx < KX; ++tx) {
            const int c = ix0 + tx * DX;
            const float v0 = INPUT(c), v1 = INPUT(c + SX), v2 = INPUT(c + 2 * SX), v3 = INPUT(c + 3 * SX);
            const float u0 = INPUT1(c), u1 = INPUT1(c + SX), u2 = INPUT1(c + 2 * SX), u3 = INPUT1(c + 3 * SX);
            TAP(tx)
          }
        }
      }
    }
  }

  // Each lane loads one channel's bias; broadcasts need every lane, so they come before any leaves.
  const float bl = bias[min(block * 8 + int(lane), cout - 1)];
  a0 += subgroupBroadcast(bl, 0), a1 += subgroupBroadcast(bl, 1), a2 += subgroupBroadcast(bl, 2);
  a3 += subgroupBroadcast(bl, 3), a4 += subgroupBroadcast(bl, 4), a5 += subgroupBroadcast(bl, 5);
  a6 += subgroupBroadcast(bl, 6), a7 += subgroupBroadcast(bl, 7);
  b0 += subgroupBroadcast(bl, 0), b1 += subgroupBroadcast(bl, 1), b2 += subgroupBroadcast(bl, 2);
  b3 += subgroupBroadcast(bl, 3), b4 += subgroupBroadcast(bl, 4), b5 += subgroupBroadcast(bl, 5);
  b6 += subgroupBroadcast(bl, 6), b7 += subgroupBroadcast(bl, 7);
  if (!live) return;
  STORE(0, a, oy) STORE(1, a, oy) STORE(2, a, oy) STORE(3, a, oy)
  STORE(4, a, oy) STORE(5, a, oy) STORE(6, a, oy) STORE(7, a, oy)
  STORE(0, b, oy + 1) STORE(1, b, oy + 1) STORE(2, b, oy + 1) STORE(3, b, oy + 1)
  STORE(4, b, oy + 1) STORE(5, b, oy + 1) STORE(6, b, oy + 1) STORE(7, b, oy + 1)
}
