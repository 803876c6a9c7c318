#ifndef CONVSCOPE_COMMON_GLSL
#define CONVSCOPE_COMMON_GLSL

// The workgroup width is specialization constant 0 (vk/pipeline.h). The shader reads it
// through WORKGROUP_WIDTH, not gl_WorkGroupSize: spirv-opt 2022.4 folds gl_WorkGroupSize.x to
// its unspecialised default of 1.
layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WORKGROUP_WIDTH = 64;

// Grids are folded into up to three dimensions to stay under maxComputeWorkGroupCount
// (vk/sequence.h, fold_groups); this recovers the linear workgroup index.
uint linear_group() {
  return gl_WorkGroupID.x + gl_NumWorkGroups.x * (gl_WorkGroupID.y + gl_NumWorkGroups.y * gl_WorkGroupID.z);
}

uint linear_invocation() { return linear_group() * WORKGROUP_WIDTH + gl_LocalInvocationID.x; }

#endif
