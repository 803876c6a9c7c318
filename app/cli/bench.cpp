// `convscope bench [--quick] [--only SUBSTRING] [--json FILE]`: a fixed suite of layers timed
// on the current device with GPU timestamps (median of warm runs), reported as GFLOP/s or GB/s
// and as a fraction of the device's own ceilings, measured in the same run.
// scripts/compare-pytorch.py times the same rows, by name, with PyTorch.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>

#include "app/assets.h"
#include "app/cli/commands.h"
#include "core/error.h"
#include "io/atomic_file.h"
#include "io/json_file.h"
#include "layers/registry.h"
#include "model/fusion.h"
#include "model/parse_pipeline.h"
#include "model/shapes.h"
#include "model/weights.h"
#include "run/benchmark.h"
#include "run/ceilings.h"

namespace convscope::app {

namespace {

// How a row's speed is given: GFLOP/s for layers that count FLOPs, else GB/s; pooling and
// BatchNormalization count FLOPs but are bound by memory, so GB/s.
enum class Rate { Auto, Bytes };

struct BenchCase {
  const char* name;
  const char* layer;           // Keras layer JSON, channels_last; a JSON list: a chain of layers
  std::vector<int64_t> input;  // Keras shape (N, spatial..., C): its rank gives the spatial rank
  Rate rate = Rate::Auto;
  int reads = 1;               // a merge reads the input this many times: Add(x, x)
  bool fuse = false;           // conv -> BN -> activation folded first (model/fusion.h)
};

// A VGG or ResNet stage: conv, BatchNormalization, relu; timed as three nodes and folded into one.
constexpr const char* kConvBnRelu = R"([{"class_name": "Conv2D", "config": {"filters": 64, "kernel_size": 3, "padding": "same"}},
  {"class_name": "BatchNormalization", "config": {}}, {"class_name": "Activation", "config": {"activation": "relu"}}])";

// Crop and pad run at 64 x 512 x 512. Upsampling by 2 runs at 64 x 256 x 256 (as its row names
// say): from 512 x 512 its output would be 256 MiB, twice lavapipe's 128 MiB
// maxStorageBufferRange.
const BenchCase kSuite[] = {
    {"conv2d_3x3_3to16_512", R"({"class_name": "Conv2D", "config": {"filters": 16, "kernel_size": 3, "padding": "same"}})", {1, 512, 512, 3}},
    {"conv2d_3x3_32to32_256", R"({"class_name": "Conv2D", "config": {"filters": 32, "kernel_size": 3, "padding": "same"}})", {1, 256, 256, 32}},
    {"conv2d_3x3_64to64_128", R"({"class_name": "Conv2D", "config": {"filters": 64, "kernel_size": 3, "padding": "same"}})", {1, 128, 128, 64}},
    {"conv2d_3x3_128to128_64", R"({"class_name": "Conv2D", "config": {"filters": 128, "kernel_size": 3, "padding": "same"}})", {1, 64, 64, 128}},
    {"conv2d_1x1_64to64_128", R"({"class_name": "Conv2D", "config": {"filters": 64, "kernel_size": 1}})", {1, 128, 128, 64}},
    {"depthwise2d_3x3_64_128", R"({"class_name": "DepthwiseConv2D", "config": {"kernel_size": 3, "padding": "same"}})", {1, 128, 128, 64}},
    {"conv2d_transpose_4x4_s2_32to32_128", R"({"class_name": "Conv2DTranspose", "config": {"filters": 32, "kernel_size": 4, "strides": 2, "padding": "same"}})", {1, 128, 128, 32}},
    {"conv3d_3x3x3_16to16_16x64x64", R"({"class_name": "Conv3D", "config": {"filters": 16, "kernel_size": 3, "padding": "same"}})", {1, 16, 64, 64, 16}},
    {"zeropadding2d_64x512", R"({"class_name": "ZeroPadding2D", "config": {"padding": 1}})", {1, 512, 512, 64}},
    {"cropping2d_64x512", R"({"class_name": "Cropping2D", "config": {"cropping": 1}})", {1, 512, 512, 64}},
    {"upsampling2d_nearest_64x256", R"({"class_name": "UpSampling2D", "config": {"size": 2}})", {1, 256, 256, 64}},
    {"upsampling2d_bilinear_64x256", R"({"class_name": "UpSampling2D", "config": {"size": 2, "interpolation": "bilinear"}})", {1, 256, 256, 64}},
    {"maxpool2d_2x2_64x256", R"({"class_name": "MaxPooling2D", "config": {"pool_size": 2}})", {1, 256, 256, 64}, Rate::Bytes},
    {"avgpool2d_3x3_s1_same_64x128", R"({"class_name": "AveragePooling2D", "config": {"pool_size": 3, "strides": 1, "padding": "same"}})", {1, 128, 128, 64}, Rate::Bytes},
    {"global_avgpool2d_64x256", R"({"class_name": "GlobalAveragePooling2D", "config": {}})", {1, 256, 256, 64}, Rate::Bytes},
    {"global_maxpool2d_64x256", R"({"class_name": "GlobalMaxPooling2D", "config": {}})", {1, 256, 256, 64}, Rate::Bytes},
    {"batchnorm_64x256", R"({"class_name": "BatchNormalization", "config": {}})", {1, 256, 256, 64}, Rate::Bytes},
    {"dense_2048to1000", R"({"class_name": "Dense", "config": {"units": 1000}})", {1, 2048}},
    {"add_64x256", R"({"class_name": "Add", "config": {}})", {1, 256, 256, 64}, Rate::Bytes, 2},
    {"concatenate_64x256", R"({"class_name": "Concatenate", "config": {}})", {1, 256, 256, 64}, Rate::Bytes, 2},
    {"conv_bn_relu_64to64_128_unfused", kConvBnRelu, {1, 128, 128, 64}},
    {"conv_bn_relu_64to64_128_fused", kConvBnRelu, {1, 128, 128, 64}, Rate::Auto, 1, true},
};
constexpr const char* kPipelineRow = "default_pipeline_512";

