#include "layers/conv/conv_args.h"

#include <fmt/format.h>

namespace convscope {

ConvConfig read_conv_config(const ConfigReader& cfg, int rank, bool transposed) {
  ConvConfig c;
  c.rank = rank;
  c.transposed = transposed;
  if (cfg.get("kernel_size").is_null()) cfg.fail("kernel_size", "missing");
  c.kernel = read_tuple(cfg, "kernel_size", rank, 1, 1);
  c.strides = read_tuple(cfg, "strides", rank, 1, 1);
  c.dilation = read_tuple(cfg, "dilation_rate", rank, 1, 1);

  const nlohmann::json& pad = cfg.get("padding");
  if (!pad.is_null()) {
    const auto parsed = pad.is_string() ? parse_padding(pad.get<std::string>()) : std::nullopt;
    if (!parsed) cfg.fail("padding", fmt::format("{} is not 'valid', 'same', 'causal' or 'full'", python_repr(pad)));
    c.padding = *parsed;
  }
  if (c.padding == Padding::Causal && (rank != 1 || transposed))
    cfg.fail("padding", "'causal' exists only for 1D convolutions");
  if (c.padding == Padding::Full && transposed)
    cfg.fail("padding", "'full' is not defined for transposed convolutions; use 'valid' or 'same'");

  c.activation = parse_activation(cfg.get("activation"), cfg.label());
  c.format = cfg.data_format();

  if (transposed && !cfg.get("output_padding").is_null()) {
    const auto op = read_tuple(cfg, "output_padding", rank, 0, 0);
    for (int a = 0; a < rank; ++a) {
      if (op[a] >= c.strides[a])
        cfg.fail("output_padding", fmt::format("{} must be smaller than strides {} on every axis",
                                               python_repr(cfg.get("output_padding")), python_repr(cfg.get("strides"))));
      c.output_padding[a] = op[a];
    }
  }
  return c;
}

std::optional<std::string> strided_dilation_warning(const ConvConfig& c) {
  bool strided = false, dilated = false;
  for (int a = 0; a < c.rank; ++a) strided |= c.strides[a] > 1, dilated |= c.dilation[a] > 1;
  if (!strided || !dilated) return std::nullopt;
  return "strides > 1 together with dilation_rate > 1: Keras refuses this combination; convscope computes it as "
         "PyTorch does";
}

}  // namespace convscope
