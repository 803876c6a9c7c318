#ifndef CONVSCOPE_ACTIVATION_GLSL
#define CONVSCOPE_ACTIVATION_GLSL
// Keras' elementwise activations in float32, numbered as activation_kinds.h. Written to stay
// within a few ulp of the double reference over the whole float range, not only where
// values are moderate: the library functions lose digits (exp(x) for large x), cancel
// (exp(x) - 1 near 0, 1 + erf(x) for negative x) or overflow (tanh as a ratio of exps) there.
// `precise` keeps drivers from reassociating the steps that rely on exact rounding.
#include "activation_kinds.h"

// 2^k, exactly, for -126 <= k <= 127.
float pow2i(int k) { return intBitsToFloat((k + 127) << 23); }

// exp(x) over the whole range. Drivers compute exp2(x * log2 e), whose product rounds by up to
// |x| * 2^-24 relative before the exponential multiplies it: 5e-6 at x = 80. Splitting off
// n ln 2 first (with ln 2 in two parts, the first exact times any n here) leaves |r| < 0.35.
float exp_accurate(float x) {
  if (isnan(x)) return x;
  x = clamp(x, -104.0, 89.0);  // 0 and inf in float32 beyond; keeps n an int
  const float n = round(x * 1.4426950408889634);
  precise float r = x - n * 0.693145751953125;  // ln 2 to 16 bits: n * it is exact for |n| <= 256
  r = r - n * 1.4286068203094173e-6;            // the rest of ln 2
  const int k = int(n), half_k = k / 2;          // 2^k in two factors: 2^128 is not a float
  return exp(r) * pow2i(half_k) * pow2i(k - half_k);
}

// exp(x) - 1 for x <= 0 without cancelling near 0 (Kahan): u - 1 and log(u) carry the same
// rounding of u, which their ratio to x removes.
float expm1_nonpositive(float x) {
  precise float u = exp(x);
  if (u == 1.0) return x;
  precise float um1 = u - 1.0;
  if (um1 == -1.0) return -1.0;
  return um1 * x / log(u);
}

// log(1 + u) for u >= 0, the same way.
float log1p_nonnegative(float u) {
  precise float v = 1.0 + u;
  if (v == 1.0) return u;
  return log(v) * u / (v - 1.0);
}

float sigmoid(float x) {
  const float e = exp(-abs(x));  // never overflows
  const float s = 1.0 / (1.0 + e);
  return x >= 0.0 ? s : e * s;
}

// tanh(|x|) = -t / (2 + t) with t = exp(-2|x|) - 1: no inf / inf for large |x|, no
// cancellation near 0.
float tanh_accurate(float x) {
  const float t = expm1_nonpositive(-2.0 * abs(x));
  const float r = -t / (2.0 + t);
  return x < 0.0 ? -r : r;
}

float softplus(float x) { return max(x, 0.0) + log1p_nonnegative(exp(-abs(x))); }

// erfc(z) for z >= 0, Abramowitz & Stegun 7.1.26: within 1.5e-7 of it.
float erfc_nonnegative(float z) {
  const float t = 1.0 / (1.0 + 0.3275911 * z);
  const float poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
  return poly * exp(-z * z);
}

// 0.5 x (1 + erf(x / sqrt 2)) as x - 0.5 x erfc(x / sqrt 2) above 0 and 0.5 x erfc(|x| / sqrt 2)
// below: 1 + erf(x) would cancel to nothing for negative x.
float gelu(float x) {
  const float half_erfc = 0.5 * erfc_nonnegative(abs(x) * 0.7071067811865476);
  return x * (x >= 0.0 ? 1.0 - half_erfc : half_erfc);
}

// 0.5 x (1 + tanh(y)) = x sigmoid(2y), y = sqrt(2 / pi) (x + 0.044715 x^3).
float gelu_tanh(float x) { return x * sigmoid(1.5957691216057308 * (x + 0.044715 * x * x * x)); }

// Keras' relu(x, negative_slope, max_value, threshold): x * (x > threshold), clipped to
// [0, max_value], minus negative_slope * relu(threshold - x). 0 at x == threshold.
float keras_relu(float x, float negative_slope, bool has_max_value, float max_value, float threshold) {
  const float negative_part = negative_slope != 0.0 ? max(threshold - x, 0.0) : 0.0;
  float y = threshold != 0.0 ? (x > threshold ? x : 0.0) : max(x, 0.0);
  if (has_max_value) y = clamp(y, 0.0, max_value);
  return y - negative_slope * negative_part;
}

const float SELU_ALPHA = 1.6732632423543772;
const float SELU_SCALE = 1.0507009873554805;

// `function` is a specialization constant where this is called (activate.comp), so the
// driver keeps only its case: lavapipe would otherwise evaluate every case for each element.
float activate(int function, float x, float negative_slope, float alpha, bool has_max_value, float max_value,
               float threshold) {
  switch (function) {
    case ACT_RELU: return keras_relu(x, negative_slope, has_max_value, max_value, threshold);
    case ACT_RELU6: return clamp(x, 0.0, 6.0);
    case ACT_LEAKY_RELU: return x > 0.0 ? x : negative_slope * x;
    case ACT_ELU: return x > 0.0 ? x : alpha * expm1_nonpositive(x);
    case ACT_SELU: return SELU_SCALE * (x > 0.0 ? x : SELU_ALPHA * expm1_nonpositive(x));
    case ACT_GELU: return gelu(x);
    case ACT_GELU_TANH: return gelu_tanh(x);
    case ACT_SIGMOID: return sigmoid(x);
    case ACT_HARD_SIGMOID: return clamp(x + 3.0, 0.0, 6.0) / 6.0;
    case ACT_HARD_SIGMOID_KERAS2: return clamp(0.2 * x + 0.5, 0.0, 1.0);
    case ACT_HARD_SILU: return x * (clamp(x + 3.0, 0.0, 6.0) / 6.0);
    case ACT_TANH: return tanh_accurate(x);
    case ACT_SOFTPLUS: return softplus(x);
    case ACT_SOFTSIGN: return x / (1.0 + abs(x));
    case ACT_SILU: return x * sigmoid(x);
    case ACT_MISH: return x * tanh_accurate(softplus(x));
    case ACT_EXPONENTIAL: return exp_accurate(x);
    default: return x;
  }
}

#endif
