#include <fmt/format.h>

#include <cstdio>
#include <new>

#include "app/cli/commands.h"
#include "core/error.h"

using namespace convscope;

namespace convscope::app {

vk::ContextOptions GlobalOptions::context_options() const {
  vk::ContextOptions o = vk::ContextOptions::from_environment();
  o.validation = o.validation || validation;
  if (!device.empty()) o.device_selector = device;
  o.fp16_storage = fp16;
  return o;
}

bool report_validation(vk::Context& ctx) {
  const auto messages = ctx.validation_log().take();
  for (const auto& m : messages) fmt::print(stderr, "convscope: validation: {}\n", m);
  return messages.empty();
}

}  // namespace convscope::app

int main(int argc, char** argv) {
  CLI::App cli{"convscope: Keras convolution, cropping, padding and upsampling layers on the GPU, exactly"};
  cli.require_subcommand(1);
  app::GlobalOptions global;
  cli.add_flag("--validation", global.validation, "Enable the Vulkan validation layer (also CONVSCOPE_VALIDATION=1)");
  cli.add_option("--device", global.device, "Device index or name substring (also CONVSCOPE_DEVICE)");
  cli.add_flag("--fp16", global.fp16,
               "Keep tensors on the device as 16-bit floats (arithmetic stays 32-bit): half the memory, ~3 digits");

  app::Action action;
  app::add_devices_command(cli, global, action);
  app::add_eval_command(cli, global, action);
  app::add_demo_command(cli, global, action);
  app::add_bench_command(cli, global, action);
  app::add_fit_crop_command(cli, global, action);
  app::add_summary_command(cli, global, action);
  app::add_run_command(cli, global, action);
  app::add_convert_command(cli, global, action);
  app::add_layers_command(cli, global, action);
  app::add_gui_command(cli, global, action);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return cli.exit(e);  // --help
    // Usage errors are bad input like any other: one line, exit 2.
    fmt::print(stderr, "convscope: error: {} (see convscope --help)\n", e.what());
    return 2;
  }
  try {
    return action ? action() : 0;
  } catch (const UserError& e) {
    fmt::print(stderr, "convscope: error: {}\n", e.what());
    return 2;
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "convscope: failed: the computer ran out of memory (std::bad_alloc); try a smaller input or "
                       "smaller layers\n");
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "convscope: failed: {}\n", e.what());
    return 1;
  }
}
