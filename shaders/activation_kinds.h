// The elementwise activation functions of shaders/activation.glsl, numbered once for GLSL
// (activate.comp takes one as a specialization constant) and C++ (ActivationKind in
// engine/layers/activation/activation.h takes these values). Softmax and log_softmax reduce
// along axes and have a shader of their own (softmax.comp).
#ifndef CONVSCOPE_ACTIVATION_KINDS_H
#define CONVSCOPE_ACTIVATION_KINDS_H

#define ACT_LINEAR 0
#define ACT_RELU 1  // Keras' relu(x, negative_slope, max_value, threshold)
#define ACT_RELU6 2
#define ACT_LEAKY_RELU 3
#define ACT_ELU 4
#define ACT_SELU 5
#define ACT_GELU 6       // 0.5 x (1 + erf(x / sqrt 2))
#define ACT_GELU_TANH 7  // gelu(approximate=True)
#define ACT_SIGMOID 8
#define ACT_HARD_SIGMOID 9         // Keras 3: relu6(x + 3) / 6
#define ACT_HARD_SIGMOID_KERAS2 10  // Keras 1, 2, tf.keras, TensorFlow.js: clip(0.2 x + 0.5, 0, 1)
#define ACT_HARD_SILU 11
#define ACT_TANH 12
#define ACT_SOFTPLUS 13
#define ACT_SOFTSIGN 14
#define ACT_SILU 15
#define ACT_MISH 16
#define ACT_EXPONENTIAL 17
// Not elementwise: never given to activate.comp.
#define ACT_SOFTMAX 18
#define ACT_LOG_SOFTMAX 19

#endif
