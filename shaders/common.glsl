#ifndef CONVSCOPE_COMMON_GLSL
#define CONVSCOPE_COMMON_GLSL

#include "spec_ids.h"

// The workgroup width is a specialization constant, which every pipeline sets (vk/pipeline.h).
// The shader reads it through WORKGROUP_WIDTH, not gl_WorkGroupSize: spirv-opt 2022.4 folds
// gl_WorkGroupSize.x to its unspecialised default of 1.
layout(local_size_x_id = SPEC_WORKGROUP_WIDTH) in;
layout(constant_id = SPEC_WORKGROUP_WIDTH) const uint WORKGROUP_WIDTH = 64;

// Grids are folded into up to three dimensions to stay under maxComputeWorkGroupCount
// (vk/sequence.h, fold_groups); this recovers the linear workgroup index.
uint linear_group() {
  return gl_WorkGroupID.x + gl_NumWorkGroups.x * (gl_WorkGroupID.y + gl_NumWorkGroups.y * gl_WorkGroupID.z);
}

uint linear_invocation() { return linear_group() * WORKGROUP_WIDTH + gl_LocalInvocationID.x; }

// a / b for 0 <= a < 2^31 and 0 < b, without integer division: lavapipe has no vector
// instruction for it and divides lane by lane, tens of cycles each. The float quotient is
// within a few hundred of the true one (Vulkan allows division 2.5 ulp, and a large a rounds
// when converted); a second one on the now small remainder lands within one; the last step
// settles it. tests/test_vk.cpp checks it against integer division up to 2^31 - 1.
int quotient(int a, int b) {
  const float fb = float(b);
  int q = int(float(a) / fb);
  q += int(floor(float(a - q * b) / fb));
  const int r = a - q * b;
  return q + (r >= b ? 1 : 0) - (r < 0 ? 1 : 0);
}

#endif
