#pragma once
// Timing a model on the device through a Session: GPU timestamps around each node's
// dispatches, the median over warm runs.
#include <memory>
#include <vector>

#include "model/model.h"
#include "vk/context.h"

namespace convscope {

struct LayerTiming {
  double median_ms = 0;
  double min_ms = 0;
  int runs = 0;
};

// Median and minimum of one time per warm run (at least one).
LayerTiming summarize_runs(std::vector<double> ms);

// Runs `model` on random data of shape `input` `warmup + runs` times, each a full recompute
// in one submission, timed by the sum of its nodes' GPU time.
LayerTiming time_model(vk::Context& ctx, Model model, const Shape& input, int warmup, int runs);
// The same for one layer.
LayerTiming time_layer(vk::Context& ctx, std::shared_ptr<Layer> layer, const Shape& input, int warmup, int runs);

}  // namespace convscope
