#pragma once
// Runs a chain of layers on the GPU in one command buffer: upload once, every layer's
// dispatches with barriers between them, download what the caller wants to see.
#include <vector>

#include "layers/layer.h"

namespace convscope {

struct RunResult {
  std::vector<Shape> shapes;    // per layer output shape
  std::vector<Tensor> outputs;  // every layer's output (keep_all), or the last one only
  std::vector<vk::DispatchTiming> timings;
};

// Shapes of each layer's output, checking the whole chain before any work is done.
std::vector<Shape> infer_shapes(const std::vector<const Layer*>& layers, const Shape& input);

// Records `layer` into `seq`. A failure while recording (no memory left for its weights, say)
// names the layer, as a failure allocating its output does.
void record_layer(vk::Sequence& seq, const Layer& layer, const DeviceTensor& input, const DeviceTensor& output);

RunResult run_layers(vk::Context& ctx, const std::vector<const Layer*>& layers, const Tensor& input, bool keep_all);

}  // namespace convscope
