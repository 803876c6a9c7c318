// Functional models: both inbound_nodes forms, shared layers, nested models, several outputs,
// the refusals, and the graph written back as Keras 3. Every graph also runs on the GPU
// against the CPU reference of the whole graph.
#include <catch2/catch.hpp>

#include "core/error.h"
#include "gpu.h"
#include "layer_check.h"
#include "model/keras_json.h"
#include "model/parse_pipeline.h"
#include "model/summary.h"
#include "model/weights.h"
#include "run/reference_run.h"
#include "run/session.h"

using namespace convscope;
using json = nlohmann::json;

namespace {

// A small residual block as tf.keras 2 writes it (model.to_json()).
const char* kResidualKeras2 = R"({"class_name": "Functional", "config": {"name": "resnetish", "layers": [
  {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 9, 7, 3], "dtype": "float32", "sparse": false,
   "ragged": false, "name": "input_1"}, "name": "input_1", "inbound_nodes": []},
  {"class_name": "Conv2D", "config": {"name": "conv", "filters": 4, "kernel_size": [3, 3], "padding": "same"},
   "name": "conv", "inbound_nodes": [[["input_1", 0, 0, {}]]]},
  {"class_name": "ReLU", "config": {"name": "relu"}, "name": "relu", "inbound_nodes": [[["conv", 0, 0, {}]]]},
  {"class_name": "Conv2D", "config": {"name": "conv_b", "filters": 4, "kernel_size": 1}, "name": "conv_b",
   "inbound_nodes": [[["relu", 0, 0, {}]]]},
  {"class_name": "Add", "config": {"name": "add"}, "name": "add",
   "inbound_nodes": [[["relu", 0, 0, {}], ["conv_b", 0, 0, {}]]]},
  {"class_name": "GlobalAveragePooling2D", "config": {"name": "gap"}, "name": "gap", "inbound_nodes": [[["add", 0, 0, {}]]]},
  {"class_name": "Dense", "config": {"name": "dense", "units": 5, "activation": "softmax"}, "name": "dense",
   "inbound_nodes": [[["gap", 0, 0, {}]]]}],
  "input_layers": [["input_1", 0, 0]], "output_layers": [["dense", 0, 0]]},
  "keras_version": "2.12.0", "backend": "tensorflow"})";

json keras3_tensor(const std::string& layer, int call = 0) {
  return {{"class_name", "__keras_tensor__"},
          {"config", {{"shape", {nullptr, 9, 7, 4}}, {"dtype", "float32"}, {"keras_history", {layer, call, 0}}}}};
}

json keras3_layer(const std::string& cls, json config, json args) {
  config["name"] = config.value("name", "");
  const std::string name = config["name"];
  return {{"module", "keras.layers"}, {"class_name", cls}, {"config", config}, {"registered_name", nullptr},
          {"name", name}, {"inbound_nodes", json::array({{{"args", args}, {"kwargs", json::object()}}})}};
}

// The same block as Keras 3 writes it, "add" listed before "conv_b", which it reads.
json residual_keras3() {
  json layers = json::array();
  layers.push_back({{"module", "keras.layers"}, {"class_name", "InputLayer"},
                    {"config", {{"batch_shape", {nullptr, 9, 7, 3}}, {"dtype", "float32"}, {"name", "input_layer"}}},
                    {"registered_name", nullptr}, {"name", "input_layer"}, {"inbound_nodes", json::array()}});
  layers.push_back(keras3_layer("Conv2D", {{"name", "conv"}, {"filters", 4}, {"kernel_size", {3, 3}}, {"padding", "same"}},
                                {keras3_tensor("input_layer")}));
  layers.push_back(keras3_layer("ReLU", {{"name", "relu"}}, {keras3_tensor("conv")}));
  layers.push_back(keras3_layer("Add", {{"name", "add"}}, {{keras3_tensor("relu"), keras3_tensor("conv_b")}}));
  layers.push_back(keras3_layer("Conv2D", {{"name", "conv_b"}, {"filters", 4}, {"kernel_size", 1}}, {keras3_tensor("relu")}));
  layers.push_back(keras3_layer("GlobalAveragePooling2D", {{"name", "gap"}}, {keras3_tensor("add")}));
  layers.push_back(keras3_layer("Dense", {{"name", "dense"}, {"units", 5}, {"activation", "softmax"}}, {keras3_tensor("gap")}));
  return {{"module", "keras.src.models.functional"}, {"class_name", "Functional"}, {"registered_name", "Functional"},
          {"config", {{"name", "resnetish"}, {"trainable", true}, {"layers", layers},
                      {"input_layers", {"input_layer", 0, 0}}, {"output_layers", {{"dense", 0, 0}}}}}};
}

