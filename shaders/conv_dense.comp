#version 450
// Dense convolution (one group, not transposed) with kernel size, strides and dilation baked
// in: the hot path of Conv1D/2D/3D, the pointwise half of SeparableConv and the Keras 1 forms.
//
// A workgroup computes 8 output channels for WORKGROUP_WIDTH lanes of PX consecutive output
// columns each, so a lane holds 8 x PX accumulators. Per input channel and tap, each lane of
// a subgroup loads the weight of one of the 8 output channels and subgroupBroadcast hands it
// to every lane: one load per subgroup feeds 8 x PX FMAs in each lane. The subgroup is the
// weight tile, with no shared memory or barriers: lavapipe runs a load whose address differs
// across lanes (shared memory included) as a loop over the lanes, and a broadcast costs two
// instructions, so on it this is far cheaper than staging weights in shared memory, and on
// a GPU a broadcast is a register shuffle. A row of input is read once per tap row and
// reused across the kernel's columns (seg below).
//
// The broadcasts need every lane active, so no lane leaves early and taps outside the input
// read a clamped address and contribute zero instead of branching.
#extension GL_GOOGLE_include_directive : require
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_ballot : require
#include "common.glsl"
#include "activation.glsl"
#include "conv_params.h"

layout(constant_id = 4) const int KX = 1;
layout(constant_id = 5) const int KY = 1;
layout(constant_id = 6) const int KZ = 1;
layout(constant_id = 7) const int SX = 1;
layout(constant_id = 8) const int SY = 1;
layout(constant_id = 9) const int SZ = 1;
layout(constant_id = 10) const int DX = 1;
layout(constant_id = 11) const int DY = 1;
layout(constant_id = 12) const int DZ = 1;

// 8 output channels x 4 columns per lane, in named variables: lavapipe keeps a local array
// in memory, and each access to it is as slow as a load from a buffer.
const int PX = 4;

layout(std430, binding = 0) readonly buffer Input { float x[]; };
// Packed [channel block][in channel][kz][ky][kx][8], zero beyond the output channels.
layout(std430, binding = 1) readonly buffer Weights { float w[]; };
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, binding = 3) writeonly buffer Output { float y[]; };

float input_at(int row, int c, bool row_in, int width) {
  const float v = x[row + clamp(c, 0, width - 1)];
  return row_in && c >= 0 && c < width ? v : 0.0;
}

// Input column c of the current tap row, zero outside the input. The load always happens, at
// a clamped address, and a select zeroes it: a load under a condition costs lavapipe a branch
// per lane.
#define INPUT(c) input_at(row, (c), row_in, I.x)
// Channel j's weight for this tap, from lane j, into its four accumulators.
#define CHANNEL(J) \
  { \
    const float wj = subgroupBroadcast(wl, J); \
    a##J.x = fma(wj, v0, a##J.x); a##J.y = fma(wj, v1, a##J.y); \
    a##J.z = fma(wj, v2, a##J.z); a##J.w = fma(wj, v3, a##J.w); \
  }
#define STORE(J) \
  if (block * 8 + J < cout) { \
    const int oc = block * 8 + J; \
    const int out_row = (((n * O.w + oc) * O.z + oz) * O.y + oy) * O.x + ox0; \
    const vec4 r = a##J; \
    for (int px = 0; px < PX; ++px) \
      if (ox0 + px < O.x) y[out_row + px] = activate(p.dilation.w, r[px]); \
  }

void main() {
  const ivec4 I = p.in_size, O = p.out_size, F = p.offset;
  const int cin = p.channels.x, cout = p.channels.y, x_blocks = p.channels.w;
  const uint pixel_groups = p.work.x, channel_blocks = p.work.y;

  const uint g = linear_group();
  const uint pix = (g % pixel_groups) * WORKGROUP_WIDTH + gl_LocalInvocationID.x;
  const int block = int((g / pixel_groups) % channel_blocks);
  const int n = int(g / (pixel_groups * channel_blocks));
  const int pixels = x_blocks * O.y * O.z;
  const bool live = int(pix) < pixels;
  const int q = live ? int(pix) : 0;  // lanes past the end compute a copy and store nothing
  const int ox0 = (q % x_blocks) * PX, oy = (q / x_blocks) % O.y, oz = q / (x_blocks * O.y);
  const uint lane = gl_SubgroupInvocationID % 8u;

  vec4 a0 = vec4(0.0), a1 = vec4(0.0), a2 = vec4(0.0), a3 = vec4(0.0);
  vec4 a4 = vec4(0.0), a5 = vec4(0.0), a6 = vec4(0.0), a7 = vec4(0.0);
  const int ix0 = ox0 * SX - F.x;
  for (int ic = 0; ic < cin; ++ic) {
    const int plane = (n * I.w + ic) * I.z;
    for (int tz = 0; tz < KZ; ++tz) {
      const int iz = oz * SZ - F.z + tz * DZ;
      const bool z_in = iz >= 0 && iz < I.z;
      for (int ty = 0; ty < KY; ++ty) {
        const int iy = oy * SY - F.y + ty * DY;
        const bool row_in = z_in && iy >= 0 && iy < I.y;
        const int row = ((plane + clamp(iz, 0, I.z - 1)) * I.y + clamp(iy, 0, I.y - 1)) * I.x;
        const int wrow = ((block * cin + ic) * KZ + tz) * KY + ty;
        // The four columns of tap 0; each later tap reloads them, or, at unit stride and
        // dilation, shifts them by one and loads one new column.
        float v0 = INPUT(ix0), v1 = INPUT(ix0 + SX), v2 = INPUT(ix0 + 2 * SX), v3 = INPUT(ix0 + 3 * SX);
        for (int tx = 0; tx < KX; ++tx) {
          if (tx > 0) {
            if (SX == 1 && DX == 1) {
              v0 = v1, v1 = v2, v2 = v3, v3 = INPUT(ix0 + 3 + tx);
            } else {
              const int c = ix0 + tx * DX;
              v0 = INPUT(c), v1 = INPUT(c + SX), v2 = INPUT(c + 2 * SX), v3 = INPUT(c + 3 * SX);
            }
          }
          const float wl = w[(wrow * KX + tx) * 8 + int(lane)];
          CHANNEL(0) CHANNEL(1) CHANNEL(2) CHANNEL(3) CHANNEL(4) CHANNEL(5) CHANNEL(6) CHANNEL(7)
        }
      }
    }
  }

  // Each lane loads one channel's bias; broadcasts need every lane, so they come before any leaves.
  const float bl = bias[min(block * 8 + int(lane), cout - 1)];
  a0 += subgroupBroadcast(bl, 0), a1 += subgroupBroadcast(bl, 1), a2 += subgroupBroadcast(bl, 2);
  a3 += subgroupBroadcast(bl, 3), a4 += subgroupBroadcast(bl, 4), a5 += subgroupBroadcast(bl, 5);
  a6 += subgroupBroadcast(bl, 6), a7 += subgroupBroadcast(bl, 7);
  if (!live) return;
  STORE(0) STORE(1) STORE(2) STORE(3) STORE(4) STORE(5) STORE(6) STORE(7)
}
