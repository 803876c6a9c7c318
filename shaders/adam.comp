#version 450
// One Adam step (Kingma & Ba 2015) for a parameter vector, with an optional lower bound on
// a range of parameters (a box's height and width stay at least a pixel).
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "adam_params.h"

layout(std430, binding = 0) buffer Params { float params[]; };
layout(std430, binding = 1) readonly buffer Grads { float grads[]; };
layout(std430, binding = 2) buffer First { float m[]; };
layout(std430, binding = 3) buffer Second { float v[]; };

void main() {
  const uint id = linear_invocation();
  if (id >= uint(p.parameters)) return;
  const float lr = p.learning_rate, beta1 = p.beta1, beta2 = p.beta2, eps = p.epsilon;
  const float t = float(p.step);
  const float g = grads[id];
  m[id] = beta1 * m[id] + (1.0 - beta1) * g;
  v[id] = beta2 * v[id] + (1.0 - beta2) * g * g;
  const float m_hat = m[id] / (1.0 - pow(beta1, t));
  const float v_hat = v[id] / (1.0 - pow(beta2, t));
  float value = params[id] - lr * m_hat / (sqrt(v_hat) + eps);
  if (int(id) >= p.clamp_first && int(id) < p.clamp_end) value = max(value, p.lower_bound);
  params[id] = value;
}
