// `convscope layers`: the Keras layer classes convscope runs, by family, with the older names
// it reads for them: what a refused model's message points to.
#include <fmt/format.h>

#include <map>

#include "app/cli/commands.h"
#include "layers/registry.h"

namespace convscope::app {

namespace {

int run_layers() {
  std::map<std::string, std::vector<const LayerDescriptor*>> families;
  for (const auto& [name, d] : LayerRegistry::builtin().descriptors()) families[d.family].push_back(&d);
  for (const auto& [family, descriptors] : families) {
    fmt::print("{}:\n", family.empty() ? "other" : family);
    for (const LayerDescriptor* d : descriptors) {
      std::string aliases;
      for (const auto& a : d->aliases) aliases += (aliases.empty() ? "" : ", ") + a;
      fmt::print("  {}{}\n", d->class_name, aliases.empty() ? "" : fmt::format(" (also read as {})", aliases));
    }
  }
  fmt::print("and the models that hold them: Sequential, Functional, Model (nested ones too)\n");
  return 0;
}

}  // namespace

void add_layers_command(CLI::App& app, const GlobalOptions&, Action& action) {
  auto* cmd = app.add_subcommand("layers", "List the Keras layer classes convscope runs, by family");
  cmd->callback([&action] { action = [] { return run_layers(); }; });
}

}  // namespace convscope::app
