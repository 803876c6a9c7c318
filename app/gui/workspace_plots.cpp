// Vectors (Dense, global pooling, Flatten) and 1D signals have no maps: the app plots them,
// from a copy read back after each recompute that worked, so the plots show the last good
// state as the maps do.
#include <fmt/format.h>

#include "app/gui/workspace.h"
#include "core/error.h"
#include "io/labels.h"

namespace convscope::gui {

namespace {

// Values of batch 0 worth plotting: a bar or a line per element beyond this is not readable,
// and reading them back every recompute would cost more than the layers.
constexpr int64_t kMaxPlotted = 1 << 16;

}  // namespace

void Workspace::refresh_plots() {
  plots_.clear();
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (!session_->has_output(i)) continue;
    const Shape& s = session_->device_output(i).shape;
    const int64_t per_item = static_cast<int64_t>(s.size()) / s.n;
    if (s.spatial_rank > 1 || per_item > kMaxPlotted) continue;
    Tensor t = session_->output(i);
    t.data.resize(static_cast<size_t>(per_item));  // batch 0 comes first in canonical order
    plots_[i] = {s, std::move(t.data)};
  }
}

const Workspace::Plot* Workspace::plot(size_t i) const {
  const auto it = plots_.find(i);
  // An edit of the stack moves nodes before the next recompute: a plot is node i's only while
  // the shapes still agree.
  if (it == plots_.end() || !node(i).fits() || !(*node(i).shape == it->second.shape)) return nullptr;
  return &it->second;
}

void Workspace::open_labels(const std::filesystem::path& path) {
  labels_ = read_labels(path);
  labels_path_ = path;
}

std::vector<RankedClass> Workspace::top_classes(size_t i, size_t k) const {
  const Plot* p = plot(i);
  if (!p || p->shape.spatial_rank != 0 || !is_distribution(p->values)) return {};
  return convscope::top_classes(p->values, k, labels_);
}

}  // namespace convscope::gui
