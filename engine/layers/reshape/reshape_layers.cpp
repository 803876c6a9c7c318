#include "layers/reshape/reshape_layers.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/error.h"
#include "layers/config_reader.h"

namespace convscope {

namespace {

// A list of ints under `key` (a bare int counts as a list of one, as Keras' tuple()).
std::vector<int64_t> read_int_list(const ConfigReader& cfg, std::string_view key) {
  const nlohmann::json& v = cfg.get(key);
  if (v.is_null()) cfg.fail(key, "is required");
  std::vector<int64_t> out;
  if (!v.is_array()) return {cfg.integer(key, v)};
  for (const auto& e : v) out.push_back(cfg.integer(key, e));
  return out;
}

// The Keras shape `dims` (batch first) as a canonical shape in `like`'s data format: a
// relayout's output keeps its input's axis order where the rank allows.
Shape keras_shape_like(const std::vector<int64_t>& dims, const Shape& like, std::string_view who) {
  return shape_from_keras(dims, like.format, who);
}

}  // namespace

FlattenLayer::FlattenLayer(const ConfigReader& cfg)
    : RelayoutLayer(cfg), channels_first_(cfg.data_format() == DataFormat::ChannelsFirst) {}

Shape FlattenLayer::output_shape(const Shape& input) const {
  Shape out;
  out.spatial_rank = 0;
  out.n = input.n;
  out.c = static_cast<int64_t>(input.size()) / input.n;
  return checked_output(out);
}

std::vector<RelayoutLayer::Step> FlattenLayer::steps(const Shape& input, const Shape&) const {
  StridedCopy c = canonical_to_keras(input);
  if (channels_first_ && input.keras_rank() > 2) {
    // Keras transposes (batch, c, ...) to (batch, ..., c) first: axis 1 goes last.
    std::vector<int64_t> dims = c.dims, src = c.src_strides;
    std::rotate(dims.begin() + 1, dims.begin() + 2, dims.end());
    std::rotate(src.begin() + 1, src.begin() + 2, src.end());
    c = {dims, src, contiguous_strides(dims), 0, 0};
  }
  return {{c}};
}

nlohmann::json FlattenLayer::keras_config() const {
  nlohmann::json c = base_config(false);
  c["data_format"] = channels_first_ ? "channels_first" : "channels_last";
  return c;
}

ReshapeLayer::ReshapeLayer(const ConfigReader& cfg) : RelayoutLayer(cfg), target_(read_int_list(cfg, "target_shape")) {
  if (std::count(target_.begin(), target_.end(), -1) > 1)
    cfg.fail("target_shape", fmt::format("there must be at most one unknown dimension (-1), got {}",
                                         shape_string(target_)));
  for (int64_t d : target_)
    if (d == 0 || d < -1) cfg.fail("target_shape", fmt::format("{} holds {}; sizes are positive or -1", shape_string(target_), d));
}

Shape ReshapeLayer::output_shape(const Shape& input) const {
  const int64_t elements = static_cast<int64_t>(input.size()) / input.n;
  std::vector<int64_t> fixed;  // the target with its -1 as 1
  for (int64_t d : target_) fixed.push_back(d == -1 ? 1 : d);
  const std::optional<int64_t> known = bounded_count(fixed);  // nullopt: far more than any input
  const bool open = fixed != target_;
  if (!known || (open ? elements % *known != 0 : *known != elements)) {
    std::vector<int64_t> in = input.keras();
    in.erase(in.begin());
    throw UserError(fmt::format("{}: target_shape: the total size must be unchanged: the input {} has {} elements, "
                                "which {} cannot hold",
                                label(), shape_string(in), elements, shape_string(target_)));
  }
  std::vector<int64_t> dims{input.n};
  for (int64_t d : target_) dims.push_back(d == -1 ? elements / *known : d);
  return checked_output(keras_shape_like(dims, input, label()));
}

std::vector<RelayoutLayer::Step> ReshapeLayer::steps(const Shape& input, const Shape& output) const {
  // Input to Keras' flat order, flat order to the output. A side already in flat order (a
  // vector, channels_first, no spatial extent) needs no copy of its own.
  const StridedCopy read = canonical_to_keras(input).simplified(), write = keras_to_canonical(output).simplified();
  const bool read_flat = read.dims.size() == 1 && read.src_strides[0] == 1;
  const bool write_flat = write.dims.size() == 1 && write.dst_strides[0] == 1;
  if (read_flat) return {{write}};
  if (write_flat) return {{read}};
  return {{read, true, false}, {write, false, true}};
}

nlohmann::json ReshapeLayer::keras_config() const {
  nlohmann::json c = base_config(false);
  c["target_shape"] = target_;
  return c;
}

PermuteLayer::PermuteLayer(const ConfigReader& cfg) : RelayoutLayer(cfg), dims_(read_int_list(cfg, "dims")) {
  std::vector<int64_t> sorted = dims_;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i)
    if (sorted[i] != static_cast<int64_t>(i) + 1)
      cfg.fail("dims", fmt::format("{} is not a permutation: it must hold every integer from 1 to {} once (0 is the "
                                   "batch axis, which stays)",
                                   shape_string(dims_), dims_.size()));
}

Shape PermuteLayer::output_shape(const Shape& input) const {
  const std::vector<int64_t> in = input.keras();
  if (in.size() != dims_.size() + 1)
    throw UserError(fmt::format("{}: dims: {} permutes {} axes; the input {} has {} besides the batch", label(),
                                shape_string(dims_), dims_.size(), shape_string(input.keras()), in.size() - 1));
  std::vector<int64_t> out{in[0]};
  for (int64_t d : dims_) out.push_back(in[static_cast<size_t>(d)]);
  return checked_output(keras_shape_like(out, input, label()));
}

std::vector<RelayoutLayer::Step> PermuteLayer::steps(const Shape& input, const Shape& output) const {
  // Over the output's Keras axes: output axis i reads input axis dims[i - 1].
  const std::vector<int64_t> in_strides = keras_strides(input);
  StridedCopy c;
  c.dims = output.keras();
  c.dst_strides = keras_strides(output);
  c.src_strides = {in_strides[0]};
  for (int64_t d : dims_) c.src_strides.push_back(in_strides[static_cast<size_t>(d)]);
  return {{c}};
}

nlohmann::json PermuteLayer::keras_config() const {
  nlohmann::json c = base_config(false);
  c["dims"] = dims_;
  return c;
}

RepeatVectorLayer::RepeatVectorLayer(const ConfigReader& cfg) : RelayoutLayer(cfg), n_(read_positive(cfg, "n", -1)) {
  if (n_ < 0) cfg.fail("n", "is required");
}

Shape RepeatVectorLayer::output_shape(const Shape& input) const {
  if (input.spatial_rank != 0)
    throw UserError(fmt::format("{}: takes a (batch, features) vector; the input is {}", label(),
                                shape_string(input.keras())));
  return checked_output(shape_from_keras({input.n, n_, input.c}, DataFormat::ChannelsLast, label()));
}

std::vector<RelayoutLayer::Step> RepeatVectorLayer::steps(const Shape& input, const Shape& output) const {
  StridedCopy c;
  c.dims = output.keras();
  c.dst_strides = keras_strides(output);
  c.src_strides = {input.c, 0, 1};  // every repeat reads the same features
  return {{c}};
}

nlohmann::json RepeatVectorLayer::keras_config() const {
  nlohmann::json c = base_config(false);
  c["n"] = n_;
  return c;
}

}  // namespace convscope
