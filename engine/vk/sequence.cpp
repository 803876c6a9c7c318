#include "vk/sequence.h"

#include <fmt/format.h>

#include "vk/check.h"

namespace convscope::vk {

namespace {
constexpr uint32_t kSetsPerPool = 64;
constexpr uint32_t kMaxBindings = 8;
constexpr uint32_t kQueriesPerPool = 128;  // two per dispatch
}  // namespace

GroupCount fold_groups(uint64_t groups, const std::array<uint32_t, 3>& max) {
  GroupCount g;
  if (groups == 0) return g;
  auto ceil_div = [](uint64_t a, uint64_t b) { return (a + b - 1) / b; };
  g.x = static_cast<uint32_t>(std::min<uint64_t>(groups, max[0]));
  const uint64_t rows = ceil_div(groups, g.x);
  g.y = static_cast<uint32_t>(std::min<uint64_t>(rows, max[1]));
  const uint64_t layers = ceil_div(rows, g.y);
  if (layers > max[2])
    throw UserError(fmt::format("a dispatch of {} workgroups exceeds the device's grid of {}x{}x{}", groups, max[0],
                                max[1], max[2]));
  g.z = static_cast<uint32_t>(layers);
  return g;
}

Sequence::Sequence(Context& ctx) : ctx_(ctx) {
  VkCommandBufferAllocateInfo alloc{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
  alloc.commandPool = ctx.command_pool();
  alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  alloc.commandBufferCount = 1;
  check(vkAllocateCommandBuffers(ctx.device(), &alloc, &cmd_), "allocating a command buffer");
  VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  check(vkBeginCommandBuffer(cmd_, &begin), "recording commands");
}

Sequence::~Sequence() {
  // A sequence dropped after a failed submit may still be executing: wait before freeing.
  if (!submitted_) vkEndCommandBuffer(cmd_);
  vkQueueWaitIdle(ctx_.queue());
  vkFreeCommandBuffers(ctx_.device(), ctx_.command_pool(), 1, &cmd_);
}

VkDescriptorSet Sequence::allocate_set(VkDescriptorSetLayout layout) {
  if (descriptor_pools_.empty() || sets_in_last_pool_ == kSetsPerPool) {
    VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, kSetsPerPool * kMaxBindings};
    VkDescriptorPoolCreateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    info.maxSets = kSetsPerPool;
    info.poolSizeCount = 1;
    info.pPoolSizes = &size;
    VkDescriptorPool pool;
    check(vkCreateDescriptorPool(ctx_.device(), &info, nullptr, &pool), "creating a descriptor pool");
    descriptor_pools_.emplace_back(ctx_.device(), pool);
    sets_in_last_pool_ = 0;
  }
  VkDescriptorSetAllocateInfo alloc{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
  alloc.descriptorPool = descriptor_pools_.back().get();
  alloc.descriptorSetCount = 1;
  alloc.pSetLayouts = &layout;
  VkDescriptorSet set;
  check(vkAllocateDescriptorSets(ctx_.device(), &alloc, &set), "allocating a descriptor set");
  ++sets_in_last_pool_;
  return set;
}

uint32_t Sequence::next_query() {
  if (query_pools_.empty() || queries_in_last_pool_ == kQueriesPerPool) {
    VkQueryPoolCreateInfo info{VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO};
    info.queryType = VK_QUERY_TYPE_TIMESTAMP;
    info.queryCount = kQueriesPerPool;
    VkQueryPool pool;
    check(vkCreateQueryPool(ctx_.device(), &info, nullptr, &pool), "creating a timestamp query pool");
    query_pools_.emplace_back(ctx_.device(), pool);
    vkCmdResetQueryPool(cmd_, pool, 0, kQueriesPerPool);
    queries_in_last_pool_ = 0;
  }
  return queries_in_last_pool_++;
}

void Sequence::record(const ComputePipeline& pipeline, std::initializer_list<const Buffer*> buffers, const void* push,
                      size_t push_bytes, uint64_t groups, std::string label) {
  if (submitted_) throw Error("internal: dispatch recorded into a sequence already submitted");
  const ShaderInterface& iface = pipeline.interface();
  if (push_bytes != iface.push_constant_bytes || buffers.size() != iface.storage_buffers || buffers.size() > kMaxBindings)
    throw Error(fmt::format("internal: shader {} takes {} buffers and {} push-constant bytes, dispatch gave {} and {}",
                            pipeline.name(), iface.storage_buffers, iface.push_constant_bytes, buffers.size(),
                            push_bytes));
  if (groups == 0) return;
  const GroupCount grid = fold_groups(groups, ctx_.max_workgroup_count());

  const VkDescriptorSet set = allocate_set(pipeline.set_layout());
  std::vector<VkDescriptorBufferInfo> infos;
  for (const Buffer* b : buffers) infos.push_back({b->get(), 0, VK_WHOLE_SIZE});
  std::vector<VkWriteDescriptorSet> writes(infos.size());
  for (uint32_t i = 0; i < writes.size(); ++i) {
    writes[i] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
    writes[i].dstSet = set;
    writes[i].dstBinding = i;
    writes[i].descriptorCount = 1;
    writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
    writes[i].pBufferInfo = &infos[i];
  }
  vkUpdateDescriptorSets(ctx_.device(), static_cast<uint32_t>(writes.size()), writes.data(), 0, nullptr);

  // Each dispatch may read (or overwrite) what the previous ones wrote, unless told otherwise.
  if (writes_pending_ && !std::exchange(skip_next_barrier_, false))
    barrier(VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT);
  skip_next_barrier_ = false;
  writes_pending_ = true;
  write_timestamp(VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT);
  vkCmdBindPipeline(cmd_, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.get());
  vkCmdBindDescriptorSets(cmd_, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.layout(), 0, 1, &set, 0, nullptr);
  if (push_bytes)
    vkCmdPushConstants(cmd_, pipeline.layout(), VK_SHADER_STAGE_COMPUTE_BIT, 0, static_cast<uint32_t>(push_bytes), push);
  vkCmdDispatch(cmd_, grid.x, grid.y, grid.z);
  write_timestamp(VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT);
  labels_.push_back(std::move(label));
}

void Sequence::barrier(VkAccessFlags dst_access, VkPipelineStageFlags dst_stage) {
  VkMemoryBarrier b{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
  b.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT;
  b.dstAccessMask = dst_access;
  vkCmdPipelineBarrier(cmd_, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, dst_stage, 0, 1, &b, 0, nullptr, 0, nullptr);
  writes_pending_ = false;
  ++barriers_;
}

void Sequence::write_timestamp(VkPipelineStageFlagBits stage) {
  if (!ctx_.info().timestamps) return;
  const uint32_t q = next_query();  // may open a new pool, so read back() after it
  vkCmdWriteTimestamp(cmd_, stage, query_pools_.back().get(), q);
}

void Sequence::commands(const std::function<void(VkCommandBuffer)>& record) {
  if (submitted_) throw Error("internal: commands recorded into a sequence already submitted");
  // Transfers may read (or overwrite) what dispatches wrote; commands may write, too.
  barrier(VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT | VK_ACCESS_SHADER_READ_BIT,
          VK_PIPELINE_STAGE_TRANSFER_BIT | VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT);
  skip_next_barrier_ = false;
  record(cmd_);
  writes_pending_ = true;
}

void Sequence::timed_commands(const std::function<void(VkCommandBuffer)>& record, std::string label) {
  commands([&](VkCommandBuffer cmd) {
    write_timestamp(VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT);
    record(cmd);
    write_timestamp(VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT);
    // Like a dispatch's output, what it wrote (copies, fills) may be read by later
    // dispatches or by the host; the other barriers cover only shader writes.
    VkMemoryBarrier barrier{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    barrier.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
    barrier.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT |
                            VK_ACCESS_HOST_READ_BIT;
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT,
                         VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT | VK_PIPELINE_STAGE_HOST_BIT,
                         0, 1, &barrier, 0, nullptr, 0, nullptr);
  });
  labels_.push_back(std::move(label));
}

const Buffer& Sequence::constant(std::span<const float> values) {
  owned_.push_back(std::make_unique<Buffer>(ctx_, values.size_bytes(), MemoryUse::Device));
  upload(ctx_, *owned_.back(), values);  // finished before this sequence is submitted
  return *owned_.back();
}

const Buffer& Sequence::scratch(VkDeviceSize bytes) {
  owned_.push_back(std::make_unique<Buffer>(ctx_, bytes, MemoryUse::Device));
  return *owned_.back();
}

void Sequence::submit() {
  if (submitted_) throw Error("internal: sequence submitted twice");
  // Results are read by the host or copied out next.
  VkMemoryBarrier barrier{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
  barrier.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT;
  barrier.dstAccessMask = VK_ACCESS_HOST_READ_BIT | VK_ACCESS_TRANSFER_READ_BIT;
  vkCmdPipelineBarrier(cmd_, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_PIPELINE_STAGE_HOST_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                       0, 1, &barrier, 0, nullptr, 0, nullptr);
  check(vkEndCommandBuffer(cmd_), "recording commands");
  submitted_ = true;

  ctx_.submit_and_wait(cmd_);

  if (!ctx_.info().timestamps) return;
  const double ns_per_tick = ctx_.info().timestamp_period_ns;
  for (size_t i = 0; i < labels_.size(); ++i) {
    const uint32_t first = static_cast<uint32_t>(2 * i);
    uint64_t ticks[2];
    check(vkGetQueryPoolResults(ctx_.device(), query_pools_[first / kQueriesPerPool].get(), first % kQueriesPerPool, 2,
                                sizeof(ticks), ticks, sizeof(uint64_t), VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT),
          "reading timestamps");
    timings_.push_back({labels_[i], static_cast<double>(ticks[1] - ticks[0]) * ns_per_tick * 1e-6});
  }
}

}  // namespace convscope::vk
