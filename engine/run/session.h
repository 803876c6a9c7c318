#pragma once
// The one executor of convscope: a model on a device, in the spirit of ncnn's Net/Extractor
// and Kompute's Sequence. The session owns the device tensors of the input and of every
// node's output. Edits (a new input, a node replaced, inserted or removed, new weights) mark
// the node and everything downstream stale; run() recomputes the stale nodes that fit, in one
// submission, with a barrier only where a node reads an output written since the last one.
// The CLI runs a session once; the benchmark times one; the app keeps one and edits it.
//
// A node whose layer does not fit what it reads (or whose weights do not fit) is a misfit:
// node(i).error says why, the nodes downstream wait on it (node(j).blocked_by), and the rest
// of the graph still runs. run() is all or nothing: outputs are replaced only when the whole
// run has worked, so a failure leaves the last good outputs in place.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/model.h"
#include "model/shapes.h"
#include "vk/context.h"
#include "vk/device_tensor.h"
#include "vk/sequence.h"

namespace convscope {

// How node times are measured; chosen by the caller, since neither fits every case.
enum class NodeTiming {
  None,
  // GPU timestamps around each node's dispatches, all nodes in one submission. Needs a
  // queue that writes them (DeviceInfo::timestamps).
  GpuTimestamps,
  // Each node submitted on its own and timed by the host clock: exact on a CPU device, which
  // runs the work on the host (and whose timestamps lavapipe defers while a framebuffer is
  // bound); on a GPU it adds a submission per node.
  Host,
};

// The timing the device supports best: GPU timestamps, else host-timed.
NodeTiming default_timing(const vk::Context& ctx);

struct NodeState {
  std::optional<Shape> shape;  // the output's; nullopt for a misfit or a node waiting on one
  std::string error;           // why this node does not fit (empty when it does)
  std::optional<size_t> blocked_by;  // the misfit upstream this node waits on
  bool stale = true;           // its output is missing or older than the graph
  double ms = 0;               // time of its last run (see NodeTiming)
  size_t dispatches = 0;       // dispatches and timed copies of its last run
  bool fits() const { return shape.has_value(); }
};

struct RunStats {
  size_t nodes_run = 0, dispatches = 0, barriers = 0, submissions = 0;
  double node_ms = 0;  // the nodes' own time, summed (see NodeTiming)
  double wall_ms = 0;  // record, submit and wait, as the caller waited for it
};

// Called after node `node` is recorded, with its output, to record the caller's own work
// on it (the app's mosaics) into the same sequence.
using NodeHook = std::function<void(size_t node, vk::Sequence& seq, const DeviceTensor& output)>;

class Session {
 public:
  Session(vk::Context& ctx, Model model, NodeTiming timing = NodeTiming::None);

  const Model& model() const { return model_; }
  size_t size() const { return model_.nodes.size(); }
  const Layer& layer(size_t node) const { return *model_.nodes.at(node).layer; }
  NodeTiming timing() const { return timing_; }

  // ---- edits: each marks what it changes, and everything downstream, stale ----
  void set_input(Tensor input, size_t which = 0);
  // Node `node` computes with `layer` from now on (same inputs).
  void replace_layer(size_t node, std::shared_ptr<Layer> layer);
  // A new node at `position` (later nodes move up one) reading `source`; the nodes that read
  // `source` read the new node instead: insertion into a chain. `source` refers to the graph
  // as it is before the insertion.
  void insert_node(size_t position, std::shared_ptr<Layer> layer, Ref source);
  // Removes node `node`; what read it reads its first input instead.
  void remove_node(size_t node);
  // Checked against the shape the node reads; UserError (naming the layer) when it does not
  // fit, or when that shape is not known (the node is a misfit or waits on one).
  void set_weights(size_t node, std::vector<NdArray> weights);
  void mark_stale(size_t node);
  void mark_all_stale();

  // ---- shapes after the latest edit ----
  const NodeState& node(size_t i) const;
  std::vector<NodeState> nodes() const;
  // What node `i` reads, or nullopt when a node before it does not fit.
  std::optional<std::vector<Shape>> input_shapes(size_t i) const;
  const Tensor& input(size_t which = 0) const { return inputs_.at(which); }
  // UserError with the first misfit's message (topological order), before any work is done.
  void require_fit() const;
  // The tensors a run would hold: the inputs and every output that fits, for the device check.
  std::vector<PlannedTensor> planned_tensors() const;

  // ---- running ----
  // Recomputes the stale nodes that fit, calling `after_node` for each. UserError when the
  // device cannot hold the tensors (nothing is allocated then), vk errors when it fails.
  RunStats run(const NodeHook& after_node = {});
  const RunStats& last_run() const { return last_run_; }

  // ---- results (of nodes that have run: has_output) ----
  bool has_output(size_t node) const;
  const DeviceTensor& device_output(size_t node) const;
  Tensor output(size_t node) const;
  std::vector<Tensor> outputs() const;  // every node's, in node order
  // One value of node `node`'s output at canonical flat index `index`.
  float read_value(size_t node, size_t index) const;

  // ---- devices ----
  // Drops everything on the device (after it was lost); attach() moves to a new one and
  // marks everything stale.
  void release_device();
  void attach_device(vk::Context& ctx);

 private:
  struct Slot {
    NodeState state;
    std::optional<DeviceTensor> output;
  };
  void refresh_shapes() const;
  void mark_downstream(size_t node);
  RunStats record_and_submit(const std::vector<size_t>& work, std::vector<DeviceTensor>& fresh,
                             const NodeHook& after_node);
  std::vector<const DeviceTensor*> node_inputs(size_t node, const std::vector<size_t>& work,
                                               const std::vector<DeviceTensor>& fresh) const;
  vk::Context& ctx() const;

  vk::Context* ctx_;  // a pointer: a lost device is replaced under the same session
  Model model_;
  NodeTiming timing_;
  std::vector<Tensor> inputs_;
  std::vector<std::optional<DeviceTensor>> device_inputs_;  // uploaded at the next run
  mutable std::vector<Slot> slots_;
  mutable bool shapes_current_ = false;
  RunStats last_run_;
};

// The one-shot form: every node of `model` on `input`, every output read back. UserError for
// a misfit before the device is touched.
struct RunResult {
  std::vector<Shape> shapes;    // per node
  std::vector<Tensor> outputs;  // per node
  std::vector<double> node_ms;  // per node, when timed
};
RunResult run_model(vk::Context& ctx, Model model, const Tensor& input, NodeTiming timing = NodeTiming::None);

}  // namespace convscope
