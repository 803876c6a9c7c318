#include "layers/strided_copy.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "core/error.h"
#include "core/keras_axes.h"
#include "embedded_shaders.h"
#include "strided_copy_params.h"
#include "vk/device_tensor.h"

namespace convscope {

static_assert(sizeof(gpu::StridedCopyParams) == shaders::strided_copy_push_bytes,
              "strided_copy_params.h and the SPIR-V disagree");

int64_t StridedCopy::elements() const {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

StridedCopy StridedCopy::simplified() const {
  StridedCopy out;
  out.src_offset = src_offset;
  out.dst_offset = dst_offset;
  for (size_t a = 0; a < dims.size(); ++a) {
    if (dims[a] == 1) continue;
    // Axis a continues the one before it when stepping it once equals stepping the inner
    // axis through its whole length, on both sides.
    if (!out.dims.empty() && out.src_strides.back() == src_strides[a] * dims[a] &&
        out.dst_strides.back() == dst_strides[a] * dims[a]) {
      out.dims.back() *= dims[a];
      out.src_strides.back() = src_strides[a];
      out.dst_strides.back() = dst_strides[a];
      continue;
    }
    out.dims.push_back(dims[a]);
    out.src_strides.push_back(src_strides[a]);
    out.dst_strides.push_back(dst_strides[a]);
  }
  if (out.dims.empty()) out = {{1}, {0}, {0}, src_offset, dst_offset};
  return out;
}

std::vector<int64_t> keras_strides(const Shape& s) {
  const CanonicalDims strides = canonical_strides(s);
  std::vector<int64_t> out;
  for (int axis : keras_order(s)) out.push_back(strides[axis]);
  return out;
}

std::vector<int64_t> contiguous_strides(const std::vector<int64_t>& dims) {
  std::vector<int64_t> strides(dims.size(), 1);
  for (size_t a = dims.size(); a-- > 1;) strides[a - 1] = strides[a] * dims[a];
  return strides;
}

namespace {

// The box of a canonical tensor in Keras' axis order: sizes and canonical strides, and the
// strides of the same axes in a contiguous Keras-order buffer.
StridedCopy keras_box(const Shape& s) {
  StridedCopy box;
  box.dims = s.keras();
  box.src_strides = keras_strides(s);
  box.dst_strides = contiguous_strides(box.dims);
  return box;
}

}  // namespace

StridedCopy canonical_to_keras(const Shape& s) { return keras_box(s); }

StridedCopy keras_to_canonical(const Shape& s) {
  StridedCopy box = keras_box(s);
  std::swap(box.src_strides, box.dst_strides);
  return box;
}

StridedCopy contiguous_copy(int64_t elements) { return {{elements}, {1}, {1}, 0, 0}; }

void copy_strided(std::span<const float> src, std::span<float> dst, const StridedCopy& c) {
  const size_t rank = c.dims.size();
  std::vector<int64_t> index(rank, 0);
  const int64_t total = c.elements();
  for (int64_t i = 0; i < total; ++i) {
    int64_t s = c.src_offset, d = c.dst_offset;
    for (size_t a = 0; a < rank; ++a) {
      s += index[a] * c.src_strides[a];
      d += index[a] * c.dst_strides[a];
    }
    dst[static_cast<size_t>(d)] = src[static_cast<size_t>(s)];
    for (size_t a = rank; a-- > 0;) {  // odometer, innermost axis last in `dims`
      if (++index[a] < c.dims[a]) break;
      index[a] = 0;
    }
  }
}

namespace {

// Runs shorter than this go through the kernel: a transfer region costs ~250 ns to set up on
// lavapipe, about what the kernel spends on 20 elements. More regions than the cap would be
// all setup.
constexpr int64_t kMinRun = 32;
constexpr int64_t kMaxRegions = 1 << 16;

// The copy as transfer regions, when its innermost axis is contiguous on both sides in runs
// of at least kMinRun (Concatenate's slices, a Flatten of channels-first maps, the
// identities' one block); nullopt otherwise. Runs that continue each other merge.
std::optional<std::vector<VkBufferCopy>> copy_regions(const StridedCopy& box, VkDeviceSize bytes) {
  if (box.dims.empty()) return std::nullopt;
  // The order of a box's axes is the caller's (Keras', say); any order copies the same
  // elements, and the destination's memory order puts its contiguous axis last.
  std::vector<size_t> order(box.dims.size());
  for (size_t a = 0; a < order.size(); ++a) order[a] = a;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return box.dst_strides[a] > box.dst_strides[b]; });
  StridedCopy sorted;
  sorted.src_offset = box.src_offset, sorted.dst_offset = box.dst_offset;
  for (size_t a : order) {
    sorted.dims.push_back(box.dims[a]);
    sorted.src_strides.push_back(box.src_strides[a]);
    sorted.dst_strides.push_back(box.dst_strides[a]);
  }
  const StridedCopy c = sorted.simplified();
  const size_t inner = c.dims.size() - 1;
  if (c.src_strides[inner] != 1 || c.dst_strides[inner] != 1 || c.dims[inner] < kMinRun) return std::nullopt;
  const int64_t runs = c.elements() / c.dims[inner];
  if (runs > kMaxRegions) return std::nullopt;
  std::vector<VkBufferCopy> regions;
  std::vector<int64_t> at(inner, 0);  // the outer axes' index, odometer order
  const VkDeviceSize size = static_cast<VkDeviceSize>(c.dims[inner]) * bytes;
  for (int64_t r = 0; r < runs; ++r) {
    int64_t s = c.src_offset, d = c.dst_offset;
    for (size_t a = 0; a < inner; ++a) s += at[a] * c.src_strides[a], d += at[a] * c.dst_strides[a];
    const VkDeviceSize so = static_cast<VkDeviceSize>(s) * bytes, dof = static_cast<VkDeviceSize>(d) * bytes;
    VkBufferCopy* last = regions.empty() ? nullptr : &regions.back();
    if (last && last->srcOffset + last->size == so && last->dstOffset + last->size == dof) last->size += size;
    else regions.push_back({so, dof, size});
    for (size_t a = inner; a-- > 0;) {
      if (++at[a] < c.dims[a]) break;
      at[a] = 0;
    }
  }
  return regions;
}

}  // namespace

