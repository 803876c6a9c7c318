// Push constants of sum_rows.comp: the last step of the chunked reductions.
#ifndef CONVSCOPE_SUM_ROWS_PARAMS_H
#define CONVSCOPE_SUM_ROWS_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(SumRowsParams) {
  int rows;   // summed per segment
  int width;  // of a row: the columns each segment sums separately
  uint invocations;  // segments x width
  uint pad0;
} CS_PUSH_INSTANCE;
CS_END

#endif
