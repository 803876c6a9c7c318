#pragma once
// An offline index.html for `convscope run`: what ran, on what, and each layer's feature maps,
// readable from a copied folder with no network and no scripts.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace convscope {

struct ReportLayer {
  std::string name, class_name, output_shape;  // output_shape as Keras prints it: "(None, 58, 54, 5)"
  int64_t params = 0;
  std::string image;  // path of its PNG mosaic, relative to the report; empty when there is none
  std::string npy;    // path of its saved activations, relative to the report; empty when not saved
  double lo = 0, hi = 0;  // the value range the mosaic's colours span (mosaic_range)
  std::vector<std::string> notes;
};

struct Report {
  std::string title, model_name, device;
  std::string input_image;  // relative path of the input picture as the model saw it; may be empty
  std::string input_shape;
  std::vector<ReportLayer> layers;
  int64_t total_params = 0;
  std::vector<std::string> notices;  // e.g. prepare_image's "resized to 224x224"
};

// Writes `report` as one self-contained HTML page: inline CSS, no scripts, no external URLs;
// every text is HTML-escaped and every path percent-encoded. A summary table (layer, type,
// output shape, params with thousands separators, value range) comes first, then each layer's
// mosaic with its caption. Images are scaled down to the page width but never smoothed, so
// small feature maps stay crisp.
// The file appears whole or not at all (temporary file, then rename), as with write_png.
// Throws Error naming `path` when it cannot be written.
void write_html_report(const std::filesystem::path& path, const Report& report);

}  // namespace convscope
