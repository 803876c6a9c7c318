#version 450
// The app draws each feature-map mosaic as one textured rectangle inside ImGui's frame:
// four corners from the vertex index, placed by push constants in normalised device space.
#extension GL_GOOGLE_include_directive : require
#include "map_params.h"

layout(location = 0) out vec2 uv;

void main() {
  const vec2 corner = vec2(gl_VertexIndex & 1, (gl_VertexIndex >> 1) & 1);
  uv = mix(p.uv.xy, p.uv.zw, corner);
  gl_Position = vec4(mix(p.rect.xy, p.rect.zw, corner), 0.0, 1.0);
}
