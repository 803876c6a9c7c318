// `convscope gui`: the desktop app. Opens the bundled image and default pipeline unless told
// otherwise; --script drives it and --screenshot writes the window to a PNG and exits;
// --profile N recomputes the whole stack in N frames and prints how long that took.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <vector>

#include "app/assets.h"
#include "app/commands.h"
#include "app/gui/autosave.h"
#include "app/gui/gui_window.h"
#include "app/gui/script.h"
#include "app/gui/ui.h"
#include "core/error.h"
#include "vk/check.h"

namespace convscope::app {

namespace {

struct GuiArgs {
  std::string pipeline, image, script, screenshot, state_dir;
  int width = 1280, height = 900;
  int profile = 0;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// One line per measure: what the user waits for after an edit to the first layer.
void print_profile(const gui::Workspace& ws, const std::vector<double>& recompute, const std::vector<double>& layers,
                   const std::vector<double>& frames) {
  const Shape& s = ws.input().shape;
  fmt::print("profile: {} full recomputes of '{}' ({} layers) on {} ({}x{}x{}), {}\n", recompute.size(),
             ws.pipeline_name(), ws.slots().size(), ws.image_name(), s.h, s.w, s.c,
             ws.host_timed() ? "layers host-timed (CPU device)" : "layers from GPU timestamps");
  fmt::print("  recompute (layers, colouring, texture copies): median {:.1f} ms, max {:.1f} ms\n", median(recompute),
             *std::max_element(recompute.begin(), recompute.end()));
  fmt::print("  layers alone:                                  median {:.1f} ms\n", median(layers));
  fmt::print("  whole frame with the recompute:                median {:.1f} ms, max {:.1f} ms\n", median(frames),
             *std::max_element(frames.begin(), frames.end()));
}

int run_gui(const GlobalOptions& global, const GuiArgs& args) {
  std::vector<gui::ScriptStep> steps;
  if (!args.script.empty()) steps = gui::parse_script(args.script);  // refuse a bad script before any window
  gui::GuiWindow window(args.width, args.height, global.context_options());
  auto renderer = std::make_unique<gui::MapRenderer>(window.context(), window.render_pass());
  gui::Workspace ws(window.context(), *renderer);
  ws.open_image(args.image.empty() ? asset_path("images/default.png") : std::filesystem::path(args.image));
  ws.open_pipeline(args.pipeline.empty() ? asset_path("pipelines/default.json") : std::filesystem::path(args.pipeline));
  gui::Ui ui(ws, *renderer);
  gui::ScriptRunner script(std::move(steps));
  // Scripted runs leave the user's own recovery folder alone unless pointed at one.
  const bool scripted = !args.script.empty() || !args.screenshot.empty() || args.profile > 0;
  gui::Autosave autosave(!args.state_dir.empty() ? std::filesystem::path(args.state_dir)
                         : scripted              ? std::filesystem::path()
                                                 : gui::Autosave::default_state_dir());
  ui.set_autosave(autosave);
  bool validation_clean = true;

  // A lost device: everything made on it goes, the window opens the device again, and the
  // workspace moves over with its stack, image and settings and recomputes. A device lost
  // again and again (a driver that keeps resetting) ends the app after a few tries.
  std::vector<std::chrono::steady_clock::time_point> losses;
  const auto reopen = [&](const vk::DeviceLost& lost) {
    for (std::string why = lost.what();;) {
      losses.push_back(std::chrono::steady_clock::now());
      if (losses.size() >= 4 && losses.back() - losses[losses.size() - 4] < std::chrono::minutes(1))
        throw Error(fmt::format("{}; the device was lost 4 times within a minute, giving up", why));
      fmt::print(stderr, "convscope: note: {}; reopening the device\n", why);
      validation_clean &= report_validation(window.context());
      ws.release_device();
      renderer.reset();
      try {
        window.reopen_device();
        renderer = std::make_unique<gui::MapRenderer>(window.context(), window.render_pass());
        ui.set_renderer(*renderer);
        ws.attach_device(window.context(), *renderer);
      } catch (const vk::DeviceLost& again) {
        why = again.what();
        continue;
      }
      ws.set_notice(fmt::format("the device was lost ({}); reopened {} and recomputed the stack",
                                vk::result_name(VK_ERROR_DEVICE_LOST), window.context().info().name));
      return;
    }
  };
  const auto guarded = [&](const std::function<void()>& work) {
    try {
      work();
    } catch (const vk::DeviceLost& lost) {
      reopen(lost);
    }
  };

  // Frames after the script ends before the final screenshot, so every change is drawn.
  int settle = 3;
  int profile_left = args.profile;
  std::vector<double> recompute, layers, frames;
  const auto redraw = [&] {
    renderer->begin_frame();
    ws.update();
    ui.draw();
  };
  const auto shoot = [&](const std::filesystem::path& path) {
    guarded([&] { window.frame(redraw, path); });  // the state as it now is, once more, into the file
    fmt::print("screenshot {}\n", path.string());
  };
  try {
    while (!window.should_close()) {
      std::filesystem::path capture;
      for (const auto& dropped : window.take_dropped()) {
        // A .json is a pipeline, anything else an image; a file that cannot be read says why.
        try {
          if (dropped.extension() == ".json") ws.open_pipeline(dropped);
          else ws.open_image(dropped);
        } catch (const Error& e) {
          fmt::print(stderr, "convscope: {}\n", e.what());
        }
      }
      guarded([&] {
        window.frame([&] {
          renderer->begin_frame();
          capture = script.step(ws, ui, autosave);
          ws.advance_fit(10);  // a fit replays ten steps a frame
          ws.update();
          ui.draw();
        });
      });
      autosave.tick(ws);
      if (const std::string asked = ui.take_capture_request(); !asked.empty()) capture = asked;
      if (!capture.empty()) shoot(capture);
      if (script.done() && profile_left > 0) {
        ws.invalidate();
        const auto t0 = std::chrono::steady_clock::now();
        guarded([&] { window.frame(redraw); });
        frames.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        recompute.push_back(ws.update_ms());
        layers.push_back(ws.total_ms());
        if (--profile_left == 0) {
          print_profile(ws, recompute, layers, frames);
          if (args.screenshot.empty()) break;
        }
        continue;
      }
      if (script.done() && !args.screenshot.empty() && --settle == 0) {
        shoot(args.screenshot);
        break;
      }
    }
  } catch (...) {
    autosave.flush(ws);  // whatever ends the app, the last edits are on disk
    throw;
  }
  autosave.flush(ws);
  if (!ws.status().empty()) fmt::print(stderr, "convscope: note: {}\n", ws.status());
  validation_clean &= report_validation(window.context());
  return validation_clean ? 0 : 1;
}

}  // namespace

void add_gui_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto args = std::make_shared<GuiArgs>();
  auto* cmd = app.add_subcommand("gui", "The desktop app: stack layers on an image and watch every feature map live");
  cmd->add_option("--pipeline", args->pipeline, "Pipeline to open (default: the bundled default)");
  cmd->add_option("--image", args->image, "Image to open (default: the bundled sample)");
  cmd->add_option("--script", args->script, "Text file of UI actions to run, one per frame");
  cmd->add_option("--screenshot", args->screenshot, "Write the window to this PNG once the script has run, then exit");
  cmd->add_option("--profile", args->profile,
                  "After the script, recompute the whole stack in this many frames, print the times and exit")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--state-dir", args->state_dir,
                  "Where unsaved edits are autosaved and offered again at the next start (default: "
                  "$XDG_STATE_HOME/convscope or ~/.local/state/convscope; runs with --script, --screenshot or "
                  "--profile autosave only when given this)");
  cmd->add_option("--width", args->width, "Window width")->capture_default_str();
  cmd->add_option("--height", args->height, "Window height")->capture_default_str();
  cmd->callback([&global, &action, args] { action = [&global, args] { return run_gui(global, *args); }; });
}

}  // namespace convscope::app
