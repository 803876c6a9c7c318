#include "layers/upsample/upsample_layers.h"

#include <fmt/format.h>

#include <cmath>

#include "layers/config_reader.h"
#include "layers/registry.h"
#include "layers/remap/remap.h"

namespace convscope {

namespace {

const char* linear_name(int rank) { return rank == 1 ? "linear" : rank == 2 ? "bilinear" : "trilinear"; }

// Where output o of an axis upsampled by f from n reads: two source indices and the weight
// of the second. Nearest: floor(o / f) with weight 0. Linear (half-pixel centres, as
// tf.image.resize and PyTorch align_corners=False): src = (o + 0.5) / f - 0.5, clamped at 0.
struct Tap {
  int64_t lo, hi;
  double weight_hi;
};

Tap source_of(int64_t o, int64_t f, int64_t n, bool linear) {
  if (!linear) return {o / f, o / f, 0.0};
  const double src = std::max((static_cast<double>(o) + 0.5) / static_cast<double>(f) - 0.5, 0.0);
  const int64_t base = static_cast<int64_t>(std::floor(src));
  return {std::min(base, n - 1), std::min(base + 1, n - 1), src - static_cast<double>(base)};
}

}  // namespace

UpSamplingLayer::UpSamplingLayer(const ConfigReader& cfg, int rank)
    : Layer(cfg.name(), cfg.label(), rank, cfg.data_format()), class_name_(cfg.class_name()) {
  size_ = read_tuple(cfg, "size", rank, 2, 1);  // Keras' default factor is 2
  const nlohmann::json& interp = cfg.get("interpolation");
  if (interp.is_null() || interp == "nearest") return;
  if (interp == linear_name(rank)) {
    linear_ = true;
    return;
  }
  const bool keras_only = rank == 2 && (interp == "bicubic" || interp == "lanczos3" || interp == "lanczos5" ||
                                        interp == "area");
  cfg.fail("interpolation", fmt::format("{} is {}; {}D upsampling takes 'nearest' or '{}'", python_repr(interp),
                                        keras_only ? "a Keras 3 mode convscope does not implement" : "unknown",
                                        rank, linear_name(rank)));
}

Shape UpSamplingLayer::output_shape(const Shape& input) const {
  require_rank(input);
  Shape out = input;
  for (int a = 0; a < spatial_rank(); ++a) out.spatial(a) = input.spatial(a) * size_[a];
  return checked_output(out);
}

Tensor UpSamplingLayer::reference(const Tensor& in) const {
  const Shape os = output_shape(in.shape);
  Tensor out(os);
  // Canonical (z, y, x) factors with unit axes for the missing ones.
  int64_t f[3] = {1, 1, 1};
  for (int a = 0; a < spatial_rank(); ++a) f[3 - spatial_rank() + a] = size_[a];
  const Shape& is = in.shape;
  for (int64_t n = 0; n < os.n; ++n)
    for (int64_t c = 0; c < os.c; ++c)
      for (int64_t z = 0; z < os.d; ++z)
        for (int64_t y = 0; y < os.h; ++y)
          for (int64_t x = 0; x < os.w; ++x) {
            const Tap tz = source_of(z, f[0], is.d, linear_), ty = source_of(y, f[1], is.h, linear_),
                      tx = source_of(x, f[2], is.w, linear_);
            double v = 0;
            for (int corner = 0; corner < 8; ++corner) {
              const bool fz = corner & 4, fy = corner & 2, fx = corner & 1;
              const double w = (fz ? tz.weight_hi : 1 - tz.weight_hi) * (fy ? ty.weight_hi : 1 - ty.weight_hi) *
                               (fx ? tx.weight_hi : 1 - tx.weight_hi);
              if (w != 0) v += w * in.at(n, c, fz ? tz.hi : tz.lo, fy ? ty.hi : ty.lo, fx ? tx.hi : tx.lo);
            }
            out.at(n, c, z, y, x) = static_cast<float>(v);
          }
  return out;
}

void UpSamplingLayer::record(vk::Sequence& seq, const DeviceTensor& in, const DeviceTensor& out) const {
  std::array<RemapAxis, 3> axes;
  for (int a = 0; a < spatial_rank(); ++a) axes[a] = {0, size_[a], linear_};
  record_remap(seq, in, out, axes, spatial_rank(), label());
}

Layer::Region UpSamplingLayer::source_region(const Shape& input, const Region& out) const {
  Region r{};
  for (int a = 0; a < spatial_rank(); ++a) {
    const int64_t n = input.spatial(a);
    const Tap first = source_of(out[a].first, size_[a], n, linear_), last = source_of(out[a].second, size_[a], n, linear_);
    r[a] = {first.lo, linear_ && last.weight_hi > 0 ? last.hi : last.lo};
  }
  return r;
}

nlohmann::json UpSamplingLayer::keras_config() const {
  // Keras 3: UpSampling1D has only an int size; 2D a size pair, data_format and interpolation;
  // 3D a size triple and data_format. Extensions are written only when used.
  const int rank = spatial_rank();
  nlohmann::json c = base_config(rank > 1 || data_format() == DataFormat::ChannelsFirst);
  if (rank == 1) c["size"] = size_[0];
  else c["size"] = std::vector<int64_t>(size_.begin(), size_.begin() + rank);
  if (rank == 2 || linear_) c["interpolation"] = linear_ ? linear_name(rank) : "nearest";
  return c;
}

void register_upsampling_layers(LayerRegistry& registry) {
  for (int rank = 1; rank <= 3; ++rank) {
    LayerDescriptor d;
    d.class_name = fmt::format("UpSampling{}D", rank);
    if (rank == 1) d.keras1_renames = {{"length", "size"}};
    d.arguments = {"size", "data_format", "interpolation"};
    d.example = {{"size", 2}};
    d.family = "upsampling";
    d.make = [rank](const ConfigReader& cfg) { return std::make_unique<UpSamplingLayer>(cfg, rank); };
    registry.add(std::move(d));
  }
}

}  // namespace convscope
