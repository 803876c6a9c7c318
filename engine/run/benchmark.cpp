#include "run/benchmark.h"

#include <algorithm>
#include <random>

#include "core/error.h"
#include "run/session.h"

namespace convscope {

LayerTiming summarize_runs(std::vector<double> ms) {
  if (ms.empty()) throw Error("internal: no runs to summarize");
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms.front(), static_cast<int>(ms.size())};
}

LayerTiming time_layer(vk::Context& ctx, std::shared_ptr<Layer> layer, const Shape& input, int warmup, int runs) {
  return time_model(ctx, chain_of({std::move(layer)}, "benchmark"), input, warmup, runs);
}

LayerTiming time_model(vk::Context& ctx, Model model, const Shape& input, int warmup, int runs) {
  Tensor x(input);
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (float& v : x.data) v = dist(rng);
  Session session(ctx, std::move(model), NodeTiming::GpuTimestamps);
  session.set_input(std::move(x));
  session.require_fit();
  std::vector<double> times;
  for (int i = 0; i < warmup + runs; ++i) {
    session.mark_all_stale();
    session.run();
    double ms = 0;
    for (const NodeState& n : session.nodes()) ms += n.ms;
    if (i >= warmup) times.push_back(ms);
  }
  return summarize_runs(std::move(times));
}

}  // namespace convscope
