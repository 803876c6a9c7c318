// Specialization constant ids, each named once for GLSL (layout(constant_id = ...)) and C++
// (vk::SpecConstants::set). Ids need only be distinct within a shader; a pipeline given an
// id its shader does not declare is refused (vk/pipeline.h).
#ifndef CONVSCOPE_SPEC_IDS_H
#define CONVSCOPE_SPEC_IDS_H

// Every compute shader (common.glsl): the workgroup width.
#define SPEC_WORKGROUP_WIDTH 0

// conv.comp: its register block and direction.
#define CONV_SPEC_OC_BLOCK 1
#define CONV_SPEC_PX_BLOCK 2
#define CONV_SPEC_TRANSPOSED 3
// conv.comp and conv_tile.glsl: kernel size, stride and dilation per axis, when baked in.
#define CONV_SPEC_KX 4
#define CONV_SPEC_KY 5
#define CONV_SPEC_KZ 6
#define CONV_SPEC_SX 7
#define CONV_SPEC_SY 8
#define CONV_SPEC_SZ 9
#define CONV_SPEC_DX 10
#define CONV_SPEC_DY 11
#define CONV_SPEC_DZ 12
// conv_dense.comp: where a transposed convolution's stride phase lands in the real output.
#define CONV_SPEC_OSX 13
#define CONV_SPEC_OSY 14
#define CONV_SPEC_OSZ 15
#define CONV_SPEC_RX 16
#define CONV_SPEC_RY 17
#define CONV_SPEC_RZ 18
// activation_stage.glsl (the three convolution shaders): the activation applied as each
// output is written, and its parameters (floats as their bits).
#define ACT_STAGE_SPEC_FUNCTION 19
#define ACT_STAGE_SPEC_SLOPE 20
#define ACT_STAGE_SPEC_ALPHA 21
#define ACT_STAGE_SPEC_HAS_MAX 22
#define ACT_STAGE_SPEC_MAX 23
#define ACT_STAGE_SPEC_THRESHOLD 24

// remap.comp: output size, factors and the linear-axes mask, when baked in.
#define REMAP_SPEC_OX 1
#define REMAP_SPEC_OY 2
#define REMAP_SPEC_OZ 3
#define REMAP_SPEC_FX 4
#define REMAP_SPEC_FY 5
#define REMAP_SPEC_FZ 6
#define REMAP_SPEC_LINEAR 7

// pool.comp: the operation (0 max, 1 average), always set; output size, window and strides
// per axis, when baked in.
#define POOL_SPEC_AVERAGE 1
#define POOL_SPEC_OX 2
#define POOL_SPEC_OY 3
#define POOL_SPEC_OZ 4
#define POOL_SPEC_KX 5
#define POOL_SPEC_KY 6
#define POOL_SPEC_KZ 7
#define POOL_SPEC_SX 8
#define POOL_SPEC_SY 9
#define POOL_SPEC_SZ 10

// global_pool.comp: the operation (0 max, 1 average).
#define GLOBAL_POOL_SPEC_AVERAGE 1
// activate.comp: the elementwise function, numbered as activation_kinds.h.
#define ACT_SPEC_FUNCTION 1
// softmax.comp: 1 for log_softmax.
#define SOFTMAX_SPEC_LOG 1

// crop_grad_box.comp: outputs each invocation sums.
#define CROP_SPEC_PER_INVOCATION 1

// value_range.comp: 0 per channel, 1 across channels.
#define MOSAIC_SPEC_STAGE 1

// merge.comp: the operation (MergeOp in engine/layers/merge/merge_layers.h).
#define MERGE_SPEC_OP 1
// merge.comp: both operands have the output's shape, so element i of each is element i.
#define MERGE_SPEC_SAME 2

// affine.comp: four neighbouring elements share their parameter.
#define AFFINE_SPEC_QUADS 1
// layer_norm.comp: invocations that share one group (a power of two dividing the workgroup width).
#define NORM_SPEC_THREADS 1

#endif
