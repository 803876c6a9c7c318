// The session, the one executor of the CLI, the benchmark and the app: its outputs equal
// every layer's reference through the graph; an edit recomputes only the nodes it makes stale
// (counted in dispatches); a node reading nothing fresh runs without a barrier; a layer that
// does not fit shows why while the rest runs; a failed run keeps the last good outputs.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>

#include "gpu.h"
#include "layer_check.h"
#include "run/session.h"
#include "vk/fault.h"

using namespace convscope;
using nlohmann::json;

namespace {

std::shared_ptr<Layer> layer(const char* spec) { return test::make_layer(json::parse(spec)); }

Shape image(int64_t c, int64_t h, int64_t w) {
  Shape s;
  s.c = c, s.h = h, s.w = w;
  return s;
}

// blur-like depthwise, a conv, an upsampling and a crop: a small default pipeline.
Model small_chain(const Shape& input) {
  Model m = chain_of({layer(R"({"class_name": "DepthwiseConv2D", "config": {"name": "d", "kernel_size": 3, "padding": "same"}})"),
                      layer(R"({"class_name": "Conv2D", "config": {"name": "c", "filters": 4, "kernel_size": 3}})"),
                      layer(R"({"class_name": "UpSampling2D", "config": {"name": "u", "size": 2}})"),
                      layer(R"({"class_name": "Cropping2D", "config": {"name": "k", "cropping": 1}})")});
  Shape s = input;
  for (size_t i = 0; i < m.nodes.size(); ++i) {
    Layer& l = *m.nodes[i].layer;
    l.set_weights(s, l.initial_weights(s, 10 + i));
    s = l.output_shape(s);
  }
  return m;
}

// Every node's output against the references chained on the CPU.
void require_outputs_match(const Session& session, const Tensor& input) {
  Tensor x = input;
  for (size_t i = 0; i < session.size(); ++i) {
    x = session.layer(i).reference(x);
    INFO("node " << i << " " << session.layer(i).label());
    CHECK(test::max_relative_error(session.output(i), x) <= 1e-5);
  }
}

}  // namespace

TEST_CASE("a session's outputs equal the references, in every timing", "[session]") {
  vk::Context& ctx = test::gpu();
  const Tensor input = test::random_tensor(image(3, 13, 11), 1);
  for (const NodeTiming timing : {NodeTiming::None, NodeTiming::Host, NodeTiming::GpuTimestamps}) {
    if (timing == NodeTiming::GpuTimestamps && !ctx.info().timestamps) continue;
    Session s(ctx, small_chain(input.shape), timing);
    s.set_input(input);
    const RunStats stats = s.run();
    CHECK(stats.nodes_run == 4);
    CHECK(stats.submissions == (timing == NodeTiming::Host ? 4u : 1u));
    require_outputs_match(s, input);
    CHECK(s.read_value(1, 7) == s.output(1).data[7]);
    if (timing != NodeTiming::None)
      for (const NodeState& n : s.nodes()) CHECK(n.ms > 0);
  }
  test::require_validation_clean(ctx);
}

TEST_CASE("an edit recomputes only the nodes it makes stale, counted in dispatches", "[session]") {
  vk::Context& ctx = test::gpu();
  const Tensor input = test::random_tensor(image(3, 12, 12), 2);
  Session s(ctx, small_chain(input.shape));
  s.set_input(input);
  const RunStats full = s.run();
  REQUIRE(full.nodes_run == 4);
  std::vector<size_t> per_node;
  for (const NodeState& n : s.nodes()) per_node.push_back(n.dispatches);

  CHECK(s.run().nodes_run == 0);  // nothing changed: nothing runs

  // New weights for the conv: it and the two after it.
  const Shape conv_in = s.input_shapes(1)->front();
  s.set_weights(1, s.layer(1).initial_weights(conv_in, 99));
  RunStats r = s.run();
  CHECK(r.nodes_run == 3);
  CHECK(r.dispatches == per_node[1] + per_node[2] + per_node[3]);
  require_outputs_match(s, input);

  // The last layer replaced: it alone.
  s.replace_layer(3, layer(R"({"class_name": "Cropping2D", "config": {"name": "k2", "cropping": [[2, 0], [0, 3]]}})"));
  r = s.run();
  CHECK(r.nodes_run == 1);
  CHECK(r.dispatches == s.node(3).dispatches);
  require_outputs_match(s, input);

  // A node inserted before the crop: it and the crop; then removed again: the crop.
  s.insert_node(3, layer(R"({"class_name": "ZeroPadding2D", "config": {"name": "p", "padding": 2}})"), Ref::node(2));
  CHECK(s.run().nodes_run == 2);
  require_outputs_match(s, input);
  s.remove_node(3);
  CHECK(s.run().nodes_run == 1);
  require_outputs_match(s, input);

  // A new input: everything.
  s.set_input(test::random_tensor(input.shape, 3));
  CHECK(s.run().nodes_run == 4);
  test::require_validation_clean(ctx);
}

