// `convscope devices`: every Vulkan device the loader sees, with the limits that matter.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/cli/commands.h"

namespace convscope::app {

namespace {

nlohmann::json to_json(const vk::DeviceInfo& d, bool selected) {
  return {{"index", d.index},
          {"name", d.name},
          {"type", vk::device_type_name(d.type)},
          {"selected", selected},
          {"api_version", vk::api_version_string(d.api_version)},
          {"driver", d.driver},
          {"subgroup_size", d.subgroup_size},
          {"max_workgroup_count", d.max_workgroup_count},
          {"max_workgroup_size", d.max_workgroup_size},
          {"max_workgroup_invocations", d.max_workgroup_invocations},
          {"max_shared_memory_bytes", d.max_shared_memory},
          {"max_storage_buffer_range_bytes", d.max_storage_buffer_range},
          {"device_local_memory_bytes", d.device_local_memory},
          {"timestamps", d.timestamps},
          {"subgroup_broadcast", d.subgroup_broadcast},
          {"fp16_storage", d.fp16_storage}};
}

void print(const vk::DeviceInfo& d, bool selected) {
  const auto& wc = d.max_workgroup_count;
  const auto& ws = d.max_workgroup_size;
  fmt::print("{}: {} [{}]{}\n", d.index, d.name, vk::device_type_name(d.type), selected ? "  <- selected" : "");
  fmt::print("   Vulkan {}, driver {}\n", vk::api_version_string(d.api_version), d.driver);
  fmt::print("   subgroup size {}; max workgroup count {} x {} x {}; max workgroup size {} x {} x {} ({} invocations)\n",
             d.subgroup_size, wc[0], wc[1], wc[2], ws[0], ws[1], ws[2], d.max_workgroup_invocations);
  fmt::print("   max storage buffer {:.0f} MiB; shared memory {} KiB; device-local memory {:.1f} GiB; timestamps {}\n",
             d.max_storage_buffer_range / 1048576.0, d.max_shared_memory / 1024, d.device_local_memory / 1073741824.0,
             d.timestamps ? "yes" : "no");
  // What picks the kernels: the dense convolution needs broadcasts, --fp16 16-bit storage.
  fmt::print("   subgroup broadcast {}; 16-bit storage (--fp16) {}\n", d.subgroup_broadcast ? "yes" : "no",
             d.fp16_storage ? "yes" : "no");
}

}  // namespace

void add_devices_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto* cmd = app.add_subcommand("devices", "List the Vulkan devices convscope can use, and which it picks");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Print JSON instead of text");
  cmd->callback([&global, &action, json] {
    action = [&global, json] {
      const vk::ContextOptions options = global.context_options();
      const auto devices = vk::list_devices(options.validation);
      const uint32_t chosen = vk::choose_device(devices, options.device_selector);
      if (*json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& d : devices) out.push_back(to_json(d, d.index == chosen));
        fmt::print("{}\n", out.dump(2));
      } else {
        for (const auto& d : devices) print(d, d.index == chosen);
      }
      return 0;
    };
  });
}

}  // namespace convscope::app
