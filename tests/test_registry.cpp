// The layer registry: every class describes itself (names, Keras 1 aliases, an example config
// that runs, weight names matching its arrays), and config keys no Keras writes are refused
// with the closest known key, while every key some Keras generation or TensorFlow.js writes
// is accepted.
#include <catch2/catch.hpp>

#include "cli_run.h"
#include "gpu.h"
#include "layer_check.h"
#include "layers/config_keys.h"
#include "layers/registry.h"
#include "model/parse_pipeline.h"

using namespace convscope;
using nlohmann::json;

namespace {

std::string refusal(const json& spec) {
  try {
    LayerRegistry::builtin().create(spec);
  } catch (const UserError& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

TEST_CASE("every layer class runs from its example config and names its weights", "[args][registry]") {
  const auto& registry = LayerRegistry::builtin();
  REQUIRE(registry.descriptors().size() >= 20);
  for (const auto& [name, d] : registry.descriptors()) {
    INFO(name);
    CHECK_FALSE(d.family.empty());
    std::shared_ptr<Layer> layer = registry.create({{"class_name", name}, {"config", d.example}});
    CHECK(layer->class_name() == name);
    Shape in;
    // Layers that take any rank run on a 2D image unless their descriptor says otherwise.
    in.spatial_rank = d.example_rank >= 0 ? d.example_rank : layer->spatial_rank() > 0 ? layer->spatial_rank() : 2;
    in.c = 3;
    for (int a = 0; a < in.spatial_rank; ++a) in.spatial(a) = in.spatial_rank == 3 ? 18 : 20;
    if (name == "LearnableCrop") in.h = in.w = 160;
    CHECK(layer->weight_names().size() == layer->weight_shapes(in).size());
    layer->set_weights(in, layer->initial_weights(in, 3));
    if (d.min_inputs > 1) {
      std::vector<Tensor> inputs;
      for (int k = 0; k < d.min_inputs; ++k) inputs.push_back(test::random_tensor(in, 4 + k));
      test::require_node_gpu_matches_reference(*layer, inputs, 1e-5);
    } else {
      test::require_gpu_matches_reference(*layer, test::random_tensor(in, 4), 1e-5);
    }
    for (const std::string& alias : d.aliases) CHECK(registry.find(alias) == &d);
  }
  CHECK(registry.find("Convolution2D")->class_name == "Conv2D");
  CHECK(registry.find("Deconvolution2D")->class_name == "Conv2DTranspose");
  CHECK(registry.find("LearnableCrop")->module == "convscope");
  CHECK(registry.find("MaxPool2D")->class_name == "MaxPooling2D");
}

TEST_CASE("a key no Keras writes is refused, naming it and the closest key", "[args][registry]") {
  const std::string stride = refusal(json::parse(R"({"class_name": "Conv2D", "config": {"name": "c", "filters": 2,
      "kernel_size": 3, "stride": 2}})"));
  CHECK_THAT(stride, Catch::StartsWith("Conv2D 'c': stride: unrecognized keyword argument") &&
                         Catch::EndsWith("did you mean 'strides'?"));
  CHECK_THAT(refusal(json::parse(R"({"class_name": "Conv2D", "config": {"filters": 2, "kernal_size": 3}})")),
             Catch::Contains("kernal_size") && Catch::Contains("did you mean 'kernel_size'?"));
  CHECK_THAT(refusal(json::parse(R"({"class_name": "UpSampling2D", "config": {"dilation": 2}})")),
             Catch::Contains("UpSampling2D: dilation:") && Catch::Contains("the layer takes size, data_format, interpolation"));
  CHECK_THAT(refusal(json::parse(R"({"class_name": "Cropping2D", "config": {"crop": 1}})")),
             Catch::Contains("did you mean 'cropping'?"));
  // Inside a model, the message says where.
  CHECK_THROWS_WITH(parse_pipeline(json::parse(R"({"class_name": "Sequential", "config": {"name": "m", "layers": [
      {"class_name": "ZeroPadding2D", "config": {"name": "p", "padding": 1}},
      {"class_name": "Conv2D", "config": {"name": "c", "filters": 2, "kernel_size": 3, "dilation": 2}}]}})")),
                    Catch::StartsWith("m: layer 1: Conv2D 'c': dilation:") && Catch::Contains("'dilation_rate'"));
  CHECK(closest_key("paddin", {"padding", "data_format"}) == "padding");
  CHECK(closest_key("zz", {"padding", "data_format"}).empty());
}