// The index of the node whose layer is called `name` (its first call).
size_t node_named(const Model& m, const std::string& name) {
  for (size_t i = 0; i < m.nodes.size(); ++i)
    if (m.layer(i).name() == name) return i;
  FAIL("no node " << name);
  return 0;
}

// Keras initialisation, then every node on the GPU against the graph's CPU reference.
void require_graph_runs(Model model, const std::vector<int64_t>& keras_input, uint32_t seed = 5) {
  const NdArray array = test::random_array(keras_input, seed);
  const Tensor input = from_keras(array, model.input_rank().value_or(static_cast<int>(keras_input.size()) - 2),
                                  model.input_format(), "graph input");
  initialize_weights(model, input.shape, seed);
  const std::vector<Tensor> reference = run_reference(model, {input});
  const RunResult gpu = run_model(test::gpu(), model, input);
  test::require_validation_clean(test::gpu());
  REQUIRE(gpu.outputs.size() == reference.size());
  for (size_t i = 0; i < reference.size(); ++i) {
    INFO("node " << i << " " << model.layer(i).label());
    CHECK(test::max_relative_error(gpu.outputs[i], reference[i]) <= 1e-5);
  }
}

}  // namespace

TEST_CASE("a tf.keras 2 functional model becomes a graph with its skip connection", "[functional]") {
  const Model m = parse_pipeline(json::parse(kResidualKeras2));
  REQUIRE(m.nodes.size() == 6);
  CHECK(m.name == "resnetish");
  CHECK(m.input_shape == OpenShape{9, 7, 3});
  const size_t add = node_named(m, "add");
  CHECK(m.nodes[add].inputs == std::vector<Ref>{Ref::node(node_named(m, "relu")), Ref::node(node_named(m, "conv_b"))});
  CHECK(m.nodes[node_named(m, "conv")].inputs == std::vector<Ref>{Ref::input()});
  CHECK(m.outputs() == std::vector<size_t>{node_named(m, "dense")});
  CHECK(m.consumers(node_named(m, "relu")).size() == 2);
  require_graph_runs(m, {2, 9, 7, 3});
}

TEST_CASE("Keras 3's inbound_nodes, a tensor read before its layer is listed, give the same graph", "[functional]") {
  const Model k2 = parse_pipeline(json::parse(kResidualKeras2));
  const Model k3 = parse_pipeline(residual_keras3());
  REQUIRE(k3.nodes.size() == k2.nodes.size());
  // The weights follow the config's order: Add comes before conv_b here.
  CHECK(k3.layer(2).name() == "add");
  CHECK(k3.layer(3).name() == "conv_b");
  for (const std::string name : {"conv", "relu", "conv_b", "add", "gap", "dense"}) {
    INFO(name);
    std::vector<std::string> reads2, reads3;
    for (const Ref& r : k2.nodes[node_named(k2, name)].inputs) reads2.push_back(r.is_node() ? k2.layer(r.index).name() : "input");
    for (const Ref& r : k3.nodes[node_named(k3, name)].inputs) reads3.push_back(r.is_node() ? k3.layer(r.index).name() : "input");
    CHECK(reads2 == reads3);
  }
  require_graph_runs(k3, {1, 9, 7, 3});
}

