#version 450
// Samples a mosaic texture with nearest filtering, so every map pixel stays a crisp square.
#extension GL_GOOGLE_include_directive : require
#include "map_params.h"

layout(set = 0, binding = 0) uniform sampler2D mosaic;
layout(location = 0) in vec2 uv;
layout(location = 0) out vec4 colour;

void main() { colour = texture(mosaic, uv); }
