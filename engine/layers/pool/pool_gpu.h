#pragma once
// Records the pooling shaders: sliding windows (shaders/pool.comp) and whole-plane reductions
// (shaders/global_pool.comp). The operation is a specialization constant of each, so max and
// average are two pipelines of one shader, not a branch per element.
#include <array>
#include <string>

#include "layers/window_geometry.h"
#include "vk/device_tensor.h"
#include "vk/sequence.h"

namespace convscope {

enum class PoolOp { Max, Average };

// `axes`: each window axis in canonical (D, H, W) order, unit axes (window 1, stride 1, no
// offset, out 1) where the layer has fewer than three.
void record_window_pool(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output, PoolOp op,
                        const std::array<AxisGeometry, 3>& axes, const std::string& label);

// One value per (sample, channel): `output` holds N x C elements, whatever its rank.
void record_global_pool(vk::Sequence& seq, const DeviceTensor& input, const DeviceTensor& output, PoolOp op,
                        const std::string& label);

}  // namespace convscope
