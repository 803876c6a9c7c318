#include "app/gui/app.h"

#include <fmt/format.h>

#include <chrono>
#include <functional>
#include <vector>

#include "app/assets.h"
#include "app/cli/commands.h"
#include "app/gui/autosave.h"
#include "app/gui/gui_window.h"
#include "app/gui/profile.h"
#include "app/gui/script.h"
#include "app/gui/ui.h"
#include "core/error.h"
#include "vk/check.h"

namespace convscope::gui {

namespace {

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int run_app(const vk::ContextOptions& context, const AppOptions& args) {
  std::vector<ScriptStep> steps;
  if (!args.script.empty()) steps = parse_script(args.script);  // refuse a bad script before any window
  GuiWindow window(args.width, args.height, context);
  auto renderer = std::make_unique<MapRenderer>(window.context(), window.render_pass());
  Workspace ws(window.context(), *renderer);
  ws.open_image(args.image.empty() ? app::asset_path("images/default.png") : std::filesystem::path(args.image));
  ws.open_pipeline(args.pipeline.empty() ? app::asset_path("pipelines/default.json") : std::filesystem::path(args.pipeline));
  if (!args.labels.empty()) ws.open_labels(args.labels);
  Ui ui(ws, *renderer);
  ScriptRunner script(args.script, std::move(steps));
  // Scripted runs leave the user's own recovery folder alone unless pointed at one.
  const bool scripted = !args.script.empty() || !args.screenshot.empty() || args.profile > 0;
  Autosave autosave(!args.state_dir.empty() ? std::filesystem::path(args.state_dir)
                    : scripted              ? std::filesystem::path()
                                            : Autosave::default_state_dir());
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
      validation_clean &= app::report_validation(window.context());
      ws.release_device();
      renderer.reset();
      try {
        window.reopen_device();
        renderer = std::make_unique<MapRenderer>(window.context(), window.render_pass());
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
  Profile profile(args.profile);
  int exit_code = 0;
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
          ws.set_notice(e.what());
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
      if (script.done() && profile.active()) {
        profile.start_frame(ws);
        const auto t0 = std::chrono::steady_clock::now();
        guarded([&] { window.frame(redraw); });
        const bool timed = profile.end_frame(ws, ms_since(t0));
        if (!timed || !profile.active()) {
          exit_code = profile.report(ws);
          if (args.screenshot.empty() || exit_code != 0) break;
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
  if (!ws.status().empty() && exit_code == 0) fmt::print(stderr, "convscope: note: {}\n", ws.status());
  validation_clean &= app::report_validation(window.context());
  if (exit_code != 0) return exit_code;
  return validation_clean ? 0 : 1;
}

}  // namespace convscope::gui
