#include "layers/remap/remap_copies.h"

#include <algorithm>

namespace convscope {

RowCopies plan_row_copies(const Shape& in, const Shape& out, const std::array<int64_t, 3>& offset,
                          VkDeviceSize bytes) {
  RowCopies plan;
  // Output columns whose source column exists: [x_lo, x_hi).
  const int64_t x_lo = std::clamp<int64_t>(-offset[0], 0, out.w), x_hi = std::clamp<int64_t>(in.w - offset[0], 0, out.w);
  VkDeviceSize written = 0;  // output bytes planned so far, copies and zeros
  const auto zeros_up_to = [&](VkDeviceSize end) {
    if (end > written) plan.zeros.emplace_back(written, end - written);
    written = std::max(written, end);
  };
  const int64_t planes = out.n * out.c;
  for (int64_t plane = 0; plane < planes; ++plane)
    for (int64_t z = 0; z < out.d; ++z) {
      const int64_t sz = z + offset[2];
      if (sz < 0 || sz >= in.d) continue;
      for (int64_t y = 0; y < out.h; ++y) {
        const int64_t sy = y + offset[1];
        if (sy < 0 || sy >= in.h || x_lo >= x_hi) continue;
        const VkDeviceSize dst = static_cast<VkDeviceSize>(((plane * out.d + z) * out.h + y) * out.w + x_lo) * bytes;
        const VkDeviceSize src =
            static_cast<VkDeviceSize>(((plane * in.d + sz) * in.h + sy) * in.w + x_lo + offset[0]) * bytes;
        const VkDeviceSize size = static_cast<VkDeviceSize>(x_hi - x_lo) * bytes;
        zeros_up_to(dst);
        VkBufferCopy* last = plan.copies.empty() ? nullptr : &plan.copies.back();
        if (last && last->dstOffset + last->size == dst && last->srcOffset + last->size == src) last->size += size;
        else plan.copies.push_back({src, dst, size});
        written = dst + size;
      }
    }
  zeros_up_to(static_cast<VkDeviceSize>(out.size()) * bytes);
  return plan;
}

void record_row_copies(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output,
                       const std::array<int64_t, 3>& offset, const std::string& label) {
  const RowCopies plan = plan_row_copies(input.shape, output.shape, offset, output.element_bytes());
  seq.timed_commands(
      [&](VkCommandBuffer cmd) {
        // Many small gaps (padded columns) cost more as fill commands than zeroing the whole
        // output once before the copies land.
        if (plan.zeros.size() > plan.copies.size() / 4 + 16) {
          vkCmdFillBuffer(cmd, output.buffer.get(), 0, VK_WHOLE_SIZE, 0);
          VkMemoryBarrier fill{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
          fill.srcAccessMask = fill.dstAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
          vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 1, &fill, 0,
                               nullptr, 0, nullptr);
        } else {
          for (const auto& [at, size] : plan.zeros) vkCmdFillBuffer(cmd, output.buffer.get(), at, size, 0);
        }
        // In batches: the validation layer compares every pair of regions in one command.
        constexpr size_t kBatch = 1024;
        for (size_t first = 0; first < plan.copies.size(); first += kBatch)
          vkCmdCopyBuffer(cmd, input.buffer.get(), output.buffer.get(),
                          static_cast<uint32_t>(std::min(kBatch, plan.copies.size() - first)), plan.copies.data() + first);
      },
      label);
}

}  // namespace convscope
