// The conv family's descriptors: every convolution class, its Keras 1 names, the arguments
// Keras writes for it in any generation, and the config the app's Add layer starts from.
#include <fmt/format.h>

#include "layers/conv/conv_layers.h"
#include "layers/registry.h"

namespace convscope {

namespace {

// What every conv class reads, and what Keras writes beside it that convscope need not read.
std::vector<std::string> conv_arguments(std::initializer_list<std::string> own) {
  std::vector<std::string> a{"kernel_size", "strides", "padding", "data_format", "dilation_rate", "activation",
                             "use_bias",
                             // Keras 3 saves the merged kernel of a LoRA / DoRA layer: the ranks are moot here.
                             "lora_rank", "lora_alpha", "dora_rank", "dora_alpha"};
  a.insert(a.end(), own);
  return a;
}

LayerDescriptor describe(std::string name, std::vector<std::string> aliases, std::vector<std::string> arguments,
                         nlohmann::json example, LayerFactory make) {
  LayerDescriptor d;
  d.class_name = std::move(name);
  d.aliases = std::move(aliases);
  d.arguments = std::move(arguments);
  d.example = std::move(example);
  d.family = "convolution";
  d.make = std::move(make);
  return d;
}

}  // namespace

void register_conv_layers(LayerRegistry& registry) {
  for (int rank = 1; rank <= 3; ++rank) {
    const std::string conv = fmt::format("Conv{}D", rank);
    std::vector<std::string> aliases{fmt::format("Convolution{}D", rank)};
    if (rank < 3) aliases.push_back(fmt::format("AtrousConvolution{}D", rank));
    registry.add(describe(conv, aliases, conv_arguments({"filters", "groups"}),
                          {{"filters", 4}, {"kernel_size", 3}, {"padding", "same"}},
                          [rank](const ConfigReader& c) { return std::make_unique<ConvLayer>(c, rank, false); }));
    // tf.keras 2 writes the groups its transposed layers inherit (always 1); Keras 1 wrote
    // Deconvolution2D's output_shape, which the arguments determine anyway.
    registry.add(describe(fmt::format("Conv{}DTranspose", rank),
                          rank == 2 ? std::vector<std::string>{"Deconvolution2D"} : std::vector<std::string>{},
                          conv_arguments({"filters", "output_padding", "groups", "output_shape"}),
                          {{"filters", 4}, {"kernel_size", 3}, {"strides", 2}, {"padding", "same"}},
                          [rank](const ConfigReader& c) { return std::make_unique<ConvLayer>(c, rank, true); }));
  }
  for (int rank = 1; rank <= 2; ++rank) {
    // tf.keras 2 (from 2.4) writes the groups DepthwiseConv2D and SeparableConv2D inherit from
    // Conv; Keras ignores them, and so does convscope.
    registry.add(describe(fmt::format("DepthwiseConv{}D", rank), {}, conv_arguments({"depth_multiplier", "groups"}),
                          {{"kernel_size", 3}, {"padding", "same"}},
                          [rank](const ConfigReader& c) { return std::make_unique<DepthwiseLayer>(c, rank); }));
    registry.add(describe(fmt::format("SeparableConv{}D", rank),
                          rank == 2 ? std::vector<std::string>{"SeparableConvolution2D"} : std::vector<std::string>{},
                          conv_arguments({"filters", "depth_multiplier", "groups"}),
                          {{"filters", 4}, {"kernel_size", 3}, {"padding", "same"}},
                          [rank](const ConfigReader& c) { return std::make_unique<SeparableLayer>(c, rank); }));
  }
}

}  // namespace convscope
