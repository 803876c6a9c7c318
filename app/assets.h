#pragma once
#include <filesystem>
#include <string_view>

namespace convscope::app {

// Finds a bundled asset (e.g. "images/default.png") beside the executable, in an installed
// share/convscope, or in the source tree it was built from; CONVSCOPE_ASSETS overrides.
std::filesystem::path asset_path(std::string_view relative);

}  // namespace convscope::app