TEST_CASE("every key Keras or TensorFlow.js writes is accepted", "[args][registry]") {
  const auto& registry = LayerRegistry::builtin();
  const json dtype_policy = json::parse(
      R"({"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null})");
  const json initializer = json::parse(R"({"class_name": "GlorotUniform", "config": {"seed": null}})");
  // Keras 3, with its dtype policy, LoRA ranks, quantization and the keys of its base Layer.
  json keras3 = {{"name", "c"}, {"trainable", true}, {"dtype", dtype_policy}, {"filters", 2}, {"kernel_size", {3, 3}},
                 {"strides", {1, 1}}, {"padding", "valid"}, {"data_format", "channels_last"}, {"dilation_rate", {1, 1}},
                 {"groups", 1}, {"activation", "linear"}, {"use_bias", true}, {"kernel_initializer", initializer},
                 {"bias_initializer", {{"class_name", "Zeros"}, {"config", json::object()}}}, {"kernel_regularizer", nullptr},
                 {"bias_regularizer", nullptr}, {"activity_regularizer", nullptr}, {"kernel_constraint", nullptr},
                 {"bias_constraint", nullptr}, {"lora_rank", nullptr}, {"quantization_config", nullptr},
                 {"synchronized", false}, {"optional", false}};
  CHECK_NOTHROW(registry.create({{"class_name", "Conv2D"}, {"config", keras3}}));
  // tf.keras 2.4's DepthwiseConv2D carries the groups it inherits; its first layer the batch shape.
  CHECK_NOTHROW(registry.create(json::parse(R"({"class_name": "DepthwiseConv2D", "config": {"name": "d",
      "trainable": true, "batch_input_shape": [null, 8, 8, 3], "dtype": "float32", "kernel_size": [3, 3],
      "strides": [1, 1], "padding": "valid", "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1,
      "activation": "linear", "use_bias": true, "bias_initializer": {"class_name": "Zeros", "config": {}},
      "bias_regularizer": null, "activity_regularizer": null, "bias_constraint": null, "depth_multiplier": 1,
      "depthwise_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
      "depthwise_regularizer": null, "depthwise_constraint": null}})")));
  CHECK_NOTHROW(registry.create(json::parse(R"({"class_name": "SeparableConv2D", "config": {"filters": 2,
      "kernel_size": 3, "groups": 1, "pointwise_initializer": null, "pointwise_regularizer": null}})")));
  CHECK_NOTHROW(registry.create(json::parse(R"({"class_name": "Conv2DTranspose", "config": {"filters": 2,
      "kernel_size": 3, "groups": 1, "output_padding": null}})")));
  // Keras 1, as it wrote Convolution2D and Deconvolution2D.
  CHECK_NOTHROW(registry.create(json::parse(R"({"class_name": "Convolution2D", "config": {"name": "c",
      "trainable": true, "nb_filter": 2, "nb_row": 3, "nb_col": 3, "init": "glorot_uniform", "activation": "linear",
      "border_mode": "same", "subsample": [1, 1], "dim_ordering": "tf", "W_regularizer": null, "b_regularizer": null,
      "activity_regularizer": null, "W_constraint": null, "b_constraint": null, "bias": true,
      "batch_input_shape": [null, 8, 8, 3], "input_dtype": "float32"}})")));
  CHECK_NOTHROW(registry.create(json::parse(R"({"class_name": "Deconvolution2D", "config": {"nb_filter": 2,
      "nb_row": 3, "nb_col": 3, "output_shape": [null, 16, 16, 2], "subsample": [2, 2], "border_mode": "same"}})")));
  CHECK_NOTHROW(registry.create(json::parse(R"({"class_name": "UpSampling1D", "config": {"length": 2}})")));
  // A transposed convolution takes the groups tf.keras writes (1) and no other.
  CHECK_THAT(refusal(json::parse(R"({"class_name": "Conv2DTranspose", "config": {"filters": 2, "kernel_size": 3,
      "groups": 2}})")), Catch::Contains("groups: 2: transposed convolutions take 1"));
}

TEST_CASE("eval refuses a misspelt argument with exit 2, naming it and the key meant", "[args][cli]") {
  const auto r = test::run_cli(
      "eval '{\"class_name\": \"Conv2D\", \"config\": {\"filters\": 2, \"kernel_size\": 3, \"stride\": 2}}' "
      "/nonexistent.npy -o /tmp/never-written.npy");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("stride: unrecognized keyword argument") && Catch::Contains("did you mean 'strides'?"));
}
