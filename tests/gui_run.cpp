#include "gui_run.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace convscope::test {

namespace fs = std::filesystem;

CliResult run_gui(const std::string& args, const std::string& env) {
  if (std::getenv("DISPLAY")) return run_cli_with_prefix(env, "gui " + args);
  // Our own auth file (-f): xvfb-run then makes no temporary folder, whose removal now and
  // then fails after the app has exited (exit 5, "problem while cleaning up temporary
  // directory"), which would hide the app's own exit code.
  static int calls = 0;
  const fs::path auth = scratch_dir("xauth") / ("Xauthority-" + std::to_string(++calls));
  return run_cli_with_prefix(env + " xvfb-run -a -f " + quoted(auth) + " -s '-screen 0 1280x900x24'", "gui " + args);
}

fs::path script_copy(const std::string& name, const fs::path& dir, const fs::path& before,
                     const std::map<std::string, std::string>& more) {
  std::ifstream in(fs::path(CONVSCOPE_SOURCE_DIR) / "tests" / "gui" / name);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  const fs::path assets = fs::path(CONVSCOPE_SOURCE_DIR) / "assets";
  std::map<std::string, std::string> all = {{"SHOT_BEFORE", before.string()},
                                            {"EXPORT_DIR", (dir / "export").string()},
                                            {"SCRATCH", dir.string()},
                                            {"LEARNABLE_CROP", (assets / "pipelines/learnable_crop.json").string()},
                                            {"DEFAULT_IMAGE", (assets / "images/default.png").string()}};
  for (const auto& [k, v] : more) all[k] = v;
  for (const auto& [key, value] : all)
    for (auto at = s.find(key); at != std::string::npos; at = s.find(key, at + value.size())) s.replace(at, key.size(), value);
  const fs::path out = dir / name;
  std::ofstream(out) << s;
  return out;
}

double map_area_difference(const NdArray& a, const NdArray& b) {
  REQUIRE(a.shape == b.shape);
  const int64_t h = a.shape[1], w = a.shape[2], c = a.shape[3];
  double sum = 0;
  int64_t n = 0;
  for (int64_t y = 40; y < h - 80; ++y)
    for (int64_t x = w / 3; x < w; ++x)
      for (int64_t k = 0; k < c; ++k, ++n) {
        const size_t i = static_cast<size_t>((y * w + x) * c + k);
        sum += std::abs(a.data[i] - b.data[i]);
      }
  return sum / static_cast<double>(n);
}

double spread(const NdArray& img) {
  double mean = 0, sq = 0;
  for (float v : img.data) mean += v, sq += static_cast<double>(v) * v;
  mean /= static_cast<double>(img.size());
  return std::sqrt(sq / static_cast<double>(img.size()) - mean * mean);
}

}  // namespace convscope::test
