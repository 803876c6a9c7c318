// Push constants of resize.comp: an image resized as tf.image.resize does (half-pixel centres,
// no antialiasing), from a window of the input that may reach past it (filled) or cut it.
#ifndef CONVSCOPE_RESIZE_PARAMS_H
#define CONVSCOPE_RESIZE_PARAMS_H
#include "glsl_cpp.h"

CS_BEGIN
CS_PUSH_CONSTANTS(ResizeParams) {
  ivec4 src_size;  // (W, H, planes) of the input; planes = N x C x D; w unused
  // (x, y) of the window's first pixel in the input (negative: padding before it) and its
  // (width, height): the image tf.image.resize sees. Window pixels outside the input read `fill`.
  ivec4 window;
  ivec3 dst_size;  // (W, H, planes) of the output
  uint elements;
  vec4 scale;  // x, y: window / output length as float32, as TensorFlow computes them; z: fill
  int bilinear;  // 0: nearest
  uint pad0, pad1, pad2;
} CS_PUSH_INSTANCE;
CS_END

#endif
