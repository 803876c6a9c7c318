#include "layers/norm/rescaling.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "layers/config_reader.h"
#include "layers/norm/affine.h"

namespace convscope {

namespace {

// The value's shape right-aligned against the input's Keras shape (NumPy broadcasting), 1 on
// the leading axes; UserError where an axis is neither 1 nor the input's size, since NumPy
// would then grow the output (or refuse).
std::vector<int64_t> aligned(const std::string& label, std::string_view key, const ArrayValue& v, const Shape& s) {
  const std::vector<int64_t> k = s.keras();
  if (v.shape.size() > k.size())
    throw UserError(fmt::format("{}: {}: an array of shape {} has more axes than the input {}", label, key,
                                shape_string(v.shape), shape_string(k)));
  std::vector<int64_t> shape(k.size(), 1);
  const size_t lead = k.size() - v.shape.size();
  for (size_t i = 0; i < v.shape.size(); ++i) {
    const int64_t d = v.shape[i], want = k[lead + i];
    if (d != 1 && d != want)
      throw UserError(fmt::format("{}: {}: an array of shape {} does not broadcast against the input {}: axis {} has "
                                  "{}, not {}",
                                  label, key, shape_string(v.shape), shape_string(k),
                                  static_cast<int64_t>(i) - static_cast<int64_t>(v.shape.size()), want, d));
    shape[lead + i] = d;
  }
  return shape;
}

CanonicalDims union_dims(const CanonicalDims& a, const CanonicalDims& b) {
  CanonicalDims u{};
  for (int i = 0; i < kCanonicalAxes; ++i) u[i] = std::max(a[i], b[i]);
  return u;
}

}  // namespace

RescalingLayer::RescalingLayer(const ConfigReader& cfg)
    : Layer(cfg.name(), cfg.label(), 0, DataFormat::ChannelsLast),
      scale_written_(cfg.get("scale")),
      offset_written_(cfg.get("offset")) {
  // Keras requires scale; tfjs and tf.keras write both.
  if (scale_written_.is_null()) cfg.fail("scale", "missing; Rescaling(scale, offset=0.0) needs a scale");
  if (offset_written_.is_null()) offset_written_ = 0.0;
  scale_ = read_array_value(cfg, "scale", scale_written_);
  offset_ = read_array_value(cfg, "offset", offset_written_);
}

Shape RescalingLayer::output_shape(const Shape& input) const {
  aligned(label(), "scale", scale_, input);
  aligned(label(), "offset", offset_, input);
  return checked_output(input);
}

std::pair<CanonicalParam, CanonicalParam> RescalingLayer::params(const Shape& input) const {
  const CanonicalParam a = to_canonical(input, aligned(label(), "scale", scale_, input), std::span<const double>(scale_.values));
  const CanonicalParam b =
      to_canonical(input, aligned(label(), "offset", offset_, input), std::span<const double>(offset_.values));
  const CanonicalDims dims = union_dims(a.dims, b.dims);
  return {broadcast_to(a, dims), broadcast_to(b, dims)};
}

Tensor RescalingLayer::reference(const Tensor& input) const {
  // Named members, not a structured binding: clang 14 cannot capture one in a lambda.
  const auto p = params(input.shape);
  return map_elements(input, [&](double x, const CanonicalDims& c) { return x * p.first.at(c) + p.second.at(c); });
}

void RescalingLayer::record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const {
  const auto [a, b] = params(input.shape);
  record_affine(seq, input, output, a, b, label());
}

nlohmann::json RescalingLayer::keras_config() const {
  nlohmann::json c = base_config(false);
  c["scale"] = scale_written_;
  c["offset"] = offset_written_;
  return c;
}

Layer::Region RescalingLayer::source_region(const Shape&, const Region& output) const { return output; }

}  // namespace convscope
