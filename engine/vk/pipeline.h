#pragma once
// Compute pipelines built from embedded SPIR-V. Their descriptor and push-constant layout
// comes from reflecting the code; specialization constants fix sizes at pipeline build time.
// Every compute shader takes its workgroup width as SPEC_WORKGROUP_WIDTH (shaders/spec_ids.h).
#include <map>
#include <memory>
#include <string>

#include "vk/handle.h"
#include "vk/shader.h"
#include "vk/spec_constants.h"
#include "vk/spirv_reflect.h"

namespace convscope::vk {

class ComputePipeline {
 public:
  // Error ("internal: ...") for a constant id the shader does not declare, or a missing
  // workgroup width: either would otherwise build a pipeline that silently computes wrong.
  ComputePipeline(VkDevice device, const ShaderCode& shader, SpecConstants spec_constants);

  VkPipeline get() const { return pipeline_.get(); }
  VkPipelineLayout layout() const { return layout_.get(); }
  VkDescriptorSetLayout set_layout() const { return set_layout_.get(); }
  const ShaderInterface& interface() const { return interface_; }
  uint32_t workgroup_size() const { return spec_.get(SPEC_WORKGROUP_WIDTH).value_or(1); }
  std::string_view name() const { return name_; }

 private:
  std::string name_;
  SpecConstants spec_;
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
  const ComputePipeline& get(const ShaderCode& shader, const SpecConstants& spec_constants);
  size_t size() const { return pipelines_.size(); }

 private:
  VkDevice device_;
  std::map<std::pair<std::string, SpecConstants>, std::unique_ptr<ComputePipeline>> pipelines_;
};

}  // namespace convscope::vk
