#pragma once
// Each CLI subcommand registers itself on the CLI11 app; main.cpp only wires them up and
// turns errors into exit codes (2: bad input, 1: anything else).
#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "vk/context.h"

namespace convscope::app {

struct GlobalOptions {
  bool validation = false;
  std::string device;  // overrides CONVSCOPE_DEVICE
  bool fp16 = false;   // ContextOptions::fp16_storage
  vk::ContextOptions context_options() const;
};

// The action to run after parsing; a subcommand sets it from its callback.
using Action = std::function<int()>;

void add_devices_command(CLI::App& app, const GlobalOptions& global, Action& action);
void add_eval_command(CLI::App& app, const GlobalOptions& global, Action& action);
void add_demo_command(CLI::App& app, const GlobalOptions& global, Action& action);
void add_bench_command(CLI::App& app, const GlobalOptions& global, Action& action);
void add_fit_crop_command(CLI::App& app, const GlobalOptions& global, Action& action);
void add_summary_command(CLI::App& app, const GlobalOptions& global, Action& action);
void add_run_command(CLI::App& app, const GlobalOptions& global, Action& action);
void add_convert_command(CLI::App& app, const GlobalOptions& global, Action& action);
void add_layers_command(CLI::App& app, const GlobalOptions& global, Action& action);
void add_gui_command(CLI::App& app, const GlobalOptions& global, Action& action);

// Prints what the validation layer said (if it was on) to stderr; true when it said nothing.
bool report_validation(vk::Context& ctx);

}  // namespace convscope::app