TEST_CASE("a layer called twice is one layer on two nodes, with one set of weights", "[functional]") {
  const json doc = json::parse(R"({"class_name": "Functional", "config": {"name": "twice", "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 6], "name": "in"}, "name": "in", "inbound_nodes": []},
    {"class_name": "Dense", "config": {"name": "shared", "units": 6, "activation": "tanh"}, "name": "shared",
     "inbound_nodes": [[["in", 0, 0, {}]], [["shared", 0, 0, {}]]]},
    {"class_name": "Multiply", "config": {"name": "mul"}, "name": "mul",
     "inbound_nodes": [[["shared", 0, 0, {}], ["shared", 1, 0, {}]]]}],
    "input_layers": [["in", 0, 0]], "output_layers": [["mul", 0, 0]]}})");
  Model m = parse_pipeline(doc);
  REQUIRE(m.nodes.size() == 3);
  CHECK(m.nodes[0].layer == m.nodes[1].layer);
  CHECK(m.nodes[1].inputs == std::vector<Ref>{Ref::node(0)});
  CHECK(m.nodes[2].inputs == std::vector<Ref>{Ref::node(0), Ref::node(1)});
  CHECK(m.distinct_layers().size() == 2);
  // Two arrays (kernel, bias) for the two calls: a third would be refused.
  Shape in;
  in.c = 6;
  CHECK_THROWS_WITH(assign_weights(m, in, {NdArray{{6, 6}}, NdArray{{6}}, NdArray{{6}}}), Catch::Contains("the model takes 2"));
  require_graph_runs(m, {3, 6});
}

TEST_CASE("nested models are flattened in place, their weights in Keras' order", "[functional]") {
  // A Sequential backbone inside a Functional, called twice (a siamese pair), and a Keras 3
  // Sequential holding a Functional, as transfer learning writes them.
  const json backbone = json::parse(R"({"class_name": "Sequential", "config": {"name": "backbone", "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 8, 8, 2], "name": "bb_in"}},
    {"class_name": "Conv2D", "config": {"name": "bb_conv", "filters": 3, "kernel_size": 3}},
    {"class_name": "MaxPooling2D", "config": {"name": "bb_pool"}}]}})");
  json siamese = json::parse(R"({"class_name": "Functional", "config": {"name": "siamese", "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 8, 8, 2], "name": "x"}, "name": "x", "inbound_nodes": []},
    {"class_name": "Conv2D", "config": {"name": "pre", "filters": 2, "kernel_size": 1}, "name": "pre", "inbound_nodes": [[["x", 0, 0, {}]]]},
    {"class_name": "Subtract", "config": {"name": "diff"}, "name": "diff", "inbound_nodes": [[["backbone", 0, 0, {}], ["backbone", 1, 0, {}]]]},
    {"class_name": "Flatten", "config": {"name": "flat"}, "name": "flat", "inbound_nodes": [[["diff", 0, 0, {}]]]}],
    "input_layers": [["x", 0, 0]], "output_layers": [["flat", 0, 0]]}})");
  json nested = backbone;
  nested["name"] = "backbone";
  nested["inbound_nodes"] = json::parse(R"([[["x", 0, 0, {}]], [["pre", 0, 0, {}]]])");
  siamese["config"]["layers"].insert(siamese["config"]["layers"].begin() + 1, nested);
  Model m = parse_pipeline(siamese);
  // backbone (conv, pool) twice, pre, diff, flat.
  REQUIRE(m.nodes.size() == 7);
  std::vector<std::string> order;
  for (const Layer* l : m.distinct_layers()) order.push_back(l->name());
  CHECK(order == std::vector<std::string>{"bb_conv", "bb_pool", "pre", "diff", "flat"});
  // A layer's calls side by side: conv (call 0, call 1), pool (call 0, call 1), ...
  CHECK(m.nodes[0].layer == m.nodes[1].layer);  // the backbone's conv, shared by its two calls
  CHECK(m.nodes[1].inputs == std::vector<Ref>{Ref::node(node_named(m, "pre"))});
  CHECK(m.nodes[node_named(m, "diff")].inputs == std::vector<Ref>{Ref::node(2), Ref::node(3)});
  // Written back and read again: the same nodes in the same order.
  const Model again = parse_pipeline(to_keras3_json(m));
  REQUIRE(again.nodes.size() == m.nodes.size());
  for (size_t i = 0; i < m.nodes.size(); ++i) {
    CHECK(again.layer(i).name() == m.layer(i).name());
    CHECK(again.nodes[i].inputs == m.nodes[i].inputs);
  }
  require_graph_runs(m, {2, 8, 8, 2});

  json transfer = json::parse(R"({"module": "keras", "class_name": "Sequential", "config": {"name": "transfer", "layers": [
    {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 8, 8, 2], "name": "input_layer"}},
    {"module": "keras.layers", "class_name": "GlobalMaxPooling2D", "config": {"name": "gmp"}},
    {"module": "keras.layers", "class_name": "Dense", "config": {"name": "head", "units": 4}}]}})");
  json base = json::parse(R"({"module": "keras.src.models.functional", "class_name": "Functional",
    "registered_name": "Functional", "config": {"name": "base", "layers": [
    {"class_name": "InputLayer", "config": {"batch_shape": [null, 8, 8, 2], "name": "base_in"}, "name": "base_in", "inbound_nodes": []},
    {"class_name": "Conv2D", "config": {"name": "base_conv", "filters": 5, "kernel_size": 3, "padding": "same"}, "name": "base_conv",
     "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["base_in", 0, 0]}}], "kwargs": {}}]}],
    "input_layers": [["base_in", 0, 0]], "output_layers": [["base_conv", 0, 0]]}})");
  transfer["config"]["layers"].insert(transfer["config"]["layers"].begin() + 1, base);
  Model t = parse_pipeline(transfer);
  REQUIRE(t.nodes.size() == 3);
  CHECK(t.layer(0).name() == "base_conv");
  CHECK(t.input_shape == OpenShape{8, 8, 2});
  require_graph_runs(t, {1, 8, 8, 2});
}

