#ifndef CONVSCOPE_TENSOR_TYPE_GLSL
#define CONVSCOPE_TENSOR_TYPE_GLSL
// The element type of tensors in storage buffers: float, or float16_t in the _fp16 variant
// that shaders/CMakeLists.txt builds (with -DCS_FP16) of every shader including this file,
// for ContextOptions::fp16_storage. Arithmetic stays 32-bit: read float(v), write TENSOR_T(v).
#ifdef CS_FP16
#extension GL_EXT_shader_16bit_storage : require
#define TENSOR_T float16_t
#else
#define TENSOR_T float
#endif
#endif
