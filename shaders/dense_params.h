// Push constants of dense.comp: Dense on one axis of a canonical tensor, seen as
// (outer, features, inner) with the features the Keras last axis.
#ifndef CONVSCOPE_DENSE_PARAMS_H
#define CONVSCOPE_DENSE_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(DenseParams) {
  uint outer;     // elements before the axis (batch and the axes outside it)
  uint features;  // the input's size on the axis: the kernel's rows
  uint inner;     // elements after the axis in canonical order: D * H * W when it is C
  uint units;     // the output's size on the axis: the kernel's columns
  uint has_bias;
  uint pad0, pad1, pad2;
} CS_PUSH_INSTANCE;
CS_END

#endif
