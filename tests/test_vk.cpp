// The Vulkan core: device choice, dispatch folding, staging, timestamps, reflection,
// the pipeline cache, limits, and the validation plumbing itself.
#include <catch2/catch.hpp>

#include <bit>
#include <cstddef>
#include <random>

#include "core/error.h"
#include "embedded_shaders.h"
#include "gpu.h"
#include "layer_check.h"
#include "run/session.h"
#include "vk/sequence.h"
#include "check_quotient_params.h"
#include "remap_params.h"

using namespace convscope;

namespace {

std::unique_ptr<Layer> padding_layer() {
  return test::make_layer(nlohmann::json::parse(
      R"({"class_name": "ZeroPadding2D", "config": {"name": "w", "padding": [[1, 2], [3, 0]]}})"));
}

// Upsampling runs as a compute dispatch (cropping and padding are copies).
std::unique_ptr<Layer> upsampling_layer() {
  return test::make_layer(
      nlohmann::json::parse(R"({"class_name": "UpSampling2D", "config": {"name": "u", "size": [2, 3]}})"));
}

Shape image_shape(int64_t n, int64_t c, int64_t h, int64_t w) {
  Shape s;
  s.n = n, s.c = c, s.h = h, s.w = w;
  return s;
}

Tensor run_with(vk::Context& ctx, const Layer& layer, const Tensor& input) {
  RunResult r = run_model(ctx, chain_of({layer.clone()}), input);
  test::require_validation_clean(ctx);
  return std::move(r.outputs.back());
}

}  // namespace

TEST_CASE("fold_groups keeps every grid dimension under the limit and covers all groups", "[vk]") {
  const std::array<uint32_t, 3> max{4, 3, 5};
  for (uint64_t groups : {1ull, 4ull, 5ull, 12ull, 13ull, 59ull, 60ull}) {
    const vk::GroupCount g = vk::fold_groups(groups, max);
    INFO(groups << " -> " << g.x << "x" << g.y << "x" << g.z);
    CHECK(g.x <= 4);
    CHECK(g.y <= 3);
    CHECK(g.z <= 5);
    CHECK(uint64_t{g.x} * g.y * g.z >= groups);
    CHECK(uint64_t{g.x} * g.y * (g.z - 1) < groups);  // no whole empty layer of groups
  }
  CHECK(vk::fold_groups(3, max).y == 1);
  REQUIRE_THROWS_AS(vk::fold_groups(61, max), UserError);
}

TEST_CASE("dispatches folded under a tiny workgroup-count limit still cover every element", "[vk]") {
  vk::ContextOptions o = test::gpu_options();
  o.max_workgroup_count_override = 3;  // at most 27 groups of 64: 1728 elements
  vk::Context ctx(o);
  auto layer = upsampling_layer();
  const Tensor input = test::random_tensor(image_shape(2, 5, 4, 5), 3);  // output 2*5*8*15 = 1200
  const Tensor out = run_with(ctx, *layer, input);
  CHECK(test::max_relative_error(out, layer->reference(input)) == 0.0);

  const Tensor too_big = test::random_tensor(image_shape(3, 5, 4, 5), 3);  // 1800 > 1728
  REQUIRE_THROWS_WITH(run_model(ctx, chain_of({layer->clone()}), too_big), Catch::Contains("exceeds the device's grid"));
  test::require_validation_clean(ctx);
}

TEST_CASE("data moves through staging buffers when device memory is not mapped", "[vk]") {
  vk::ContextOptions o = test::gpu_options();
  o.force_staging = true;
  vk::Context ctx(o);
  auto layer = padding_layer();
  const Tensor input = test::random_tensor(image_shape(1, 3, 4, 5), 11);
  CHECK(test::max_relative_error(run_with(ctx, *layer, input), layer->reference(input)) == 0.0);
}

TEST_CASE("each node is timed, with GPU timestamps or on the host", "[vk][session]") {
  vk::Context& ctx = test::gpu();
  std::shared_ptr<Layer> layer = padding_layer();
  for (const NodeTiming timing : {NodeTiming::GpuTimestamps, NodeTiming::Host}) {
    if (timing == NodeTiming::GpuTimestamps && !ctx.info().timestamps) continue;
    const RunResult r = run_model(ctx, chain_of({layer, layer}), test::random_tensor(image_shape(1, 2, 8, 8), 1), timing);
    test::require_validation_clean(ctx);
    REQUIRE(r.outputs.size() == 2);
    REQUIRE(r.node_ms.size() == 2);
    CHECK(r.node_ms[0] > 0.0);
    CHECK(r.node_ms[1] < 10000.0);
  }
}

