#include "vk/pipeline.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <vector>

#include "core/error.h"
#include "vk/check.h"

namespace convscope::vk {

namespace {

void check_constants(const std::string& shader, const ShaderInterface& iface, const SpecConstants& spec) {
  const std::vector<uint32_t>& declared = iface.spec_ids;
  for (const SpecConstants::Entry& e : spec.entries())
    if (!std::binary_search(declared.begin(), declared.end(), e.id))
      throw Error(fmt::format("internal: shader {} declares no specialization constant {} (it declares {})", shader,
                              e.id, fmt::join(declared, ", ")));
  // local_size_x_id's own default is 1 while WORKGROUP_WIDTH's is 64 (common.glsl): the two
  // agree only when the width is set.
  if (std::binary_search(declared.begin(), declared.end(), uint32_t{SPEC_WORKGROUP_WIDTH}) &&
      !spec.get(SPEC_WORKGROUP_WIDTH))
    throw Error(fmt::format("internal: pipeline of shader {} built without its workgroup width", shader));
}

}  // namespace

ComputePipeline::ComputePipeline(VkDevice device, const ShaderCode& shader, SpecConstants spec)
    : name_(shader.name), spec_(std::move(spec)), interface_(reflect(shader.spirv, shader.name)) {
  check_constants(name_, interface_, spec_);
  VkShaderModuleCreateInfo module_info{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
  module_info.codeSize = shader.spirv.size_bytes();
  module_info.pCode = shader.spirv.data();
  VkShaderModule module;
  check(vkCreateShaderModule(device, &module_info, nullptr, &module), "loading shader " + name_);
  module_ = UniqueShaderModule(device, module);

  std::vector<VkDescriptorSetLayoutBinding> bindings(interface_.storage_buffers);
  for (uint32_t i = 0; i < bindings.size(); ++i)
    bindings[i] = {i, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, VK_SHADER_STAGE_COMPUTE_BIT, nullptr};
  VkDescriptorSetLayoutCreateInfo set_info{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
  set_info.bindingCount = static_cast<uint32_t>(bindings.size());
  set_info.pBindings = bindings.data();
  VkDescriptorSetLayout set_layout;
  check(vkCreateDescriptorSetLayout(device, &set_info, nullptr, &set_layout), "creating a descriptor set layout");
  set_layout_ = UniqueDescriptorSetLayout(device, set_layout);

  VkPushConstantRange push{VK_SHADER_STAGE_COMPUTE_BIT, 0, interface_.push_constant_bytes};
  VkPipelineLayoutCreateInfo layout_info{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
  layout_info.setLayoutCount = 1;
  layout_info.pSetLayouts = &set_layout;
  layout_info.pushConstantRangeCount = push.size ? 1 : 0;
  layout_info.pPushConstantRanges = &push;
  VkPipelineLayout layout;
  check(vkCreatePipelineLayout(device, &layout_info, nullptr, &layout), "creating a pipeline layout");
  layout_ = UniquePipelineLayout(device, layout);

  std::vector<VkSpecializationMapEntry> entries;
  std::vector<uint32_t> values;
  for (const SpecConstants::Entry& e : spec_.entries()) {
    entries.push_back({e.id, static_cast<uint32_t>(values.size() * 4), 4});
    values.push_back(e.value);
  }
  VkSpecializationInfo spec_info{static_cast<uint32_t>(entries.size()), entries.data(), values.size() * 4,
                                 values.data()};
  VkComputePipelineCreateInfo info{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
  info.stage = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO};
  info.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
  info.stage.module = module;
  info.stage.pName = "main";
  info.stage.pSpecializationInfo = entries.empty() ? nullptr : &spec_info;
  info.layout = layout;
  VkPipeline pipeline;
  check(vkCreateComputePipelines(device, VK_NULL_HANDLE, 1, &info, nullptr, &pipeline), "building pipeline " + name_);
  pipeline_ = UniquePipeline(device, pipeline);
}

const ComputePipeline& PipelineCache::get(const ShaderCode& shader, const SpecConstants& spec) {
  auto key = std::make_pair(std::string(shader.name), spec);
  auto it = pipelines_.find(key);
  if (it == pipelines_.end())
    it = pipelines_.emplace(std::move(key), std::make_unique<ComputePipeline>(device_, shader, spec)).first;
  return *it->second;
}

}  // namespace convscope::vk
