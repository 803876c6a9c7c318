#ifndef CONVSCOPE_ACTIVATION_STAGE_GLSL
#define CONVSCOPE_ACTIVATION_STAGE_GLSL
// A layer's own elementwise activation, applied in its output stage as each value is
// written (a convolution with activation='relu', or one BatchNormalization and an activation
// layer were folded into: model/fusion.h), instead of a pass over the output of its own. The
// function is a specialization constant, so a pipeline holds only its own maths; linear is
// the identity.
#include "activation.glsl"
#include "spec_ids.h"

layout(constant_id = ACT_STAGE_SPEC_FUNCTION) const int STAGE_FUNCTION = ACT_LINEAR;
layout(constant_id = ACT_STAGE_SPEC_SLOPE) const float STAGE_SLOPE = 0.0;
layout(constant_id = ACT_STAGE_SPEC_ALPHA) const float STAGE_ALPHA = 1.0;
layout(constant_id = ACT_STAGE_SPEC_HAS_MAX) const bool STAGE_HAS_MAX = false;
layout(constant_id = ACT_STAGE_SPEC_MAX) const float STAGE_MAX = 0.0;
layout(constant_id = ACT_STAGE_SPEC_THRESHOLD) const float STAGE_THRESHOLD = 0.0;

float stage_activation(float x) {
  if (STAGE_FUNCTION == ACT_LINEAR) return x;
  return activate(STAGE_FUNCTION, x, STAGE_SLOPE, STAGE_ALPHA, STAGE_HAS_MAX, STAGE_MAX, STAGE_THRESHOLD);
}

#endif
