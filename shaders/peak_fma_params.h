// Push constants of peak_fma.comp, the FMA ceiling of `convscope bench` (engine/run/ceilings.cpp).
#ifndef CONVSCOPE_PEAK_FMA_PARAMS_H
#define CONVSCOPE_PEAK_FMA_PARAMS_H
#include "glsl_cpp.h"

// Scalar fmas one invocation does per loop iteration: peak_fma.comp's body is 21 steps of
// 3 vec4 chains. Change both together.
#define PEAK_FMA_PER_ITERATION 252

CS_BEGIN
CS_PUSH_CONSTANTS(PeakFmaParams) {
  // Every step is acc = fma(acc, factor, addend). Pushed rather than written in the shader so
  // the compiler cannot fold the chains; with 0 < factor < 1 they stay near addend / (1 - factor).
  float factor;
  float addend;
  uint invocations;  // that write their result
  uint iterations;   // of the loop
} CS_PUSH_INSTANCE;
CS_END

#endif