TEST_CASE("a node that reads nothing written since the last barrier runs without one", "[session]") {
  vk::Context& ctx = test::gpu();
  const Tensor input = test::random_tensor(image(2, 6, 7), 4);
  const char* up = R"({"class_name": "UpSampling2D", "config": {"size": 2}})";  // one dispatch each
  // A chain: the second reads the first's fresh output, so one barrier between them.
  Session chain(ctx, chain_of({layer(up), layer(up)}));
  chain.set_input(input);
  CHECK(chain.run().barriers == 1);
  // Both read the input: no barrier at all.
  Model fan;
  fan.nodes.push_back({layer(up), {Ref::input()}});
  fan.nodes.push_back({layer(up), {Ref::input()}});
  REQUIRE(fan.outputs() == std::vector<size_t>{0, 1});
  Session two(ctx, std::move(fan));
  two.set_input(input);
  const RunStats r = two.run();
  CHECK(r.dispatches == 2);
  CHECK(r.barriers == 0);
  CHECK(two.output(0).data == two.output(1).data);
  CHECK(test::max_relative_error(two.output(1), two.layer(1).reference(input)) == 0.0);
  test::require_validation_clean(ctx);
}

TEST_CASE("a layer that does not fit says why, the layers after it wait, the rest runs", "[session]") {
  vk::Context& ctx = test::gpu();
  const Tensor input = test::random_tensor(image(3, 10, 10), 5);
  Session s(ctx, small_chain(input.shape));
  s.set_input(input);
  s.run();
  s.insert_node(1, layer(R"({"class_name": "Conv3D", "config": {"name": "v", "filters": 2, "kernel_size": 3}})"),
                Ref::node(0));
  CHECK_THAT(s.node(1).error, Catch::Contains("Conv3D 'v'") && Catch::Contains("input is 2D, the layer is 3D"));
  for (size_t i = 2; i < 5; ++i) {
    CHECK(s.node(i).blocked_by == std::optional<size_t>(1));
    CHECK_FALSE(s.node(i).fits());
  }
  CHECK_THROWS_WITH(s.require_fit(), Catch::Contains("Conv3D 'v'"));
  CHECK(s.run().nodes_run == 0);  // node 0 is current; the rest cannot run
  CHECK(s.has_output(0));
  CHECK_FALSE(s.has_output(2));
  s.remove_node(1);  // fixed: everything after it comes back
  CHECK(s.run().nodes_run == 3);
  require_outputs_match(s, input);
  // Weights that do not fit what a node reads make it a misfit too, instead of a crash.
  s.replace_layer(1, layer(R"({"class_name": "Conv2D", "config": {"name": "c", "filters": 4, "kernel_size": 5}})"));
  CHECK_THAT(s.node(1).error, Catch::Contains("weights: none given"));
  test::require_validation_clean(ctx);
}

TEST_CASE("a run that fails keeps the last good outputs, and the nodes stay stale", "[session][reliability]") {
  struct Disarm {
    ~Disarm() { vk::fault::disarm(); }
  } disarm;
  vk::Context& ctx = test::gpu();
  const Tensor input = test::random_tensor(image(3, 9, 9), 6);
  Session s(ctx, small_chain(input.shape));
  s.set_input(input);
  s.run();
  const Tensor before = s.output(3);
  s.replace_layer(3, layer(R"({"class_name": "Cropping2D", "config": {"name": "k", "cropping": 3}})"));
  vk::fault::arm(vk::fault::Kind::OutOfDeviceMemory, 0);
  CHECK_THROWS_WITH(s.run(), Catch::Contains("Cropping2D 'k'"));
  vk::fault::disarm();
  CHECK(s.output(3).data == before.data);
  CHECK(s.node(3).stale);
  CHECK(s.run().nodes_run == 1);
  require_outputs_match(s, input);
  test::require_validation_clean(ctx);
}

TEST_CASE("tensors beyond the device are refused before anything is allocated", "[session][reliability]") {
  vk::Context& ctx = test::gpu();
  const uint64_t limit = ctx.info().max_storage_buffer_range;
  // An upsampling whose output is larger than one storage buffer may be.
  const int64_t side = 64, factor = static_cast<int64_t>(std::sqrt(static_cast<double>(limit) / (4.0 * side * side))) + 1;
  Session s(ctx, chain_of({layer(fmt::format(R"({{"class_name": "UpSampling2D", "config": {{"name": "big", "size": {}}}}})",
                                             factor).c_str())}));
  s.set_input(test::random_tensor(image(1, side, side), 7));
  CHECK_THROWS_WITH(s.run(), Catch::Contains("UpSampling2D 'big'") && Catch::Contains("storage buffer"));
  CHECK_FALSE(s.has_output(0));
}
