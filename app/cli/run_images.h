#pragma once
// Running a model over one image or a folder of images: shared by `run` and `demo`.
#include <string>
#include <vector>

#include "app/cli/commands.h"
#include "report/run_report.h"

namespace convscope::app {

struct RunImagesRequest {
  std::string model, image, out;
  std::vector<std::string> weights;
  uint64_t seed = 0;
  ImageRunOptions options;
};

int run_images(const GlobalOptions& global, const RunImagesRequest& request);

}  // namespace convscope::app
