// Faults the device can report during a run, injected (vk/fault.h) so they happen on any
// device: running out of device memory and losing the device. The engine names what failed;
// the CLI says so in one line, exits 1 and leaves no output behind. The desktop app's side
// (it reopens the device and carries on) is in test_gui.cpp.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <regex>
#include <string>

#include "cli_run.h"
#include "gpu.h"
#include "io/npy.h"
#include "layer_check.h"
#include "vk/device_tensor.h"
#include "vk/check.h"
#include "vk/fault.h"

using namespace convscope;
namespace fs = std::filesystem;

namespace {

// A lost device must not stay lost for the tests after this one, whatever happened here.
struct Disarm {
  ~Disarm() { vk::fault::disarm(); }
};

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("an allocation that fails names its tensor, and the next one works", "[vk][reliability]") {
  vk::Context& ctx = test::gpu();
  const Disarm disarm;
  const Shape shape{1, 3, 1, 16, 16, 2};
  vk::fault::arm(vk::fault::Kind::OutOfDeviceMemory);
  const std::string message = error_of([&] { allocate(ctx, shape, "Conv2D 'c'"); });
  INFO(message);
  CHECK(message.rfind("Conv2D 'c': Vulkan: allocating", 0) == 0);
  CHECK(message.find("VK_ERROR_OUT_OF_DEVICE_MEMORY (the GPU ran out of memory") != std::string::npos);
  CHECK_NOTHROW(allocate(ctx, shape, "Conv2D 'c'"));
  test::require_validation_clean(ctx);
}

TEST_CASE("a lost device stays lost until a new one is opened", "[vk][reliability]") {
  const Disarm disarm;
  vk::Context ctx(test::gpu_options());
  const auto nothing = [](VkCommandBuffer) {};
  vk::fault::arm(vk::fault::Kind::DeviceLost, 1);
  CHECK_NOTHROW(ctx.execute(nothing));  // one submission let through
  CHECK_THROWS_AS(ctx.execute(nothing), vk::DeviceLost);
  CHECK_THROWS_AS(ctx.execute(nothing), vk::DeviceLost);  // as a real lost device: every later one fails
  const std::string message = error_of([&] { ctx.execute(nothing); });
  CHECK(message == "Vulkan: submitting work failed: VK_ERROR_DEVICE_LOST (the GPU stopped responding: a driver reset "
                   "or crash)");
  vk::Context fresh(test::gpu_options());
  CHECK_NOTHROW(fresh.execute(nothing));
  test::require_validation_clean(ctx);
  test::require_validation_clean(fresh);
}

// Every allocation and every submission of a run fails in turn (oom@N, device-lost@N for N =
// 0, 1, ... until the run gets through): each failure is one line naming the tensor or layer
// that needed the memory, exit 1, and no output file or folder.
TEST_CASE("out of memory or a lost device anywhere in a CLI run: one line, exit 1, no output", "[cli][reliability]") {
  const fs::path dir = test::scratch_dir("faults");
  write_npy(dir / "x.npy", test::random_array({1, 8, 8, 3}, 1));
  write_npy(dir / "k.npy", test::random_array({3, 3, 3, 4}, 2));
  write_npy(dir / "b.npy", test::random_array({4}, 3));
  const std::string conv = R"('{"class_name": "Conv2D", "config": {"name": "c", "filters": 4, "kernel_size": 3}}')";
  const fs::path assets = fs::path(CONVSCOPE_SOURCE_DIR) / "assets";
  const std::string eval = fmt::format("eval {} {} {} {} -o {}", conv, test::quoted(dir / "x.npy"),
                                       test::quoted(dir / "k.npy"), test::quoted(dir / "b.npy"),
                                       test::quoted(dir / "y.npy"));
  const std::string run = fmt::format("run {} --image {} --out {}", test::quoted(assets / "pipelines/default.json"),
                                      test::quoted(assets / "images/default.png"), test::quoted(dir / "out"));
  const std::regex names_tensor(R"(convscope: failed: (input|\w+ '\w+'): Vulkan: allocating [0-9.]+ (bytes|KiB|MiB) )"
                                R"(of device memory failed: VK_ERROR_OUT_OF_DEVICE_MEMORY \(the GPU ran out of memory)");

  for (const auto& [command, output] : {std::pair{eval, dir / "y.npy"}, std::pair{run, dir / "out"}}) {
    for (const std::string fault : {"oom", "device-lost"}) {
      const bool oom = fault == "oom";
      int failures = 0;
      for (int n = 0; n < 40; ++n) {
        const auto r = test::run_cli_with_prefix(fmt::format("CONVSCOPE_FAULT={}@{}", fault, n), command);
        INFO(command << " with " << fault << "@" << n << ": " << r.err);
        if (r.exit_code == 0) break;
        ++failures;
        test::require_one_line_failure(r, oom ? "VK_ERROR_OUT_OF_DEVICE_MEMORY" : "VK_ERROR_DEVICE_LOST");
        if (oom) CHECK(std::regex_search(r.err, names_tensor));
        CHECK_FALSE(fs::exists(output));
      }
      INFO(command << " with " << fault);
      CHECK(failures >= (oom ? 3 : 1));  // input, output, weights; one submission at least
      CHECK(failures < 40);              // and with enough calls let through, the run works
      fs::remove_all(output);
    }
  }
  const auto r = test::run_cli_with_prefix("CONVSCOPE_FAULT=fire", eval);
  test::require_one_line_error(r, "CONVSCOPE_FAULT: unknown fault 'fire'; known are oom[@N] and device-lost[@N]");
}
