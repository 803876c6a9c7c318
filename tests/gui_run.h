#pragma once
// Driving the desktop app in tests: a real window under Xvfb (unless a display is there),
// scripts from tests/gui/ with their placeholders filled in, and screenshots compared.
#include <filesystem>
#include <map>
#include <string>

#include "cli_run.h"
#include "core/ndarray.h"

namespace convscope::test {

// `convscope gui ARGS`; `env`: variable assignments for the app ("HOME=/tmp/x").
CliResult run_gui(const std::string& args, const std::string& env = "");

// tests/gui/NAME copied into `dir` with its placeholders replaced: SHOT_BEFORE by `before`,
// EXPORT_DIR, SCRATCH (`dir`), LEARNABLE_CROP and DEFAULT_IMAGE (bundled files), and any
// in `more`.
std::filesystem::path script_copy(const std::string& name, const std::filesystem::path& dir,
                                  const std::filesystem::path& before = {},
                                  const std::map<std::string, std::string>& more = {});

// Mean absolute difference of two screenshots over the feature-map area (right of the stack,
// above the band where the app says the maps are the last good state).
double map_area_difference(const NdArray& a, const NdArray& b);

// The standard deviation of a picture's values: a blank window has none.
double spread(const NdArray& img);

}  // namespace convscope::test
