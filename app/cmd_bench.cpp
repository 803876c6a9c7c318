// `convscope bench [--quick] [--json FILE]`: a fixed suite of layers timed on the current
// device with GPU timestamps (median of warm runs), reported as GFLOP/s or GB/s.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>

#include "app/assets.h"
#include "app/commands.h"
#include "io/json_file.h"
#include "layers/registry.h"
#include "model/weights.h"
#include "run/benchmark.h"

namespace convscope::app {

namespace {

struct BenchCase {
  const char* name;
  const char* layer;  // Keras layer JSON, channels_last
  std::vector<int64_t> input;  // Keras shape (N, H, W, C)
};

const BenchCase kSuite[] = {
    {"conv2d_3x3_3to16_512", R"({"class_name": "Conv2D", "config": {"filters": 16, "kernel_size": 3, "padding": "same"}})", {1, 512, 512, 3}},
    {"conv2d_3x3_32to32_256", R"({"class_name": "Conv2D", "config": {"filters": 32, "kernel_size": 3, "padding": "same"}})", {1, 256, 256, 32}},
    {"conv2d_3x3_64to64_128", R"({"class_name": "Conv2D", "config": {"filters": 64, "kernel_size": 3, "padding": "same"}})", {1, 128, 128, 64}},
    {"conv2d_3x3_128to128_64", R"({"class_name": "Conv2D", "config": {"filters": 128, "kernel_size": 3, "padding": "same"}})", {1, 64, 64, 128}},
    {"conv2d_1x1_64to64_128", R"({"class_name": "Conv2D", "config": {"filters": 64, "kernel_size": 1}})", {1, 128, 128, 64}},
    {"depthwise2d_3x3_64_128", R"({"class_name": "DepthwiseConv2D", "config": {"kernel_size": 3, "padding": "same"}})", {1, 128, 128, 64}},
    {"conv2d_transpose_4x4_s2_32to32_128", R"({"class_name": "Conv2DTranspose", "config": {"filters": 32, "kernel_size": 4, "strides": 2, "padding": "same"}})", {1, 128, 128, 32}},
    {"zeropadding2d_64x512", R"({"class_name": "ZeroPadding2D", "config": {"padding": 1}})", {1, 512, 512, 64}},
    {"cropping2d_64x512", R"({"class_name": "Cropping2D", "config": {"cropping": 1}})", {1, 512, 512, 64}},
};

struct BenchArgs {
  bool quick = false;
  std::string json;
};

int run_bench(const GlobalOptions& global, const BenchArgs& args) {
  vk::Context ctx(global.context_options());
  const int warmup = args.quick ? 1 : 3, runs = args.quick ? 3 : 10;
  fmt::print("convscope bench on {} ({}), median of {} runs\n", ctx.info().name, vk::device_type_name(ctx.info().type),
             runs);
  nlohmann::json results = nlohmann::json::array();
  for (const BenchCase& c : kSuite) {
    auto layer = LayerRegistry::builtin().create(nlohmann::json::parse(c.layer));
    const Shape input = shape_from_keras(c.input, 2, DataFormat::ChannelsLast);
    layer->set_weights(input, layer->initial_weights(input, 7));
    const LayerTiming t = time_layer(ctx, *layer, input, warmup, runs);
    const double flops = layer->flops(input);
    nlohmann::json row = {{"name", c.name}, {"ms", t.median_ms}};
    if (flops > 0) {
      row["gflops"] = flops / (t.median_ms * 1e6);
      fmt::print("  {:<36} {:9.3f} ms  {:8.2f} GFLOP/s\n", c.name, t.median_ms, row["gflops"].get<double>());
    } else {
      // Bytes read plus bytes written, each once.
      const double bytes = 4.0 * static_cast<double>(input.size() + layer->output_shape(input).size());
      row["gbps"] = bytes / (t.median_ms * 1e6);
      fmt::print("  {:<36} {:9.3f} ms  {:8.2f} GB/s\n", c.name, t.median_ms, row["gbps"].get<double>());
    }
    results.push_back(row);
  }
  {
    // The default pipeline end to end at 512x512, as the app recomputes it on every edit.
    Sequential model = parse_pipeline(read_json(asset_path("pipelines/default.json")));
    const Shape input = shape_from_keras({1, 512, 512, 3}, 2, DataFormat::ChannelsLast);
    provide_weights(model, input, {}, asset_path("pipelines/default.json"), 0);
    const auto start = std::chrono::steady_clock::now();
    const LayerTiming t = time_chain(ctx, model.chain(), input, warmup, runs);
    const double wall = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() /
                        (warmup + runs);
    fmt::print("  {:<36} {:9.3f} ms  (wall clock per run {:.1f} ms)\n", "default_pipeline_512", t.median_ms, wall);
    results.push_back({{"name", "default_pipeline_512"}, {"ms", t.median_ms}, {"wall_ms", wall}});
  }
  if (!args.json.empty()) {
    const nlohmann::json doc = {{"device", ctx.info().name}, {"results", results}};
    std::ofstream(args.json) << doc.dump(2) << "\n";
    fmt::print("wrote {}\n", args.json);
  }
  return report_validation(ctx) ? 0 : 1;
}

}  // namespace

void add_bench_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto args = std::make_shared<BenchArgs>();
  auto* cmd = app.add_subcommand("bench", "Time a fixed suite of layers on the current device");
  cmd->add_flag("--quick", args->quick, "Fewer runs per layer");
  cmd->add_option("--json", args->json, "Also write the results as JSON to this file");
  cmd->callback([&global, &action, args] { action = [&global, args] { return run_bench(global, *args); }; });
}

}  // namespace convscope::app