TEST_CASE("output_layers give the outputs in their order, one of them also read inside", "[functional]") {
  const json doc = json::parse(R"({"class_name": "Model", "config": {"name": "two_heads", "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 5, 5, 1], "name": "in"}, "name": "in", "inbound_nodes": []},
    {"class_name": "Conv2D", "config": {"name": "features", "filters": 2, "kernel_size": 3}, "name": "features", "inbound_nodes": [[["in", 0, 0, {}]]]},
    {"class_name": "Flatten", "config": {"name": "flat"}, "name": "flat", "inbound_nodes": [[["features", 0, 0, {}]]]},
    {"class_name": "Dense", "config": {"name": "score", "units": 1}, "name": "score", "inbound_nodes": [[["flat", 0, 0, {}]]]}],
    "input_layers": {"in": ["in", 0, 0]}, "output_layers": [["score", 0, 0], ["features", 0, 0]]}})");
  const Model m = parse_pipeline(doc);
  CHECK(m.outputs() == std::vector<size_t>{2, 0});  // score, features
}

TEST_CASE("functional models convscope cannot run are refused with what to do", "[functional]") {
  const json good = json::parse(kResidualKeras2);
  auto with_layer = [&](size_t i, const json& layer) {
    json doc = good;
    doc["config"]["layers"][i] = layer;
    return doc;
  };
  // A Lambda holds Python code; the message says what replaces the usual one.
  const json lambda = json::parse(R"({"class_name": "Lambda", "config": {"name": "relu", "function": ["4wEAAAAA", null, null]},
    "name": "relu", "inbound_nodes": [[["conv", 0, 0, {}]]]})");
  CHECK_THROWS_WITH(parse_pipeline(with_layer(2, lambda)),
                    Catch::Contains("model.layers[2] 'relu' (Lambda)") && Catch::Contains("Python code") &&
                        Catch::Contains("Rescaling"));
  // A custom class, by its registered name.
  json custom = good["config"]["layers"][2];
  custom["class_name"] = "MyBlock";
  custom["registered_name"] = "my_package>MyBlock";
  CHECK_THROWS_WITH(parse_pipeline(with_layer(2, custom)), Catch::Contains("(MyBlock) is a custom layer"));
  // Two inputs, named.
  json two = good;
  two["config"]["input_layers"] = json::parse(R"([["input_1", 0, 0], ["input_2", 0, 0]])");
  CHECK_THROWS_WITH(parse_pipeline(two), Catch::Contains("2 inputs (input_1, input_2)") && Catch::Contains("one input"));
  // A tensor nobody makes, and a call of a layer that has one call.
  json dangling = good;
  dangling["config"]["layers"][4]["inbound_nodes"][0][1][0] = "conv_c";
  CHECK_THROWS_WITH(parse_pipeline(dangling), Catch::Contains("add") && Catch::Contains("reads 'conv_c'") &&
                                                  Catch::Contains("no layer of the model makes"));
  json second = good;
  second["config"]["layers"][4]["inbound_nodes"][0][1][1] = 1;
  CHECK_THROWS_WITH(parse_pipeline(second), Catch::Contains("'conv_b' call 1 output 0"));
  // A cycle: conv reads the Add downstream of it.
  json cycle = good;
  cycle["config"]["layers"][1]["inbound_nodes"] = json::parse(R"([[["add", 0, 0, {}]]])");
  CHECK_THROWS_WITH(parse_pipeline(cycle), Catch::Contains("cycle"));
  // Malformed references.
  json bad_ref = good;
  bad_ref["config"]["layers"][2]["inbound_nodes"] = json::parse(R"([[["conv", "0", 0]]])");
  CHECK_THROWS_WITH(parse_pipeline(bad_ref), Catch::Contains("relu: inbound_nodes: expected [layer name, node index"));
  json no_outputs = good;
  no_outputs["config"]["output_layers"] = "dense";
  CHECK_THROWS_WITH(parse_pipeline(no_outputs), Catch::Contains("output_layers: expected"));
  // Every message is one line.
  for (const json& doc : {with_layer(2, lambda), two, dangling, cycle, bad_ref}) {
    try {
      parse_pipeline(doc);
      FAIL("accepted");
    } catch (const UserError& e) {
      CHECK(std::string(e.what()).find('\n') == std::string::npos);
    }
  }
}

