#include "run/benchmark.h"

#include <algorithm>
#include <random>

#include "core/error.h"

namespace convscope {

LayerTiming time_layer(vk::Context& ctx, const Layer& layer, const Shape& input, int warmup, int runs) {
  if (!ctx.info().timestamps) throw Error(ctx.info().name + " cannot write GPU timestamps; nothing to time with");
  Tensor x(input);
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (float& v : x.data) v = dist(rng);
  const DeviceTensor in = to_device(ctx, x, "benchmark input");
  const DeviceTensor out = allocate(ctx, layer.output_shape(input), layer.label());

  std::vector<double> times;
  for (int i = 0; i < warmup + runs; ++i) {
    vk::Sequence seq(ctx);
    layer.record(seq, in, out);
    seq.submit();
    double ms = 0;
    for (const auto& t : seq.timings()) ms += t.ms;
    if (i >= warmup) times.push_back(ms);
  }
  std::sort(times.begin(), times.end());
  return {times[times.size() / 2], times.front(), runs};
}

}  // namespace convscope
