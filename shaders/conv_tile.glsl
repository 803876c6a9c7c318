// What conv_dense.comp and conv_depthwise.comp share: baked-or-pushed geometry, the tile a
// lane computes (2 output rows x PX columns), index maths without integer division
// (quotient(), common.glsl), and input loads that never branch. Include after the Input buffer `x` and the ConvParams block.
#ifndef CONVSCOPE_CONV_TILE_GLSL
#define CONVSCOPE_CONV_TILE_GLSL

// Kernel size, strides and dilation, baked in where the engine specialises geometry, else
// -1: read the push constants (the app, where a pipeline per slider step would cost more).
layout(constant_id = CONV_SPEC_KX) const int SPEC_KX = -1;
layout(constant_id = CONV_SPEC_KY) const int SPEC_KY = -1;
layout(constant_id = CONV_SPEC_KZ) const int SPEC_KZ = -1;
layout(constant_id = CONV_SPEC_SX) const int SPEC_SX = -1;
layout(constant_id = CONV_SPEC_SY) const int SPEC_SY = -1;
layout(constant_id = CONV_SPEC_SZ) const int SPEC_SZ = -1;
layout(constant_id = CONV_SPEC_DX) const int SPEC_DX = -1;
layout(constant_id = CONV_SPEC_DY) const int SPEC_DY = -1;
layout(constant_id = CONV_SPEC_DZ) const int SPEC_DZ = -1;

// Output columns per lane. Accumulators live in named vec4s: lavapipe keeps a local array in
// memory, and each access to it is as slow as a load from a buffer.
const int PX = 4;

// I, O, F (input size, output size, padding offset) and the kernel's K, S, D per axis.
#define CONV_GEOMETRY \
  const ivec4 I = p.in_size, O = p.out_size; const ivec3 F = p.offset; \
  const int KX = SPEC_KX >= 0 ? SPEC_KX : p.kernel.x, KY = SPEC_KY >= 0 ? SPEC_KY : p.kernel.y; \
  const int KZ = SPEC_KZ >= 0 ? SPEC_KZ : p.kernel.z, SX = SPEC_SX >= 0 ? SPEC_SX : p.stride.x; \
  const int SY = SPEC_SY >= 0 ? SPEC_SY : p.stride.y, SZ = SPEC_SZ >= 0 ? SPEC_SZ : p.stride.z; \
  const int DX = SPEC_DX >= 0 ? SPEC_DX : p.dilation.x, DY = SPEC_DY >= 0 ? SPEC_DY : p.dilation.y; \
  const int DZ = SPEC_DZ >= 0 ? SPEC_DZ : p.dilation.z;

// The (x, y, z) output origin of tile q of a grid x_blocks wide and row_pairs high.
ivec3 tile_origin(int q, int x_blocks, int row_pairs) {
  const int qx = quotient(q, x_blocks), qy = quotient(qx, row_pairs);
  return ivec3((q - qx * x_blocks) * PX, (qx - qy * row_pairs) * 2, qy);
}

float input_at(int row, int c, bool row_in, int width) {
  const float v = float(x[row + clamp(c, 0, width - 1)]);
  return row_in && c >= 0 && c < width ? v : 0.0;
}

// Input column c of the current tap row, zero outside the input. The load always happens, at
// a clamped address, and a select zeroes it: a load under a condition costs lavapipe a branch
// per lane.
#define INPUT(c) input_at(row, (c), row_in, I.x)
#define INPUT1(c) input_at(row1, (c), row1_in, I.x)

#endif