TEST_CASE("a graph is written back as a Keras 3 Functional that reads as the same graph", "[functional]") {
  for (const json& doc : {json::parse(kResidualKeras2), residual_keras3()}) {
    const Model m = parse_pipeline(doc);
    const json written = to_keras3_json(m);
    CHECK(written["class_name"] == "Functional");
    CHECK(written["config"]["layers"][0]["class_name"] == "InputLayer");
    CHECK(written["config"]["layers"][0]["config"]["batch_shape"] == json::parse("[null, 9, 7, 3]"));
    const Model again = parse_pipeline(written);
    REQUIRE(again.nodes.size() == m.nodes.size());
    for (size_t i = 0; i < m.nodes.size(); ++i) {
      CHECK(again.layer(i).name() == m.layer(i).name());
      CHECK(again.nodes[i].inputs == m.nodes[i].inputs);
    }
    CHECK(again.outputs() == m.outputs());
    CHECK(to_keras3_json(again) == written);  // a fixed point
  }
  // A chain stays a Sequential.
  const Model chain = parse_pipeline(json::parse(R"({"class_name": "Sequential", "config": {"layers": [
      {"class_name": "Conv2D", "config": {"filters": 1, "kernel_size": 1}}]}})"));
  CHECK(to_keras3_json(chain)["class_name"] == "Sequential");
}

TEST_CASE("the file's keras_version picks the Keras generation of its layers' maths", "[functional][activation]") {
  // hard_sigmoid: Keras 2 0.2x + 0.5, Keras 3 relu6(x + 3) / 6; at x = 1: 0.7 and 0.6667.
  json doc = json::parse(R"({"class_name": "Sequential", "config": {"layers": [
      {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 1]}},
      {"class_name": "Activation", "config": {"activation": "hard_sigmoid"}}]}})");
  Shape s;
  s.c = 1;
  Tensor one(s);
  one.data[0] = 1.0f;
  const auto value = [&](const json& d) { return parse_pipeline(d).layer(0).reference(one).data[0]; };
  CHECK(value(doc) == Approx(4.0 / 6.0));
  doc["keras_version"] = "2.12.0";
  CHECK(value(doc) == Approx(0.7));
  json tfjs = {{"modelTopology", doc}, {"weightsManifest", json::array()}};
  tfjs["modelTopology"]["keras_version"] = "tfjs-layers 4.10.0";
  CHECK(value(tfjs) == Approx(0.7));
  json converted = {{"modelTopology", {{"keras_version", "2.4.0"}, {"model_config", doc}}}};
  converted["modelTopology"]["model_config"].erase("keras_version");
  CHECK(value(converted) == Approx(0.7));
}

