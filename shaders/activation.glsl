#ifndef CONVSCOPE_ACTIVATION_GLSL
#define CONVSCOPE_ACTIVATION_GLSL
// Keras 3 activations, numbered as engine/layers/conv/activation.h.

// GLSL has no erf. Abramowitz & Stegun 7.1.26 is accurate to 1.5e-7, far inside the
// 1e-4 relative tolerance convscope promises.
float erf_approx(float x) {
  const float t = 1.0 / (1.0 + 0.3275911 * abs(x));
  const float y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-x * x);
  return sign(x) * y;
}

float sigmoid(float x) { return 1.0 / (1.0 + exp(-x)); }

float activate(int a, float x) {
  switch (a) {
    case 1: return max(x, 0.0);
    case 2: return clamp(x, 0.0, 6.0);
    case 3: return x >= 0.0 ? x : 0.2 * x;
    case 4: return x > 0.0 ? x : exp(x) - 1.0;
    case 5: return 1.0507009873554805 * (x > 0.0 ? x : 1.6732632423543772 * (exp(x) - 1.0));
    case 6: return 0.5 * x * (1.0 + erf_approx(x * 0.7071067811865476));
    case 7: return sigmoid(x);
    case 8: return clamp(x + 3.0, 0.0, 6.0) / 6.0;
    case 9: return tanh(clamp(x, -15.0, 15.0));  // some drivers compute tanh as a ratio of exps: inf/inf
    // log(1 + exp(x)) overflows for large x, where it equals x.
    case 10: return x > 20.0 ? x : log(1.0 + exp(x));
    case 11: return x / (1.0 + abs(x));
    case 12: return x * sigmoid(x);
    case 13: return exp(x);
    default: return x;
  }
}

#endif
