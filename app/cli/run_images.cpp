#include "app/cli/run_images.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <unistd.h>

#include "core/error.h"
#include "model/parse_pipeline.h"
#include "io/image.h"
#include "io/json_file.h"

namespace convscope::app {

namespace {

namespace fs = std::filesystem;

bool is_image(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* e : {".png", ".jpg", ".jpeg", ".bmp", ".tga", ".gif", ".psd", ".hdr", ".pgm", ".ppm", ".pnm"})
    if (ext == e) return true;
  return false;
}

std::vector<fs::path> images_in(const fs::path& p) {
  if (!fs::exists(p)) throw UserError(fmt::format("{}: no such image or folder", p.string()));
  if (!fs::is_directory(p)) return {p};
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(p))
    if (e.is_regular_file() && is_image(e.path())) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  if (out.empty()) throw UserError(fmt::format("{}: the folder holds no images (png, jpg, bmp, tga, gif, psd, hdr)", p.string()));
  return out;
}

void progress(size_t done, size_t total, const std::string& name) {
  constexpr int width = 30;
  const int filled = static_cast<int>(width * done / total);
  fmt::print(stderr, "\r[{}{}] {}/{} {:<40}", std::string(filled, '#'), std::string(width - filled, '-'), done, total,
             name.substr(0, 40));
  if (done == total) fmt::print(stderr, "\n");
}

}  // namespace

int run_images(const GlobalOptions& global, const RunImagesRequest& r) {
  Model model = parse_pipeline(read_json(r.model));
  const auto images = images_in(r.image);
  const bool folder = fs::is_directory(r.image);
  std::vector<fs::path> weight_files(r.weights.begin(), r.weights.end());

  // Weights depend only on the channels the model sees, so the first image settles them.
  const NdArray first = load_image(images.front());
  std::vector<std::string> notices =
      weights_for_image(model, first, r.options.prep, weight_files, fs::path(r.model), r.seed);
  notices.insert(notices.begin(), model.notices.begin(), model.notices.end());
  for (const auto& n : notices) fmt::print(stderr, "convscope: note: {}\n", n);
  for (const Layer* layer : model.distinct_layers())
    for (const auto& w : layer->warnings()) fmt::print(stderr, "convscope: warning: {}: {}\n", layer->label(), w);

  vk::Context ctx(global.context_options());
  const bool bar = folder && isatty(STDERR_FILENO);
  for (size_t i = 0; i < images.size(); ++i) {
    const fs::path& path = images[i];
    const fs::path out = folder ? fs::path(r.out) / path.stem() : fs::path(r.out);
    const NdArray loaded = i == 0 ? first : load_image(path);
    const ImageRunResult result = run_image(ctx, model, loaded, path.filename().string(), out, r.options, notices);
    if (bar) progress(i + 1, images.size(), path.filename().string());
    else fmt::print("{} -> {} ({} files)\n", path.string(), result.index.string(), result.files.size());
    for (const auto& n : result.notices)
      if (n != model.description && std::find(notices.begin(), notices.end(), n) == notices.end())
        fmt::print(stderr, "convscope: note: {}\n", n);
  }
  fmt::print("{} on {}: {} image{} written under {}\n", model.name, ctx.info().name, images.size(),
             images.size() == 1 ? "" : "s", fs::absolute(r.out).string());
  return report_validation(ctx) ? 0 : 1;
}

}  // namespace convscope::app