TEST_CASE("a Lambda is found, and replaced by the built-in layer the user picks", "[functional]") {
  // Keras 3 form: the Lambda keeps its name and its call.
  json doc = residual_keras3();
  json lambda = doc["config"]["layers"][2];  // relu's entry: its name and inbound node
  lambda["class_name"] = "Lambda";
  lambda["config"] = {{"name", "relu"}, {"function", {{"class_name", "__lambda__"}, {"config", {{"code", "4wEAAAAA"}}}}}};
  doc["config"]["layers"][2] = lambda;
  const auto found = unrunnable_layers(doc);
  REQUIRE(found.size() == 1);
  CHECK(found[0].name == "relu");
  CHECK(found[0].class_name == "Lambda");
  CHECK(found[0].position == "model.layers[2]");
  CHECK_THAT(found[0].why, Catch::Contains("Python code"));
  CHECK_THROWS_WITH(parse_pipeline(doc), Catch::Contains("'relu' (Lambda) holds Python code"));

  const json replaced = with_replacements(doc, {{"relu", common_lambda_replacement()}});
  CHECK(unrunnable_layers(replaced).empty());
  const Model m = parse_pipeline(replaced);
  const Model original = parse_pipeline(residual_keras3());
  REQUIRE(m.nodes.size() == original.nodes.size());
  CHECK(m.layer(1).class_name() == "Rescaling");
  CHECK(m.layer(1).name() == "relu");
  CHECK(m.layer(1).keras_config()["offset"] == -0.5);
  for (size_t i = 0; i < m.nodes.size(); ++i) CHECK(m.nodes[i].inputs == original.nodes[i].inputs);
  require_graph_runs(m, {1, 9, 7, 3});

  // A Keras layer convscope lacks is listed with no advice (nothing built in computes it),
  // and a lone Lambda is named by its class.
  json lstm = json::parse(kResidualKeras2);
  lstm["config"]["layers"][2]["class_name"] = "LSTM";
  const auto lacking = unrunnable_layers(lstm);
  REQUIRE(lacking.size() == 1);
  CHECK(lacking[0].why.empty());
  const json lone = json::parse(R"({"class_name": "Lambda", "config": {"name": "l"}})");
  REQUIRE(unrunnable_layers(lone).size() == 1);
  CHECK(parse_pipeline(with_replacements(lone, {{"Lambda", common_lambda_replacement()}})).layer(0).class_name() == "Rescaling");
}

TEST_CASE("summary counts a frozen layer's and BatchNormalization's statistics as non-trainable", "[functional][model]") {
  // A frozen backbone (trainable: false), a BatchNormalization, a trainable head.
  const json doc = json::parse(R"({"class_name": "Sequential", "config": {"name": "frozen", "layers": [
      {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 6, 6, 2]}},
      {"class_name": "Conv2D", "config": {"name": "base", "trainable": false, "filters": 3, "kernel_size": 3}},
      {"class_name": "BatchNormalization", "config": {"name": "bn"}},
      {"class_name": "Flatten", "config": {"name": "flat"}},
      {"class_name": "Dense", "config": {"name": "head", "units": 2}}]}})");
  const Model m = parse_pipeline(doc);
  CHECK_FALSE(m.layer(0).trainable());
  CHECK(m.layer(0).keras_config()["trainable"] == false);  // written back as read
  const ModelSummary s = summarize(m, *m.input_shape);
  // base 2*3*3*3 + 3 = 57, bn 4 * 3 = 12 (6 moving), head 48 * 2 + 2 = 98.
  CHECK(s.total_params == 57 + 12 + 98);
  CHECK(s.non_trainable_params == 57 + 6);
  CHECK_THAT(format_summary(s), Catch::Contains("Trainable params: 104") && Catch::Contains("Non-trainable params: 63"));
}

TEST_CASE("two layers of one name in a model are refused, as Keras refuses them", "[functional]") {
  const json doc = json::parse(R"({"class_name": "Sequential", "config": {"name": "twice", "layers": [
      {"class_name": "Conv2D", "config": {"name": "c", "filters": 1, "kernel_size": 1}},
      {"class_name": "Conv2D", "config": {"name": "c", "filters": 2, "kernel_size": 1}}]}})");
  CHECK_THROWS_WITH(parse_pipeline(doc), Catch::Equals("twice: layer 1: two layers make 'c': Keras names every layer of a "
                                                       "model uniquely"));
}
