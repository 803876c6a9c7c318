#pragma once
// Records a run of compute dispatches into one command buffer, submits it once and times
// each dispatch with GPU timestamps. Reads like the work: dispatch, dispatch, submit.
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "vk/buffer.h"
#include "vk/context.h"

namespace convscope::vk {

struct GroupCount {
  uint32_t x = 1, y = 1, z = 1;
};

// Spreads `groups` workgroups over a grid whose every dimension stays within `max`
// (maxComputeWorkGroupCount is only 65535 on many GPUs). The grid may hold a few more
// groups than asked; shaders recover the linear index (shaders/common.glsl) and skip extras.
GroupCount fold_groups(uint64_t groups, const std::array<uint32_t, 3>& max);

struct DispatchTiming {
  std::string label;
  double ms = 0;
};

class Sequence {
 public:
  explicit Sequence(Context& ctx);
  ~Sequence();
  Sequence(const Sequence&) = delete;
  Sequence& operator=(const Sequence&) = delete;

  Context& context() const { return ctx_; }

  // Binds `buffers` to bindings 0..n-1, pushes `push` and runs `groups` workgroups (folded).
  // A barrier before it orders it after every earlier dispatch of the sequence, unless
  // next_reads_nothing_pending() said it needs none.
  template <typename Push>
  void dispatch(const ComputePipeline& pipeline, std::initializer_list<const Buffer*> buffers, const Push& push,
                uint64_t groups, std::string label) {
    static_assert(std::is_trivially_copyable_v<Push> && sizeof(Push) % 4 == 0);
    record(pipeline, buffers, &push, sizeof(Push), groups, std::move(label));
  }
  // One invocation per element: groups = ceil(elements / workgroup width).
  template <typename Push>
  void dispatch_elements(const ComputePipeline& pipeline, std::initializer_list<const Buffer*> buffers,
                         const Push& push, uint64_t elements, std::string label) {
    const uint64_t width = pipeline.workgroup_size();
    dispatch(pipeline, buffers, push, (elements + width - 1) / width, std::move(label));
  }

  // Records other commands (copies into images, say) after a barrier that makes every earlier
  // dispatch's writes visible to transfers and shaders.
  void commands(const std::function<void(VkCommandBuffer)>& record);
  // The same, timed like a dispatch (a buffer copy measured for a ceiling, say): its GPU time
  // takes its place among timings() under `label`.
  void timed_commands(const std::function<void(VkCommandBuffer)>& record, std::string label);
  // Dispatches and timed commands recorded so far: timings()[i] belongs to the i-th.
  size_t dispatch_count() const { return labels_.size(); }

  // The next dispatch reads and writes nothing that a dispatch since the last barrier wrote
  // (a graph node whose inputs are all older), so it may run without a barrier before it.
  void next_reads_nothing_pending() { skip_next_barrier_ = true; }
  // Barriers recorded so far between the work of this sequence: a write made before the
  // count last changed is visible to what is recorded now.
  size_t barrier_count() const { return barriers_; }

  // A device buffer holding `values` (weights, biases), kept alive until the sequence goes.
  const Buffer& constant(std::span<const float> values);
  // A device buffer for intermediate results of `bytes`, kept alive likewise.
  const Buffer& scratch(VkDeviceSize bytes);

  // Submits everything recorded and waits; results are then readable from the host.
  void submit();
  // Per-dispatch GPU time after submit(); empty when the queue cannot write timestamps.
  const std::vector<DispatchTiming>& timings() const { return timings_; }

 private:
  void record(const ComputePipeline& pipeline, std::initializer_list<const Buffer*> buffers, const void* push,
              size_t push_bytes, uint64_t groups, std::string label);
  VkDescriptorSet allocate_set(VkDescriptorSetLayout layout);
  uint32_t next_query();
  // A timestamp at `stage`, when the queue can write them; submit() pairs them up per label.
  void write_timestamp(VkPipelineStageFlagBits stage);

  Context& ctx_;
  VkCommandBuffer cmd_ = VK_NULL_HANDLE;
  std::vector<UniqueDescriptorPool> descriptor_pools_;
  uint32_t sets_in_last_pool_ = 0;
  std::vector<UniqueQueryPool> query_pools_;
  uint32_t queries_in_last_pool_ = 0;
  std::vector<std::unique_ptr<Buffer>> owned_;
  std::vector<std::string> labels_;
  std::vector<DispatchTiming> timings_;
  bool submitted_ = false;
  bool writes_pending_ = false;  // a dispatch or command wrote since the last barrier
  bool skip_next_barrier_ = false;
  size_t barriers_ = 0;
  // A barrier making compute writes visible to `dst_access` at `dst_stage`.
  void barrier(VkAccessFlags dst_access, VkPipelineStageFlags dst_stage);
};

}  // namespace convscope::vk
