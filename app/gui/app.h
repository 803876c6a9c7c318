#pragma once
// The desktop app's main loop: the window, the workspace on its device, the script, the
// autosave, reopening a lost device, screenshots and the profile.
#include <string>

#include "vk/context.h"

namespace convscope::gui {

struct AppOptions {
  std::string pipeline, image, labels, script, screenshot, state_dir;
  int width = 1280, height = 900;
  int profile = 0;
};

// The exit code: 0, 1 when the validation layer spoke, 2 when a profile was refused.
int run_app(const vk::ContextOptions& context, const AppOptions& options);

}  // namespace convscope::gui
