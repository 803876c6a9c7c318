#ifndef CONVSCOPE_BILINEAR_GLSL
#define CONVSCOPE_BILINEAR_GLSL
// LearnableCrop's sampling: output (i, j) of an (OH, OW) output reads the input at
// y = y0 + (i + 0.5) h / OH - 0.5, x = x0 + (j + 0.5) w / OW - 0.5 (box = (y0, x0, h, w)),
// bilinearly, with zero outside the input.

vec2 sample_point(vec4 box, int i, int j, ivec2 out_hw) {
  return vec2(box.x + (float(i) + 0.5) * box.z / float(out_hw.x) - 0.5,
              box.y + (float(j) + 0.5) * box.w / float(out_hw.y) - 0.5);
}

#endif
