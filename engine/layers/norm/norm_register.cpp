// The normalisation family's descriptors: BatchNormalization, LayerNormalization and the
// preprocessing layers that rescale or resize (Rescaling, Normalization, CenterCrop,
// Resizing), with every key some Keras generation or TensorFlow.js writes for them.
#include "layers/norm/batch_norm.h"
#include "layers/norm/layer_norm.h"
#include "layers/norm/normalization.h"
#include "layers/norm/resize_layers.h"
#include "layers/norm/rescaling.h"
#include "layers/registry.h"

namespace convscope {

namespace {

template <typename L>
LayerDescriptor describe(std::string name, std::vector<std::string> arguments, nlohmann::json example) {
  LayerDescriptor d;
  d.class_name = std::move(name);
  d.arguments = std::move(arguments);
  d.example = std::move(example);
  d.family = "normalization";
  d.make = [](const ConfigReader& cfg) { return std::make_unique<L>(cfg); };
  return d;
}

}  // namespace

void register_normalization_layers(LayerRegistry& registry) {
  // Keras 3: axis, momentum, epsilon, center, scale (+ synchronized, renorm*, accepted on
  // every layer or here); tf.keras: renorm*, fused, virtual_batch_size, adjustment; Keras 1:
  // mode and beta_init / gamma_init. Initializers, regularizers and constraints of every
  // weight are accepted on every layer (config_keys.h).
  LayerDescriptor bn = describe<BatchNormLayer>(
      "BatchNormalization",
      {"axis", "momentum", "epsilon", "center", "scale", "renorm", "renorm_clipping", "renorm_momentum", "fused",
       "virtual_batch_size", "adjustment", "mode"},
      nlohmann::json::object());
  // tf.keras's experimental SyncBatchNormalization differs in training only.
  bn.aliases = {"SyncBatchNormalization"};
  bn.keras1_renames = {{"beta_init", "beta_initializer"}, {"gamma_init", "gamma_initializer"}};
  registry.add(std::move(bn));
  registry.add(describe<LayerNormLayer>("LayerNormalization", {"axis", "epsilon", "center", "scale", "rms_scaling"},
                                        nlohmann::json::object()));
  registry.add(describe<RescalingLayer>("Rescaling", {"scale", "offset"}, {{"scale", 1.0 / 255.0}, {"offset", 0.0}}));
  // ImageNet's channel statistics, the usual use.
  registry.add(describe<NormalizationLayer>(
      "Normalization", {"axis", "mean", "variance", "invert"},
      {{"axis", -1}, {"mean", {0.485, 0.456, 0.406}}, {"variance", {0.052441, 0.050176, 0.050625}}}));
  // Keras 3's image layers also write bounding_box_format; images alone pass through here.
  registry.add(describe<CenterCropLayer>("CenterCrop", {"height", "width", "data_format", "bounding_box_format"},
                                         {{"height", 16}, {"width", 16}}));
  registry.add(describe<ResizingLayer>("Resizing",
                                       {"height", "width", "interpolation", "crop_to_aspect_ratio", "pad_to_aspect_ratio",
                                        "fill_mode", "fill_value", "antialias", "data_format", "bounding_box_format"},
                                       {{"height", 32}, {"width", 24}}));
}

}  // namespace convscope
