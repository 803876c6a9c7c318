// `convscope gui`: the desktop app (app/gui/). Opens the bundled image and default pipeline
// unless told otherwise; --script drives it and --screenshot writes the window to a PNG and
// exits; --profile N times N full recomputes and N edits of the last layer.
#include <memory>

#include "app/cli/commands.h"
#include "app/gui/app.h"

namespace convscope::app {

void add_gui_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto args = std::make_shared<gui::AppOptions>();
  auto* cmd = app.add_subcommand("gui", "The desktop app: stack layers on an image and watch every feature map live");
  cmd->add_option("--pipeline", args->pipeline, "Pipeline to open (default: the bundled default)");
  cmd->add_option("--image", args->image, "Image to open (default: the bundled sample)");
  cmd->add_option("--labels", args->labels, "Class labels for vector outputs, one per line (as File > Open class labels)");
  cmd->add_option("--script", args->script, "Text file of UI actions to run, one per frame");
  cmd->add_option("--screenshot", args->screenshot, "Write the window to this PNG once the script has run, then exit");
  cmd->add_option("--profile", args->profile,
                  "After the script, time this many full recomputes and as many edits of the last layer, print the "
                  "times and exit")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--state-dir", args->state_dir,
                  "Where unsaved edits are autosaved and offered again at the next start (default: "
                  "$XDG_STATE_HOME/convscope or ~/.local/state/convscope; runs with --script, --screenshot or "
                  "--profile autosave only when given this)");
  cmd->add_option("--width", args->width, "Window width")->capture_default_str();
  cmd->add_option("--height", args->height, "Window height")->capture_default_str();
  cmd->callback([&global, &action, args] {
    action = [&global, args] { return gui::run_app(global.context_options(), *args); };
  });
}

}  // namespace convscope::app