struct BenchArgs {
  bool quick = false;
  std::string only;
  std::string json;
};

bool selected(const BenchArgs& args, std::string_view name) { return name.find(args.only) != std::string_view::npos; }

// "41%", or "0.6%" where a whole percent would read as nothing.
std::string percent(double fraction) {
  const double p = 100 * fraction;
  return p < 10 ? fmt::format("{:.1f}%", p) : fmt::format("{:.0f}%", p);
}

// The row's model: its chain, or its one layer reading the input `reads` times.
Model case_model(const BenchCase& c) {
  const nlohmann::json spec = nlohmann::json::parse(c.layer);
  std::vector<std::shared_ptr<Layer>> layers;
  for (const nlohmann::json& l : spec.is_array() ? spec : nlohmann::json::array({spec}))
    layers.push_back(LayerRegistry::builtin().create(l));
  if (spec.is_array()) return chain_of(std::move(layers), "benchmark");
  Model m;
  m.name = "benchmark";
  m.nodes.push_back({layers.front(), std::vector<Ref>(static_cast<size_t>(c.reads), Ref::input())});
  return m;
}

nlohmann::json time_case(vk::Context& ctx, const BenchCase& c, int warmup, int runs, const Ceilings& ceilings) {
  Model model = case_model(c);
  const int rank = static_cast<int>(c.input.size()) - 2;
  const Shape input = shape_from_keras(c.input, rank, DataFormat::ChannelsLast);
  initialize_weights(model, input, 7);
  const std::vector<Shape> shapes = infer_shapes(model, input);
  double flops = 0;
  for (size_t i = 0; i < model.nodes.size(); ++i) flops += model.layer(i).flops(input_shape_of(model, i, input, shapes));
  if (c.fuse) model = fuse_for_inference(model, input).model;
  const LayerTiming t = time_model(ctx, model, input, warmup, runs);
  nlohmann::json row = {{"name", c.name}, {"ms", t.median_ms}};
  if (flops > 0 && c.rate == Rate::Auto) {
    // The unfused layers' FLOPs for both forms of a fused row: the same work, done faster.
    const double gflops = flops / (t.median_ms * 1e6);
    row["gflops"] = gflops;
    fmt::print("  {:<36} {:9.3f} ms  {:8.2f} GFLOP/s  {:>5} of FMA peak\n", c.name, t.median_ms, gflops,
               percent(gflops / ceilings.fma_gflops));
  } else {
    // Bytes read plus bytes written, each once, as the copy ceiling counts them (a merge
    // reads each of its inputs); 2 per element under --fp16.
    const double element = ctx.options().fp16_storage ? 2.0 : 4.0;
    const double bytes = element * static_cast<double>(static_cast<size_t>(c.reads) * input.size() + shapes.back().size());
    const double gbps = bytes / (t.median_ms * 1e6);
    row["gbps"] = gbps;
    fmt::print("  {:<36} {:9.3f} ms  {:8.2f} GB/s     {:>5} of copy\n", c.name, t.median_ms, gbps,
               percent(gbps / ceilings.copy_gbps));
  }
  return row;
}

