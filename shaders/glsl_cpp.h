// Lets one header declare a push-constant block for both GLSL and C++: the single source
// of truth for its layout. std430 and C++ agree on 4-byte scalars and 16-byte vectors (ivec4,
// uvec4, vec4) anywhere, and on an ivec3 that starts a 16-byte slot and one scalar after it
// that completes the slot: std430 aligns the ivec3 to 16 and packs the scalar into its tail,
// C++ just places the two in order. Pad a block to a multiple of 16 bytes with named pad
// fields: the C++ struct is aligned to 16, so its size check fails otherwise. embed_shaders
// checks every member's offset and each block's size against the SPIR-V at compile time,
// and the engine checks the size again at every dispatch.
//
// GLSL allows no initialisers in a block, so C++ scalars start indeterminate: value-initialise
// (`gpu::ConvParams pc{};`) and every field starts at zero.
#ifndef CONVSCOPE_GLSL_CPP_H
#define CONVSCOPE_GLSL_CPP_H

#ifdef __cplusplus
#include <cstdint>
namespace convscope::gpu {
struct alignas(16) ivec4 { int32_t x = 0, y = 0, z = 0, w = 0; };
struct alignas(16) uvec4 { uint32_t x = 0, y = 0, z = 0, w = 0; };
struct alignas(16) vec4 { float x = 0, y = 0, z = 0, w = 0; };
struct ivec3 { int32_t x = 0, y = 0, z = 0; };  // aligned by its place in the block, as above
using uint = uint32_t;
}  // namespace convscope::gpu
#define CS_BEGIN namespace convscope::gpu {
#define CS_END }
#define CS_PUSH_CONSTANTS(Name) struct alignas(16) Name
#define CS_PUSH_INSTANCE
#else
#define CS_BEGIN
#define CS_END
#define CS_PUSH_CONSTANTS(Name) layout(push_constant) uniform Name
#define CS_PUSH_INSTANCE p
#endif

#endif
