// Push constants of check_quotient.comp, the test shader of common.glsl's quotient().
#ifndef CONVSCOPE_CHECK_QUOTIENT_PARAMS_H
#define CONVSCOPE_CHECK_QUOTIENT_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(QuotientParams) {
  uint count;  // of (a, b) pairs
  uint pad0, pad1, pad2;
} CS_PUSH_INSTANCE;
CS_END

#endif
