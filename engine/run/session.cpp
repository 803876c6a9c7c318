#include "run/session.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <set>

#include "core/error.h"
#include "vk/check.h"

namespace convscope {

namespace {

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// Node refs at or above `from` move by `delta` (an insertion or removal at `from`).
void shift_refs(std::vector<Node>& nodes, size_t from, int delta) {
  for (Node& n : nodes)
    for (Ref& r : n.inputs)
      if (r.is_node() && r.index >= from) r.index = static_cast<size_t>(static_cast<long long>(r.index) + delta);
}

}  // namespace

NodeTiming default_timing(const vk::Context& ctx) {
  return ctx.info().timestamps ? NodeTiming::GpuTimestamps : NodeTiming::Host;
}

Session::Session(vk::Context& ctx, Model model, NodeTiming timing)
    : ctx_(&ctx), model_(std::move(model)), timing_(timing), inputs_(model_.input_count),
      device_inputs_(model_.input_count), slots_(model_.nodes.size()) {
  if (timing_ == NodeTiming::GpuTimestamps && !ctx.info().timestamps)
    throw Error(fmt::format("{} cannot write GPU timestamps; time nodes on the host instead", ctx.info().name));
}

vk::Context& Session::ctx() const {
  if (!ctx_) throw Error("internal: the session's device was released");
  return *ctx_;
}

// ---- edits ----

void Session::set_input(Tensor input, size_t which) {
  // The model reads its input in one Keras axis order, whoever built the tensor.
  if (const auto f = model_.spatial_input_format(); which == 0 && f) input.shape.format = *f;
  inputs_.at(which) = std::move(input);
  device_inputs_[which].reset();
  shapes_current_ = false;
  for (size_t i = 0; i < model_.nodes.size(); ++i)
    for (const Ref& r : model_.nodes[i].inputs)
      if (r == Ref::input(which)) mark_downstream(i);
}

void Session::replace_layer(size_t node, std::shared_ptr<Layer> layer) {
  model_.nodes.at(node).layer = std::move(layer);
  shapes_current_ = false;
  mark_downstream(node);
}

void Session::insert_node(size_t position, std::shared_ptr<Layer> layer, Ref source) {
  if (position > model_.nodes.size()) throw Error("internal: node inserted past the end");
  const std::vector<size_t> readers = source.is_node() ? model_.consumers(source.index) : [&] {
    std::vector<size_t> r;
    for (size_t i = 0; i < model_.nodes.size(); ++i)
      if (std::find(model_.nodes[i].inputs.begin(), model_.nodes[i].inputs.end(), source) != model_.nodes[i].inputs.end())
        r.push_back(i);
    return r;
  }();
  shift_refs(model_.nodes, position, +1);
  // A node inserted after a declared output becomes that output, as it does for its readers.
  for (size_t& o : model_.output_nodes)
    if (source.is_node() && o == source.index) o = position;
    else if (o >= position) ++o;
  if (source.is_node() && source.index >= position) ++source.index;
  model_.nodes.insert(model_.nodes.begin() + static_cast<std::ptrdiff_t>(position), Node{std::move(layer), {source}});
  slots_.insert(slots_.begin() + static_cast<std::ptrdiff_t>(position), Slot{});
  for (size_t r : readers) {
    Node& reader = model_.nodes[r >= position ? r + 1 : r];
    std::replace(reader.inputs.begin(), reader.inputs.end(), source, Ref::node(position));
  }
  shapes_current_ = false;
  mark_downstream(position);
}

void Session::remove_node(size_t node) {
  if (node >= model_.nodes.size()) throw Error("internal: removing a node that does not exist");
  const Ref replacement = model_.nodes[node].inputs.empty() ? Ref::input() : model_.nodes[node].inputs.front();
  const std::vector<size_t> readers = model_.consumers(node);
  for (size_t r : readers) std::replace(model_.nodes[r].inputs.begin(), model_.nodes[r].inputs.end(), Ref::node(node), replacement);
  model_.nodes.erase(model_.nodes.begin() + static_cast<std::ptrdiff_t>(node));
  // A removed declared output hands over to what it read; one that read the input is gone.
  std::vector<size_t> outputs;
  for (size_t o : model_.output_nodes) {
    if (o == node && !replacement.is_node()) continue;
    const size_t at = o == node ? replacement.index : o;
    outputs.push_back(at > node ? at - 1 : at);
  }
  model_.output_nodes = std::move(outputs);
  slots_.erase(slots_.begin() + static_cast<std::ptrdiff_t>(node));
  shift_refs(model_.nodes, node + 1, -1);
  shapes_current_ = false;
  for (size_t r : readers) mark_downstream(r > node ? r - 1 : r);
}

void Session::set_weights(size_t node, std::vector<NdArray> weights) {
  const auto in = input_shapes(node);
  Layer& layer = *model_.nodes.at(node).layer;
  if (!in) {
    const NodeState& s = this->node(node);
    throw UserError(fmt::format("{}: weights: the shape it reads is not known while {} does not fit", layer.label(),
                                s.blocked_by ? model_.layer(*s.blocked_by).label() : "the layer before it"));
  }
  layer.set_weights(in->front(), std::move(weights));
  shapes_current_ = false;  // weights that did not fit made the node a misfit
  // A shared layer's other nodes see the new weights too.
  for (size_t i = 0; i < model_.nodes.size(); ++i)
    if (model_.nodes[i].layer.get() == &layer) mark_downstream(i);
}

void Session::mark_stale(size_t node) { mark_downstream(node); }

void Session::mark_all_stale() {
  for (Slot& s : slots_) s.state.stale = true;
}

void Session::mark_downstream(size_t node) {
  std::deque<size_t> todo{node};
  std::set<size_t> seen;
  while (!todo.empty()) {
    const size_t i = todo.front();
    todo.pop_front();
    if (!seen.insert(i).second) continue;
    slots_.at(i).state.stale = true;
    for (size_t c : model_.consumers(i)) todo.push_back(c);
  }
}

// ---- shapes ----

void Session::refresh_shapes() const {
  if (shapes_current_) return;
  std::vector<Shape> in;
  for (const Tensor& t : inputs_) in.push_back(t.shape);
  // A node whose weights do not fit what it reads cannot run: a misfit like a shape error.
  const auto shapes = node_shapes(model_, in, [this](size_t i, std::span<const Shape> reads) {
    model_.layer(i).require_weights_fit(reads.front());
  });
  for (size_t i = 0; i < shapes.size(); ++i) {
    NodeState& s = slots_[i].state;
    s.shape = shapes[i].shape;
    s.error = shapes[i].error;
    s.blocked_by = shapes[i].blocked_by;
  }
  shapes_current_ = true;
}

const NodeState& Session::node(size_t i) const {
  refresh_shapes();
  return slots_.at(i).state;
}

std::vector<NodeState> Session::nodes() const {
  refresh_shapes();
  std::vector<NodeState> states;
  for (const Slot& s : slots_) states.push_back(s.state);
  return states;
}

std::optional<std::vector<Shape>> Session::input_shapes(size_t i) const {
  refresh_shapes();
  std::vector<Shape> out;
  for (const Ref& r : model_.nodes.at(i).inputs) {
    if (!r.is_node()) {
      out.push_back(inputs_[r.index].shape);
    } else if (slots_[r.index].state.fits()) {
      out.push_back(*slots_[r.index].state.shape);
    } else {
      return std::nullopt;
    }
  }
  return out;
}

void Session::require_fit() const {
  refresh_shapes();
  for (size_t i : model_.topological_order())
    if (!slots_[i].state.error.empty()) throw UserError(slots_[i].state.error);
}

std::vector<PlannedTensor> Session::planned_tensors() const {
  refresh_shapes();
  std::vector<PlannedTensor> planned;
  for (size_t k = 0; k < inputs_.size(); ++k)
    planned.push_back({inputs_[k].shape, inputs_.size() == 1 ? "the input" : fmt::format("input {}", k)});
  for (size_t i = 0; i < slots_.size(); ++i)
    if (slots_[i].state.fits()) planned.push_back({*slots_[i].state.shape, model_.layer(i).label()});
  return planned;
}

// ---- running ----

std::vector<const DeviceTensor*> Session::node_inputs(size_t node, const std::vector<size_t>& work,
                                                      const std::vector<DeviceTensor>& fresh) const {
  std::vector<const DeviceTensor*> out;
  for (const Ref& r : model_.nodes[node].inputs) {
    if (!r.is_node()) {
      out.push_back(&*device_inputs_[r.index]);
      continue;
    }
    const auto at = std::find(work.begin(), work.end(), r.index);
    out.push_back(at != work.end() ? &fresh[static_cast<size_t>(at - work.begin())] : &*slots_[r.index].output);
  }
  return out;
}

RunStats Session::run(const NodeHook& after_node) {
  const auto t0 = std::chrono::steady_clock::now();
  refresh_shapes();
  std::vector<size_t> work;
  for (size_t i : model_.topological_order())
    if (slots_[i].state.stale && slots_[i].state.fits()) work.push_back(i);
  // Everything checked before anything is allocated, so a refusal leaves nothing half done.
  check_fits_device(ctx(), planned_tensors());
  for (size_t k = 0; k < inputs_.size(); ++k)
    if (!device_inputs_[k]) device_inputs_[k] = to_device(ctx(), inputs_[k], inputs_.size() == 1 ? "input" : "an input");
  std::vector<DeviceTensor> fresh;
  fresh.reserve(work.size());
  for (size_t i : work) fresh.push_back(allocate(ctx(), *slots_[i].state.shape, model_.layer(i).label()));

  RunStats stats = work.empty() ? RunStats{} : record_and_submit(work, fresh, after_node);
  // The run worked: its outputs replace the old ones, and misfits keep none.
  for (size_t k = 0; k < work.size(); ++k) {
    Slot& s = slots_[work[k]];
    s.output = std::move(fresh[k]);
    s.state.stale = false;
  }
  for (Slot& s : slots_)
    if (!s.state.fits()) s.output.reset();
  stats.nodes_run = work.size();
  stats.wall_ms = ms_since(t0);
  last_run_ = stats;
  return stats;
}

RunStats Session::record_and_submit(const std::vector<size_t>& work, std::vector<DeviceTensor>& fresh,
                                    const NodeHook& after_node) {
  RunStats stats;
  std::vector<double> ms(work.size(), 0.0);
  std::vector<size_t> dispatches(work.size(), 0);
  auto record_node = [&](vk::Sequence& seq, size_t k) {
    const size_t i = work[k];
    const auto inputs = node_inputs(i, work, fresh);
    const size_t first = seq.dispatch_count();
    vk::naming_failures(model_.layer(i).label(), [&] { model_.layer(i).node_record(seq, inputs, fresh[k]); });
    dispatches[k] = seq.dispatch_count() - first;
    return first;
  };

  if (timing_ == NodeTiming::Host) {
    for (size_t k = 0; k < work.size(); ++k) {
      vk::Sequence alone(ctx());
      record_node(alone, k);
      const auto t0 = std::chrono::steady_clock::now();
      alone.submit();
      ms[k] = ms_since(t0);
      stats.barriers += alone.barrier_count();
      ++stats.submissions;
    }
    if (after_node) {
      vk::Sequence tail(ctx());
      for (size_t k = 0; k < work.size(); ++k) after_node(work[k], tail, fresh[k]);
      tail.submit();
      ++stats.submissions;
    }
  } else {
    vk::Sequence seq(ctx());
    // The barrier count after each node's last write in this sequence: a node reading it
    // needs a barrier only while the count has not moved on since.
    std::vector<std::optional<size_t>> written_at(model_.nodes.size());
    std::vector<size_t> first(work.size());
    for (size_t k = 0; k < work.size(); ++k) {
      bool pending = false;
      for (const Ref& r : model_.nodes[work[k]].inputs)
        pending |= r.is_node() && written_at[r.index] == seq.barrier_count();
      if (!pending) seq.next_reads_nothing_pending();
      first[k] = record_node(seq, k);
      written_at[work[k]] = seq.barrier_count();
      if (after_node) after_node(work[k], seq, fresh[k]);
    }
    seq.submit();
    stats.barriers = seq.barrier_count();
    stats.submissions = 1;
    const auto& t = seq.timings();
    if (timing_ == NodeTiming::GpuTimestamps && !t.empty())
      for (size_t k = 0; k < work.size(); ++k)
        for (size_t d = first[k]; d < first[k] + dispatches[k]; ++d) ms[k] += t[d].ms;
  }
  for (size_t k = 0; k < work.size(); ++k) {
    slots_[work[k]].state.ms = ms[k];
    slots_[work[k]].state.dispatches = dispatches[k];
    stats.dispatches += dispatches[k];
    stats.node_ms += ms[k];
  }
  return stats;
}

// ---- results ----

bool Session::has_output(size_t node) const { return slots_.at(node).output.has_value(); }

const DeviceTensor& Session::device_output(size_t node) const {
  if (!has_output(node))
    throw Error(fmt::format("internal: {} has no output (it has not run)", model_.layer(node).label()));
  return *slots_[node].output;
}

Tensor Session::output(size_t node) const { return to_host(ctx(), device_output(node)); }

std::vector<Tensor> Session::outputs() const {
  std::vector<Tensor> out;
  for (size_t i = 0; i < slots_.size(); ++i) out.push_back(output(i));
  return out;
}

float Session::read_value(size_t node, size_t index) const {
  return convscope::read_value(ctx(), device_output(node), index);
}

// ---- devices ----

void Session::release_device() {
  for (Slot& s : slots_) s.output.reset();
  for (auto& d : device_inputs_) d.reset();
  ctx_ = nullptr;
}

void Session::attach_device(vk::Context& ctx) {
  ctx_ = &ctx;
  for (auto& d : device_inputs_) d.reset();
  for (Slot& s : slots_) s.output.reset();
  mark_all_stale();
}

// ---- one shot ----

RunResult run_model(vk::Context& ctx, Model model, const Tensor& input, NodeTiming timing) {
  Session session(ctx, std::move(model), timing);
  session.set_input(input);
  session.require_fit();
  session.run();
  RunResult r;
  r.outputs = session.outputs();
  for (const NodeState& s : session.nodes()) {
    r.shapes.push_back(*s.shape);
    r.node_ms.push_back(s.ms);
  }
  return r;
}

}  // namespace convscope
