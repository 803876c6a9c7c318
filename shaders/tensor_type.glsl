#ifndef CONVSCOPE_TENSOR_TYPE_GLSL
#define CONVSCOPE_TENSOR_TYPE_GLSL
// The element type of tensors in storage buffers: float, or float16_t in the _fp16 variant
// that shaders/CMakeLists.txt builds (with -DCS_FP16) of every shader including this file,
// for ContextOptions::fp16_storage. Arithmetic stays 32-bit: read float(v), write TENSOR_T(v).
// TENSOR4_T is four of them, for kernels that move a vec4 per load (each load or store whose
// address differs between lanes costs a loop over the lanes on lavapipe, whatever its width).
#ifdef CS_FP16
#extension GL_EXT_shader_16bit_storage : require
#define TENSOR_T float16_t
#define TENSOR4_T f16vec4
#else
#define TENSOR_T float
#define TENSOR4_T vec4
#endif
#endif
