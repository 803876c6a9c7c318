// Lets one header declare a push-constant block for both GLSL and C++: the single source
// of truth for its layout. Use only 4-byte scalars and 16-byte vectors (ivec4, uvec4, vec4)
// so std430 and the C++ layout agree; the engine also checks each block's size against the
// SPIR-V (vk/spirv_reflect.h) at every dispatch.
#ifndef CONVSCOPE_GLSL_CPP_H
#define CONVSCOPE_GLSL_CPP_H

#ifdef __cplusplus
#include <cstdint>
namespace convscope::gpu {
struct alignas(16) ivec4 { int32_t x = 0, y = 0, z = 0, w = 0; };
struct alignas(16) uvec4 { uint32_t x = 0, y = 0, z = 0, w = 0; };
struct alignas(16) vec4 { float x = 0, y = 0, z = 0, w = 0; };
using uint = uint32_t;
}  // namespace convscope::gpu
#define CS_BEGIN namespace convscope::gpu {
#define CS_END }
#define CS_PUSH_CONSTANTS(Name) struct Name
#define CS_PUSH_INSTANCE
#else
#define CS_BEGIN
#define CS_END
#define CS_PUSH_CONSTANTS(Name) layout(push_constant) uniform Name
#define CS_PUSH_INSTANCE p
#endif

#endif
