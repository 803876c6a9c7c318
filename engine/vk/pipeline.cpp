#include "vk/pipeline.h"

#include "vk/check.h"

namespace convscope::vk {

ComputePipeline::ComputePipeline(VkDevice device, const ShaderCode& shader, std::vector<uint32_t> spec)
    : name_(shader.name), spec_(std::move(spec)), interface_(reflect(shader.spirv, shader.name)) {
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

  std::vector<VkSpecializationMapEntry> entries(spec_.size());
  for (uint32_t i = 0; i < entries.size(); ++i) entries[i] = {i, i * 4u, 4};
  VkSpecializationInfo spec_info{static_cast<uint32_t>(entries.size()), entries.data(), spec_.size() * 4,
                                 spec_.data()};
  VkComputePipelineCreateInfo info{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
  info.stage = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO};
  info.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
  info.stage.module = module;
  info.stage.pName = "main";
  info.stage.pSpecializationInfo = spec_.empty() ? nullptr : &spec_info;
  info.layout = layout;
  VkPipeline pipeline;
  check(vkCreateComputePipelines(device, VK_NULL_HANDLE, 1, &info, nullptr, &pipeline), "building pipeline " + name_);
  pipeline_ = UniquePipeline(device, pipeline);
}

const ComputePipeline& PipelineCache::get(const ShaderCode& shader, const std::vector<uint32_t>& spec) {
  auto key = std::make_pair(std::string(shader.name), spec);
  auto it = pipelines_.find(key);
  if (it == pipelines_.end())
    it = pipelines_.emplace(std::move(key), std::make_unique<ComputePipeline>(device_, shader, spec)).first;
  return *it->second;
}

}  // namespace convscope::vk
