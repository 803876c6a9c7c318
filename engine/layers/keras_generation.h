#pragma once
// Which Keras generation wrote the config being read, for the few layers whose maths changed
// between generations (hard_sigmoid: Keras 1, 2, tf.keras and TensorFlow.js compute
// clip(0.2x + 0.5, 0, 1), Keras 3 relu6(x + 3) / 6). A thread-local setting rather than an
// argument of every layer factory: the model parser sets it once around the layers of one
// file, and the layers read it while they parse their config, so what they compute is fixed
// at parse time. keras_config() then writes a form that keeps that maths in Keras 3 JSON.
//
//   KerasGenerationScope scope(keras_generation_of(file_keras_version));
//   Model m = ...create the file's layers...;   // scope ends: back to the previous setting
#include <string_view>

namespace convscope {

// 1, 2 (Keras 2, tf.keras, TensorFlow.js) or 3; 3 unless a scope says otherwise.
int keras_generation();

// Sets the generation for this thread until the scope ends, then restores the one before.
class KerasGenerationScope {
 public:
  // Error ("internal: ...") for anything but 1, 2 or 3.
  explicit KerasGenerationScope(int generation);
  ~KerasGenerationScope();
  KerasGenerationScope(const KerasGenerationScope&) = delete;
  KerasGenerationScope& operator=(const KerasGenerationScope&) = delete;

 private:
  int previous_;
};

// The generation a file's "keras_version" names: "1.2.2" -> 1, "2.12.0" -> 2, "3.3.3" -> 3,
// TensorFlow.js' "tfjs-layers 4.10.0" -> 2 (tfjs follows Keras 2's maths); 3 for an empty or
// unreadable version (what convscope writes itself).
int keras_generation_of(std::string_view keras_version);

}  // namespace convscope
