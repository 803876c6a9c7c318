#pragma once
// Timing a layer on the device: GPU timestamps around its dispatches, median over warm runs.
#include <vector>

#include "layers/layer.h"

namespace convscope {

struct LayerTiming {
  double median_ms = 0;
  double min_ms = 0;
  int runs = 0;
};

// Median and minimum of one time per warm run (at least one).
LayerTiming summarize_runs(std::vector<double> ms);

// Runs `layer` on random data of shape `input` `warmup + runs` times; each run is one
// submission, timed by the sum of its dispatches' GPU timestamps.
LayerTiming time_layer(vk::Context& ctx, const Layer& layer, const Shape& input, int warmup, int runs);
// The same for a chain of layers recorded into one submission, as the app recomputes a stack.
LayerTiming time_chain(vk::Context& ctx, const std::vector<const Layer*>& layers, const Shape& input, int warmup, int runs);

}  // namespace convscope
