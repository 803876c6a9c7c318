// Push constants of peak_fma.comp, the FMA ceiling of `convscope bench` (engine/run/ceilings.cpp).
#ifndef CONVSCOPE_PEAK_FMA_PARAMS_H
#define CONVSCOPE_PEAK_FMA_PARAMS_H
#include "glsl_cpp.h"

// Scalar fmas one invocation does per loop iteration: peak_fma.comp's body is 21 steps of
// 3 vec4 chains. Change both together.
#define PEAK_FMA_PER_ITERATION 252

CS_BEGIN
CS_PUSH_CONSTANTS(PeakFmaParams) {
  // (m, b, 0, 0): every step is acc = fma(acc, m, b). Pushed rather than written in the
  // shader so the compiler cannot fold the chains; with 0 < m < 1 they stay near b / (1 - m).
  vec4 coeffs;
  uvec4 work;  // (invocations, loop iterations, 0, 0)
} CS_PUSH_INSTANCE;
CS_END

#endif