TEST_CASE("reflection reads each embedded shader's buffers and push-constant size", "[vk]") {
  REQUIRE(!shaders::all().empty());
  for (const vk::ShaderCode* shader : shaders::all()) {
    INFO(shader->name);
    const vk::ShaderInterface iface = vk::reflect(shader->spirv, shader->name);
    const bool graphics = shader->name.rfind("map_", 0) == 0;  // the app's map drawing shaders
    CHECK((graphics || iface.storage_buffers >= 1));
    CHECK(iface.push_constant_bytes <= 128);  // the minimum every device guarantees
  }
  const vk::ShaderInterface wc = vk::reflect(shaders::remap.spirv, "remap");
  CHECK(wc.storage_buffers == 2);
  CHECK(wc.push_constant_bytes == sizeof(gpu::RemapParams));
  REQUIRE(wc.push_members.size() == 6);
  CHECK(wc.push_members[3].offset == offsetof(gpu::RemapParams, linear));
  CHECK(wc.push_members[5].offset == offsetof(gpu::RemapParams, elements));
  CHECK(wc.spec_ids == std::vector<uint32_t>{SPEC_WORKGROUP_WIDTH, REMAP_SPEC_OX, REMAP_SPEC_OY, REMAP_SPEC_OZ,
                                             REMAP_SPEC_FX, REMAP_SPEC_FY, REMAP_SPEC_FZ, REMAP_SPEC_LINEAR});
  const uint32_t not_spirv[] = {1, 2, 3, 4, 5, 6};
  REQUIRE_THROWS_AS(vk::reflect(not_spirv, "junk"), Error);
}

TEST_CASE("a dispatch whose push constants disagree with the shader is refused", "[vk]") {
  vk::Context& ctx = test::gpu();
  const auto& pipeline = ctx.pipeline(shaders::remap, vk::workgroup_width(64));
  vk::Buffer a(ctx, 64, vk::MemoryUse::Device), b(ctx, 64, vk::MemoryUse::Device);
  struct Wrong {
    uint32_t x[4];
  } wrong{};
  vk::Sequence seq(ctx);
  REQUIRE_THROWS_WITH(seq.dispatch(pipeline, {&a, &b}, wrong, 1, "wrong"), Catch::Contains("push-constant bytes"));
  gpu::RemapParams right{};
  REQUIRE_THROWS_WITH(seq.dispatch(pipeline, {&a}, right, 1, "wrong"), Catch::Contains("takes 2 buffers"));
}

TEST_CASE("the pipeline cache builds each shader and constant set once", "[vk]") {
  vk::Context& ctx = test::gpu();
  const auto& a = ctx.pipeline(shaders::remap, vk::workgroup_width(64));
  const size_t count = ctx.pipeline_count();
  CHECK(&ctx.pipeline(shaders::remap, vk::workgroup_width(64)) == &a);
  CHECK(ctx.pipeline_count() == count);
  const auto& b = ctx.pipeline(shaders::remap, vk::workgroup_width(32));
  CHECK(&b != &a);
  CHECK(b.workgroup_size() == 32);
  CHECK(ctx.pipeline_count() == count + 1);
  // Constants are keyed by id, not by the order they were set in.
  const auto& c = ctx.pipeline(shaders::remap, vk::SpecConstants().set(REMAP_SPEC_FX, 2).set(SPEC_WORKGROUP_WIDTH, 64));
  CHECK(&ctx.pipeline(shaders::remap, vk::workgroup_width(64).set(REMAP_SPEC_FX, 2)) == &c);
  CHECK(ctx.pipeline_count() == count + 2);
}

TEST_CASE("a pipeline given a specialization constant its shader does not declare is refused", "[vk]") {
  vk::Context& ctx = test::gpu();
  const size_t count = ctx.pipeline_count();
  // conv_dense's stride-phase constant: an id remap.comp does not declare.
  REQUIRE_THROWS_WITH(ctx.pipeline(shaders::remap, vk::workgroup_width(64).set(CONV_SPEC_OSX, 2)),
                      Catch::StartsWith("internal: shader remap declares no specialization constant 13"));
  REQUIRE_THROWS_WITH(ctx.pipeline(shaders::remap, vk::SpecConstants().set(REMAP_SPEC_LINEAR, 1)),
                      Catch::Contains("without its workgroup width"));
  CHECK(ctx.pipeline_count() == count);
}

TEST_CASE("device choice prefers discrete over integrated over CPU, and obeys the selector", "[vk]") {
  auto dev = [](uint32_t i, const char* name, VkPhysicalDeviceType t) {
    vk::DeviceInfo d;
    d.index = i, d.name = name, d.type = t, d.api_version = VK_API_VERSION_1_3, d.has_compute_queue = true;
    return d;
  };
  const std::vector<vk::DeviceInfo> devices{dev(0, "llvmpipe", VK_PHYSICAL_DEVICE_TYPE_CPU),
                                            dev(1, "Intel UHD", VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU),
                                            dev(2, "NVIDIA H100", VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU)};
  CHECK(vk::choose_device(devices, "") == 2);
  CHECK(vk::choose_device({devices[0], devices[1]}, "") == 1);
  CHECK(vk::choose_device(devices, "0") == 0);
  CHECK(vk::choose_device(devices, "LLVM") == 0);
  CHECK(vk::choose_device(devices, "uhd") == 1);
  REQUIRE_THROWS_WITH(vk::choose_device(devices, "radeon"),
                      Catch::Contains("CONVSCOPE_DEVICE") && Catch::Contains("2: NVIDIA H100"));
  REQUIRE_THROWS_AS(vk::choose_device(devices, "7"), UserError);
}

