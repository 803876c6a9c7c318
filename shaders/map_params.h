// Push constants of map_vertex.vert / map_fragment.frag: where a mosaic lands on screen.
#ifndef CONVSCOPE_MAP_PARAMS_H
#define CONVSCOPE_MAP_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(MapParams) {
  vec4 rect;  // (x0, y0, x1, y1) in normalised device coordinates
  vec4 uv;    // (u0, v0, u1, v1) of the texture shown
} CS_PUSH_INSTANCE;
CS_END

#endif
