#include "run/benchmark.h"

#include <algorithm>
#include <random>

#include "core/error.h"
#include "run/runner.h"

namespace convscope {

LayerTiming summarize_runs(std::vector<double> ms) {
  if (ms.empty()) throw Error("internal: no runs to summarize");
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms.front(), static_cast<int>(ms.size())};
}

LayerTiming time_layer(vk::Context& ctx, const Layer& layer, const Shape& input, int warmup, int runs) {
  return time_chain(ctx, {&layer}, input, warmup, runs);
}

LayerTiming time_chain(vk::Context& ctx, const std::vector<const Layer*>& layers, const Shape& input, int warmup, int runs) {
  if (!ctx.info().timestamps) throw Error(ctx.info().name + " cannot write GPU timestamps; nothing to time with");
  Tensor x(input);
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (float& v : x.data) v = dist(rng);
  std::vector<PlannedTensor> planned{{input, "benchmark input"}};
  for (const Shape& s : infer_shapes(layers, input)) planned.push_back({s, "benchmark layer"});
  check_fits_device(ctx, planned);
  std::vector<DeviceTensor> tensors;
  tensors.push_back(to_device(ctx, x, "benchmark input"));
  Shape s = input;
  for (const Layer* layer : layers) tensors.push_back(allocate(ctx, s = layer->output_shape(s), layer->label()));

  std::vector<double> times;
  for (int i = 0; i < warmup + runs; ++i) {
    vk::Sequence seq(ctx);
    for (size_t k = 0; k < layers.size(); ++k) record_layer(seq, *layers[k], tensors[k], tensors[k + 1]);
    seq.submit();
    double ms = 0;
    for (const auto& t : seq.timings()) ms += t.ms;
    if (i >= warmup) times.push_back(ms);
  }
  return summarize_runs(std::move(times));
}

}  // namespace convscope