void record_strided_copy(vk::Sequence& seq, const vk::Buffer& src, const vk::Buffer& dst, const StridedCopy& copy,
                         const std::string& label) {
  const StridedCopy c = copy.simplified();
  const VkDeviceSize bytes = seq.context().options().fp16_storage ? 2 : 4;  // the element, as tensor_shader picks
  if (&src != &dst) {  // one buffer's regions could overlap, which transfers may not
    if (const auto regions = copy_regions(c, bytes)) {
      seq.timed_commands(
          [&](VkCommandBuffer cmd) {
            // In batches: the validation layer compares every pair of regions in one command.
            constexpr size_t kBatch = 1024;
            for (size_t first = 0; first < regions->size(); first += kBatch)
              vkCmdCopyBuffer(cmd, src.get(), dst.get(), static_cast<uint32_t>(std::min(kBatch, regions->size() - first)),
                              regions->data() + first);
          },
          label);
      return;
    }
  }
  if (c.dims.size() > 8)
    throw Error(fmt::format("internal: {}: a strided copy of {} axes; the kernel takes 8", label, c.dims.size()));
  auto u32 = [&](int64_t v) {
    if (v < 0 || v > UINT32_MAX) throw UserError(fmt::format("{}: the tensor is too large for one dispatch", label));
    return static_cast<uint32_t>(v);
  };
  // Innermost first, padded with unit axes.
  uint32_t dims[8], ss[8], ds[8];
  for (size_t a = 0; a < 8; ++a) {
    const bool used = a < c.dims.size();
    const size_t k = c.dims.size() - 1 - a;
    dims[a] = used ? u32(c.dims[k]) : 1;
    ss[a] = used ? u32(c.src_strides[k]) : 0;
    ds[a] = used ? u32(c.dst_strides[k]) : 0;
  }
  gpu::StridedCopyParams p{};
  p.dims_lo = {dims[0], dims[1], dims[2], dims[3]};
  p.dims_hi = {dims[4], dims[5], dims[6], dims[7]};
  p.src_strides_lo = {ss[0], ss[1], ss[2], ss[3]};
  p.src_strides_hi = {ss[4], ss[5], ss[6], ss[7]};
  p.dst_strides_lo = {ds[0], ds[1], ds[2], ds[3]};
  p.dst_strides_hi = {ds[4], ds[5], ds[6], ds[7]};
  p.src_offset = u32(c.src_offset);
  p.dst_offset = u32(c.dst_offset);
  p.elements = u32(c.elements());
  const auto& pipeline = seq.context().pipeline(
      tensor_shader(seq.context(), shaders::strided_copy, shaders::strided_copy_fp16), vk::workgroup_width(64));
  seq.dispatch_elements(pipeline, {&src, &dst}, p, p.elements, label);
}

}  // namespace convscope