TEST_CASE("the real device list includes the chosen device with sane limits", "[vk]") {
  const auto devices = vk::list_devices(false);
  REQUIRE(!devices.empty());
  const vk::DeviceInfo& d = test::gpu().info();
  CHECK(d.max_workgroup_count[0] >= 65535);
  CHECK(d.max_storage_buffer_range >= (1u << 27));
  CHECK(d.subgroup_size >= 1);
  CHECK(!d.name.empty());
}

TEST_CASE("a tensor larger than one storage buffer is refused before allocation", "[vk]") {
  vk::Context& ctx = test::gpu();
  Shape huge = image_shape(1, 1, 1, 1);
  huge.w = static_cast<int64_t>(ctx.info().max_storage_buffer_range / 4 + 1);
  REQUIRE_THROWS_WITH(allocate(ctx, huge, "layer 'big'"), Catch::Contains("layer 'big'") && Catch::Contains("MiB"));
}

TEST_CASE("validation messages reach the log that tests check", "[vk]") {
  // Inject a message through the debug-utils entry point: proves the plumbing without
  // relying on some invalid usage the layer might one day stop reporting.
  vk::Context ctx(test::gpu_options());
  auto submit = reinterpret_cast<PFN_vkSubmitDebugUtilsMessageEXT>(
      vkGetInstanceProcAddr(ctx.instance(), "vkSubmitDebugUtilsMessageEXT"));
  REQUIRE(submit != nullptr);
  VkDebugUtilsMessengerCallbackDataEXT data{VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CALLBACK_DATA_EXT};
  data.pMessage = "injected by the test";
  submit(ctx.instance(), VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT, VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT,
         &data);
  const auto messages = ctx.validation_log().take();  // taken: this one is expected
  REQUIRE(messages.size() == 1);
  CHECK(messages[0] == "injected by the test");
}

TEST_CASE("the shaders' division-free quotient equals integer division up to 2^31 - 1", "[vk]") {
  vk::Context& ctx = test::gpu();
  std::vector<std::pair<int32_t, int32_t>> pairs;
  std::mt19937 rng(5);
  const int32_t divisors[] = {1, 2, 3, 7, 8, 63, 64, 100, 255, 1000, 4097, 65535, 1 << 20, 12345678, INT32_MAX};
  for (int32_t b : divisors) {
    const int64_t wide = b;  // b + 1 and 2b - 1 overflow int32 for the largest divisor
    for (int64_t a : {int64_t{0}, int64_t{1}, wide - 1, wide, wide + 1, 2 * wide - 1, int64_t{INT32_MAX},
                      int64_t{INT32_MAX} - 1, int64_t{1} << 24, (int64_t{1} << 24) + 1, int64_t{16777217} * 3})
      if (a >= 0 && a <= INT32_MAX) pairs.emplace_back(static_cast<int32_t>(a), b);
    for (int k = 0; k < 200; ++k) pairs.emplace_back(static_cast<int32_t>(rng() & 0x7fffffffu), b);
    // Exact multiples just above and below, where a rounded float quotient falls either side.
    for (int64_t m : {int64_t{3}, int64_t{1} << 20, (int64_t{1} << 24) + 1, int64_t{INT32_MAX} / b})
      for (int64_t d : {-1, 0, 1})
        if (const int64_t a = m * b + d; a >= 0 && a <= INT32_MAX) pairs.emplace_back(static_cast<int32_t>(a), b);
  }
  std::vector<float> packed(pairs.size() * 2);
  for (size_t i = 0; i < pairs.size(); ++i) {
    packed[2 * i] = std::bit_cast<float>(pairs[i].first);
    packed[2 * i + 1] = std::bit_cast<float>(pairs[i].second);
  }
  vk::Sequence seq(ctx);
  const vk::Buffer& in = seq.constant(packed);
  const vk::Buffer& out = seq.scratch(pairs.size() * sizeof(int32_t));
  const uint32_t count = static_cast<uint32_t>(pairs.size());
  gpu::QuotientParams p{};
  p.count = count;
  seq.dispatch_elements(ctx.pipeline(shaders::check_quotient, vk::workgroup_width(64)), {&in, &out}, p, count, "quotient");
  seq.submit();
  test::require_validation_clean(ctx);
  const std::vector<float> got = vk::download(ctx, out, pairs.size());
  int wrong = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const auto [a, b] = pairs[i];
    if (std::bit_cast<int32_t>(got[i]) != a / b && ++wrong <= 5)
      FAIL_CHECK(a << " / " << b << ": got " << std::bit_cast<int32_t>(got[i]) << ", want " << a / b);
  }
  CHECK(wrong == 0);
}
