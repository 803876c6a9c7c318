// Push constants of strided_copy.comp: a box of up to 8 axes copied between two buffers,
// each side with its own strides.
#ifndef CONVSCOPE_STRIDED_COPY_PARAMS_H
#define CONVSCOPE_STRIDED_COPY_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(StridedCopyParams) {
  // The box's sizes, innermost first: axes 0-3 in .xyzw of the first vector, 4-7 the second.
  // Unused axes have size 1.
  uvec4 dims_lo, dims_hi;
  uvec4 src_strides_lo, src_strides_hi;  // elements per step along each axis; 0 repeats
  uvec4 dst_strides_lo, dst_strides_hi;
  uint src_offset;
  uint dst_offset;
  uint elements;  // the box's element count
  uint pad0;
} CS_PUSH_INSTANCE;
CS_END

#endif
