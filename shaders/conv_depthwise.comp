#version 450
// Depthwise convolution (groups = input channels, any depth multiplier): DepthwiseConv1D/2D
// and the depthwise half of SeparableConv. A workgroup computes one output channel; each lane
// a tile of 2 rows x PX columns of it. An input row is read once per tap row and, at unit
// stride, shifted across the kernel's columns, so a 5x5 kernel costs a lane 2 x 8 loads per
// tap row for 40 FMAs, where one invocation per output would load 25 values for 25.
// The activation is left to activate.comp.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "conv_params.h"
#include "tensor_type.glsl"
#include "activation_stage.glsl"

layout(std430, binding = 0) readonly buffer Input { TENSOR_T x[]; };
// The core's own layout: [output channel][kz][ky][kx].
layout(std430, binding = 1) readonly buffer Weights { float w[]; };
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, binding = 3) writeonly buffer Output { TENSOR_T y[]; };

#include "conv_tile.glsl"

#define TAP(TX) \
  { \
    const float wv = w[wrow * KX + (TX)]; \
    a = fma(vec4(wv), vec4(v0, v1, v2, v3), a); \
    b = fma(vec4(wv), vec4(u0, u1, u2, u3), b); \
  }

void main() {
  CONV_GEOMETRY
  const int multiplier = p.out_per_group, x_blocks = p.x_blocks;
  const uint pixel_groups = p.pixel_groups;
  const int cout = O.w;

  const uint g = linear_group();
  const int gq = quotient(int(g), int(pixel_groups));
  const int pix = (int(g) - gq * int(pixel_groups)) * int(WORKGROUP_WIDTH) + int(gl_LocalInvocationID.x);
  const int n = quotient(gq, cout);
  const int oc = gq - n * cout;
  const int ic = quotient(oc, multiplier);
  if (pix >= x_blocks * ((O.y + 1) / 2) * O.z) return;  // no broadcasts here: lanes may leave
  const ivec3 origin = tile_origin(pix, x_blocks, (O.y + 1) / 2);
  const int ox0 = origin.x, oy = origin.y, oz = origin.z;

  vec4 a = vec4(0.0), b = vec4(0.0);
  const int ix0 = ox0 * SX - F.x;
  const int plane = (n * I.w + ic) * I.z;
  for (int tz = 0; tz < KZ; ++tz) {
    const int iz = oz * SZ - F.z + tz * DZ;
    const bool z_in = iz >= 0 && iz < I.z;
    for (int ty = 0; ty < KY; ++ty) {
      const int iy = oy * SY - F.y + ty * DY, iy1 = iy + SY;
      const bool row_in = z_in && iy >= 0 && iy < I.y, row1_in = z_in && iy1 >= 0 && iy1 < I.y;
      const int row = ((plane + clamp(iz, 0, I.z - 1)) * I.y + clamp(iy, 0, I.y - 1)) * I.x;
      const int row1 = ((plane + clamp(iz, 0, I.z - 1)) * I.y + clamp(iy1, 0, I.y - 1)) * I.x;
      const int wrow = (oc * KZ + tz) * KY + ty;
      // As in conv_dense.comp: the shift needs unit stride and dilation known at compile time.
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

  const float bv = bias[oc];
  for (int r = 0; r < 2; ++r) {
    if (oy + r >= O.y) break;
    const vec4 acc = (r == 0 ? a : b) + bv;
    const int out_row = (((n * cout + oc) * O.z + oz) * O.y + oy + r) * O.x + ox0;
    for (int px = 0; px < PX; ++px)
      if (ox0 + px < O.x) y[out_row + px] = TENSOR_T(stage_activation(acc[px]));
  }
}