// The default pipeline end to end at 512x512, as the app recomputes it on every edit.
nlohmann::json time_default_pipeline(vk::Context& ctx, int warmup, int runs) {
  Model model = parse_pipeline(read_json(asset_path("pipelines/default.json")));
  const Shape input = shape_from_keras({1, 512, 512, 3}, 2, DataFormat::ChannelsLast);
  provide_weights(model, input, {}, asset_path("pipelines/default.json"), 0);
  const auto start = std::chrono::steady_clock::now();
  const LayerTiming t = time_model(ctx, model, input, warmup, runs);
  const double wall =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / (warmup + runs);
  fmt::print("  {:<36} {:9.3f} ms  (wall clock per run {:.1f} ms)\n", kPipelineRow, t.median_ms, wall);
  return {{"name", kPipelineRow}, {"ms", t.median_ms}, {"wall_ms", wall}};
}

void require_some_row(const BenchArgs& args) {
  std::string names;
  for (const BenchCase& c : kSuite) {
    if (selected(args, c.name)) return;
    names += std::string(c.name) + ", ";
  }
  if (selected(args, kPipelineRow)) return;
  throw UserError(fmt::format("bench: --only '{}' matches no row (rows: {}{})", args.only, names, kPipelineRow));
}

int run_bench(const GlobalOptions& global, const BenchArgs& args) {
  require_some_row(args);
  vk::Context ctx(global.context_options());
  const int warmup = args.quick ? 1 : 3, runs = args.quick ? 3 : 10;
  fmt::print("convscope bench on {} ({}), median of {} runs\n", ctx.info().name, vk::device_type_name(ctx.info().type),
             runs);
  const Ceilings ceilings = measure_ceilings(ctx, warmup, runs);
  fmt::print("  ceilings: copy {:.2f} GB/s ({} MiB buffer copy, read + write), FMA peak {:.2f} GFLOP/s\n",
             ceilings.copy_gbps, kCopyCeilingBytes >> 20, ceilings.fma_gflops);
  nlohmann::json results = nlohmann::json::array();
  for (const BenchCase& c : kSuite)
    if (selected(args, c.name)) results.push_back(time_case(ctx, c, warmup, runs, ceilings));
  if (selected(args, kPipelineRow)) results.push_back(time_default_pipeline(ctx, warmup, runs));
  if (!args.json.empty()) {
    const nlohmann::json doc = {{"device", ctx.info().name},
                                {"ceilings", {{"copy_gbps", ceilings.copy_gbps}, {"fma_gflops", ceilings.fma_gflops}}},
                                {"results", results}};
    write_file_atomically(args.json, doc.dump(2) + "\n", "the benchmark JSON");
    fmt::print("wrote {}\n", args.json);
  }
  return report_validation(ctx) ? 0 : 1;
}

}  // namespace

void add_bench_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto args = std::make_shared<BenchArgs>();
  auto* cmd = app.add_subcommand("bench", "Time a fixed suite of layers on the current device");
  cmd->add_flag("--quick", args->quick, "Fewer runs per layer");
  cmd->add_option("--only", args->only, "Run only the rows whose name contains this (the ceilings always run)");
  cmd->add_option("--json", args->json, "Also write the results as JSON to this file");
  cmd->callback([&global, &action, args] { action = [&global, args] { return run_bench(global, *args); }; });
}

}  // namespace convscope::app
