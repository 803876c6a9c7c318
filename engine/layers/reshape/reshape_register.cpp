// The reshaping layers and the inference identities, as the registry knows them.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "layers/registry.h"
#include "layers/reshape/reshape_layers.h"

namespace convscope {

namespace {

template <typename L>
LayerDescriptor relayout(std::string name, std::vector<std::string> arguments, nlohmann::json example) {
  LayerDescriptor d;
  d.class_name = std::move(name);
  d.arguments = std::move(arguments);
  d.example = std::move(example);
  d.family = "reshaping";
  d.make = [](const ConfigReader& cfg) { return std::make_unique<L>(cfg); };
  return d;
}

// Keras checks a drop-out rate in [0, 1]; the noise layers' other arguments matter only in
// training and are kept as written.
void check_rate(const ConfigReader& cfg) {
  const nlohmann::json& rate = cfg.get("rate");
  if (rate.is_null()) return;
  if (!rate.is_number() || rate.get<double>() < 0 || rate.get<double>() > 1)
    cfg.fail("rate", fmt::format("{} is not a float between 0 and 1", python_repr(rate)));
}

LayerDescriptor identity(std::string name, std::vector<std::string> arguments,
                         std::vector<std::pair<std::string, std::string>> keras1_renames = {}) {
  LayerDescriptor d;
  d.class_name = std::move(name);
  d.arguments = arguments;
  d.keras1_renames = std::move(keras1_renames);
  d.family = "inference identities";
  d.make = [arguments](const ConfigReader& cfg) {
    check_rate(cfg);
    return std::make_unique<IdentityLayer>(cfg, arguments);
  };
  return d;
}

}  // namespace

void register_reshape_layers(LayerRegistry& registry) {
  registry.add(relayout<FlattenLayer>("Flatten", {"data_format"}, nlohmann::json::object()));
  // On an RGB image: (batch, pixels, 3), a rank-3 tensor.
  registry.add(relayout<ReshapeLayer>("Reshape", {"target_shape"}, {{"target_shape", {-1, 3}}}));
  registry.add(relayout<PermuteLayer>("Permute", {"dims"}, {{"dims", {2, 1, 3}}}));
  LayerDescriptor repeat = relayout<RepeatVectorLayer>("RepeatVector", {"n"}, {{"n", 3}});
  repeat.example_rank = 0;
  registry.add(std::move(repeat));

  const std::vector<std::pair<std::string, std::string>> p_is_rate{{"p", "rate"}};
  registry.add(identity("Dropout", {"rate", "noise_shape", "seed"}, p_is_rate));
  registry.add(identity("AlphaDropout", {"rate", "noise_shape", "seed"}));
  registry.add(identity("GaussianDropout", {"rate", "seed"}, p_is_rate));
  registry.add(identity("GaussianNoise", {"stddev", "seed"}, {{"sigma", "stddev"}}));
  registry.add(identity("SpatialDropout1D", {"rate", "seed"}, p_is_rate));
  registry.add(identity("SpatialDropout2D", {"rate", "seed", "data_format"}, p_is_rate));
  registry.add(identity("SpatialDropout3D", {"rate", "seed", "data_format"}, p_is_rate));
  registry.add(identity("ActivityRegularization", {"l1", "l2"}));
}

}  // namespace convscope
