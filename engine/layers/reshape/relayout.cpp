#include "layers/reshape/relayout.h"

#include <nlohmann/json.hpp>

#include "layers/config_keys.h"
#include "layers/config_reader.h"
#include "vk/device_tensor.h"

namespace convscope {

RelayoutLayer::RelayoutLayer(const ConfigReader& cfg) : Layer(cfg.name(), cfg.label(), 0, DataFormat::ChannelsLast) {}

Tensor RelayoutLayer::reference(const Tensor& input) const {
  Tensor out(output_shape(input.shape));
  std::vector<float> scratch;
  for (const Step& s : steps(input.shape, out.shape)) {
    if (s.to_scratch) scratch.assign(out.data.size(), 0.0f);
    const std::span<const float> src = s.from_scratch ? std::span<const float>(scratch) : std::span<const float>(input.data);
    copy_strided(src, s.to_scratch ? std::span<float>(scratch) : std::span<float>(out.data), s.copy);
  }
  return out;
}

void RelayoutLayer::record(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output) const {
  const vk::Buffer* scratch = nullptr;
  for (const Step& s : steps(input.shape, output.shape)) {
    if (s.to_scratch) scratch = &seq.scratch(output.shape.size() * output.element_bytes());
    record_strided_copy(seq, s.from_scratch ? *scratch : input.buffer, s.to_scratch ? *scratch : output.buffer, s.copy,
                        label());
  }
}

IdentityLayer::IdentityLayer(const ConfigReader& cfg, std::vector<std::string> arguments)
    : RelayoutLayer(cfg), class_name_(cfg.class_name()), arguments_(nlohmann::json::object()) {
  for (const std::string& a : arguments)
    if (cfg.config().contains(a)) arguments_[a] = cfg.config()[a];
}

nlohmann::json IdentityLayer::keras_config() const {
  nlohmann::json c = base_config(false);
  c.update(arguments_);
  return c;
}

Layer::Region IdentityLayer::source_region(const Shape&, const Region& output) const { return output; }

std::vector<RelayoutLayer::Step> IdentityLayer::steps(const Shape& input, const Shape&) const {
  return {{contiguous_copy(static_cast<int64_t>(input.size()))}};
}

}  // namespace convscope
