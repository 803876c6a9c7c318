#pragma once
// Compute pipelines built from embedded SPIR-V. Their descriptor and push-constant layout
// comes from reflecting the code; specialization constants fix sizes at pipeline build time.
// By convention constant_id 0 is the workgroup width (local_size_x_id = 0).
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "vk/handle.h"
#include "vk/shader.h"
#include "vk/spirv_reflect.h"

namespace convscope::vk {

class ComputePipeline {
 public:
  ComputePipeline(VkDevice device, const ShaderCode& shader, std::vector<uint32_t> spec_constants);

  VkPipeline get() const { return pipeline_.get(); }
  VkPipelineLayout layout() const { return layout_.get(); }
  VkDescriptorSetLayout set_layout() const { return set_layout_.get(); }
  const ShaderInterface& interface() const { return interface_; }
  uint32_t workgroup_size() const { return spec_.empty() ? 1 : spec_[0]; }
  std::string_view name() const { return name_; }

 private:
  std::string name_;
  std::vector<uint32_t> spec_;
  ShaderInterface interface_;
  UniqueShaderModule module_;
  UniqueDescriptorSetLayout set_layout_;
  UniquePipelineLayout layout_;
  UniquePipeline pipeline_;
};

// Pipelines are costly to build (lavapipe compiles them with LLVM), so each (shader,
// constants) pair is built once per device and kept.
class PipelineCache {
 public:
  explicit PipelineCache(VkDevice device) : device_(device) {}
  const ComputePipeline& get(const ShaderCode& shader, const std::vector<uint32_t>& spec_constants);
  size_t size() const { return pipelines_.size(); }

 private:
  VkDevice device_;
  std::map<std::pair<std::string, std::vector<uint32_t>>, std::unique_ptr<ComputePipeline>> pipelines_;
};

}  // namespace convscope::vk
