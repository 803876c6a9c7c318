#version 450
// Not a layer: the device's peak rate of fused multiply-adds, the ceiling `convscope bench`
// reads convolution rates against. Each invocation runs eight independent vec4 chains, so
// the FMA units are never waiting on the previous result's latency, and writes one float
// that depends on all of them, so the compiler can drop none of the work.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "peak_fma_params.h"

layout(std430, binding = 0) writeonly buffer Out { float dst[]; };

// One step: 8 chains x 4 lanes = 32 scalar fmas. The loop body holds 8 steps, unrolled by
// hand rather than trusting the optimiser (PEAK_FMA_PER_ITERATION = 256).
#define STEP                                                                                    \
  a0 = fma(a0, m, b); a1 = fma(a1, m, b); a2 = fma(a2, m, b); a3 = fma(a3, m, b);                \
  a4 = fma(a4, m, b); a5 = fma(a5, m, b); a6 = fma(a6, m, b); a7 = fma(a7, m, b);

void main() {
  const uint i = linear_invocation();
  const vec4 m = vec4(p.coeffs.x), b = vec4(p.coeffs.y);
  // Seeds differ per invocation and per chain, so no two chains are provably equal.
  const vec4 s = vec4(float(i & 1023u) * 1e-3) + vec4(0.0, 0.1, 0.2, 0.3);
  vec4 a0 = s, a1 = s + 1.0, a2 = s + 2.0, a3 = s + 3.0, a4 = s + 4.0, a5 = s + 5.0, a6 = s + 6.0, a7 = s + 7.0;
  for (uint k = 0u; k < p.work.y; ++k) {
    STEP STEP STEP STEP STEP STEP STEP STEP
  }
  if (i < p.work.x) dst[i] = dot((a0 + a1) + (a2 + a3) + (a4 + a5) + (a6 + a7), vec4(1.0));
}
