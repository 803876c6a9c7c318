#include "app/gui/map_view.h"

#include <algorithm>

#include "app/gui/gui_window.h"
#include "embedded_shaders.h"
#include "map_params.h"
#include "vk/check.h"

namespace convscope::gui {

static_assert(sizeof(gpu::MapParams) == shaders::map_vertex_push_bytes);

namespace {

constexpr uint32_t kMaxTextures = 256;

VkShaderModule module_of(VkDevice device, const vk::ShaderCode& code) {
  VkShaderModuleCreateInfo info{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
  info.codeSize = code.spirv.size_bytes();
  info.pCode = code.spirv.data();
  VkShaderModule m;
  vk::check(vkCreateShaderModule(device, &info, nullptr, &m), std::string("loading shader ") + std::string(code.name));
  return m;
}

}  // namespace

MapTexture::MapTexture(MapRenderer& renderer, uint32_t width, uint32_t height)
    : renderer_(renderer),
      image_(renderer.ctx_, width, height, VK_FORMAT_R8G8B8A8_UNORM, VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT) {
  VkDescriptorSetLayout layout = renderer.set_layout_.get();
  VkDescriptorSetAllocateInfo alloc{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
  alloc.descriptorPool = renderer.pool_.get();
  alloc.descriptorSetCount = 1;
  alloc.pSetLayouts = &layout;
  vk::check(vkAllocateDescriptorSets(renderer.ctx_.device(), &alloc, &set_), "allocating a texture descriptor");
  VkDescriptorImageInfo image{renderer.sampler_.get(), image_.view(), VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
  VkWriteDescriptorSet write{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
  write.dstSet = set_;
  write.descriptorCount = 1;
  write.descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
  write.pImageInfo = &image;
  vkUpdateDescriptorSets(renderer.ctx_.device(), 1, &write, 0, nullptr);
}

MapTexture::~MapTexture() { vkFreeDescriptorSets(renderer_.ctx_.device(), renderer_.pool_.get(), 1, &set_); }

void MapTexture::record_upload(VkCommandBuffer cmd, VkBuffer pixels) {
  // From what the previous frame sampled (or nothing) to a copy target, then back to sampling.
  transition(cmd, image_.image(), initialised_ ? VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL : VK_IMAGE_LAYOUT_UNDEFINED,
             VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_ACCESS_SHADER_READ_BIT, VK_ACCESS_TRANSFER_WRITE_BIT,
             VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT | VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT);
  VkBufferImageCopy region{};
  region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
  region.imageExtent = {image_.width(), image_.height(), 1};
  vkCmdCopyBufferToImage(cmd, pixels, image_.image(), VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &region);
  transition(cmd, image_.image(), VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL,
             VK_ACCESS_TRANSFER_WRITE_BIT, VK_ACCESS_SHADER_READ_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT,
             VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT);
  initialised_ = true;
}

MapRenderer::MapRenderer(vk::Context& ctx, VkRenderPass render_pass) : ctx_(ctx) {
  VkDevice device = ctx.device();
  VkSamplerCreateInfo sampler{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
  sampler.magFilter = sampler.minFilter = VK_FILTER_NEAREST;  // map pixels stay crisp squares
  sampler.addressModeU = sampler.addressModeV = sampler.addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
  sampler.maxLod = 0;
  VkSampler s;
  vk::check(vkCreateSampler(device, &sampler, nullptr, &s), "creating a sampler");
  sampler_ = vk::UniqueSampler(device, s);

  VkDescriptorSetLayoutBinding binding{0, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1, VK_SHADER_STAGE_FRAGMENT_BIT, nullptr};
  VkDescriptorSetLayoutCreateInfo set_info{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
  set_info.bindingCount = 1;
  set_info.pBindings = &binding;
  VkDescriptorSetLayout set_layout;
  vk::check(vkCreateDescriptorSetLayout(device, &set_info, nullptr, &set_layout), "creating a descriptor set layout");
  set_layout_ = vk::UniqueDescriptorSetLayout(device, set_layout);

  VkPushConstantRange push{VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0, sizeof(gpu::MapParams)};
  VkPipelineLayoutCreateInfo layout_info{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
  layout_info.setLayoutCount = 1;
  layout_info.pSetLayouts = &set_layout;
  layout_info.pushConstantRangeCount = 1;
  layout_info.pPushConstantRanges = &push;
  VkPipelineLayout layout;
  vk::check(vkCreatePipelineLayout(device, &layout_info, nullptr, &layout), "creating a pipeline layout");
  layout_ = vk::UniquePipelineLayout(device, layout);

  const vk::UniqueShaderModule vert(device, module_of(device, shaders::map_vertex));
  const vk::UniqueShaderModule frag(device, module_of(device, shaders::map_fragment));
  VkPipelineShaderStageCreateInfo stages[2] = {{VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO},
                                               {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO}};
  stages[0].stage = VK_SHADER_STAGE_VERTEX_BIT;
  stages[0].module = vert.get();
  stages[0].pName = "main";
  stages[1].stage = VK_SHADER_STAGE_FRAGMENT_BIT;
  stages[1].module = frag.get();
  stages[1].pName = "main";
  VkPipelineVertexInputStateCreateInfo vertex{VK_STRUCTURE_TYPE_PIPELINE_VERTEX_INPUT_STATE_CREATE_INFO};
  VkPipelineInputAssemblyStateCreateInfo assembly{VK_STRUCTURE_TYPE_PIPELINE_INPUT_ASSEMBLY_STATE_CREATE_INFO};
  assembly.topology = VK_PRIMITIVE_TOPOLOGY_TRIANGLE_STRIP;
  VkPipelineViewportStateCreateInfo viewport{VK_STRUCTURE_TYPE_PIPELINE_VIEWPORT_STATE_CREATE_INFO};
  viewport.viewportCount = viewport.scissorCount = 1;
  VkPipelineRasterizationStateCreateInfo raster{VK_STRUCTURE_TYPE_PIPELINE_RASTERIZATION_STATE_CREATE_INFO};
  raster.polygonMode = VK_POLYGON_MODE_FILL;
  raster.cullMode = VK_CULL_MODE_NONE;
  raster.lineWidth = 1.0f;
  VkPipelineMultisampleStateCreateInfo multisample{VK_STRUCTURE_TYPE_PIPELINE_MULTISAMPLE_STATE_CREATE_INFO};
  multisample.rasterizationSamples = VK_SAMPLE_COUNT_1_BIT;
  VkPipelineColorBlendAttachmentState attachment{};
  attachment.colorWriteMask = VK_COLOR_COMPONENT_R_BIT | VK_COLOR_COMPONENT_G_BIT | VK_COLOR_COMPONENT_B_BIT |
                              VK_COLOR_COMPONENT_A_BIT;
  VkPipelineColorBlendStateCreateInfo blend{VK_STRUCTURE_TYPE_PIPELINE_COLOR_BLEND_STATE_CREATE_INFO};
  blend.attachmentCount = 1;
  blend.pAttachments = &attachment;
  const VkDynamicState dynamic_states[] = {VK_DYNAMIC_STATE_VIEWPORT, VK_DYNAMIC_STATE_SCISSOR};
  VkPipelineDynamicStateCreateInfo dynamic{VK_STRUCTURE_TYPE_PIPELINE_DYNAMIC_STATE_CREATE_INFO};
  dynamic.dynamicStateCount = 2;
  dynamic.pDynamicStates = dynamic_states;
  VkGraphicsPipelineCreateInfo info{VK_STRUCTURE_TYPE_GRAPHICS_PIPELINE_CREATE_INFO};
  info.stageCount = 2;
  info.pStages = stages;
  info.pVertexInputState = &vertex;
  info.pInputAssemblyState = &assembly;
  info.pViewportState = &viewport;
  info.pRasterizationState = &raster;
  info.pMultisampleState = &multisample;
  info.pColorBlendState = &blend;
  info.pDynamicState = &dynamic;
  info.layout = layout;
  info.renderPass = render_pass;
  VkPipeline pipeline;
  vk::check(vkCreateGraphicsPipelines(device, VK_NULL_HANDLE, 1, &info, nullptr, &pipeline), "building the map pipeline");
  pipeline_ = vk::UniquePipeline(device, pipeline);

  VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, kMaxTextures};
  VkDescriptorPoolCreateInfo pool_info{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
  pool_info.flags = VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT;
  pool_info.maxSets = kMaxTextures;
  pool_info.poolSizeCount = 1;
  pool_info.pPoolSizes = &size;
  VkDescriptorPool pool;
  vk::check(vkCreateDescriptorPool(device, &pool_info, nullptr, &pool), "creating the texture descriptor pool");
  pool_ = vk::UniqueDescriptorPool(device, pool);
}

MapRenderer::~MapRenderer() = default;

void MapRenderer::draw(const MapTexture& texture, ImVec2 p0, ImVec2 p1, ImVec4 uv) {
  requests_.push_back({this, texture.set(), p0, p1, uv});
  ImDrawList* list = ImGui::GetWindowDrawList();
  list->AddCallback(&MapRenderer::on_draw, &requests_.back());
  list->AddCallback(ImDrawCallback_ResetRenderState, nullptr);  // ImGui rebinds its own pipeline
}

void MapRenderer::on_draw(const ImDrawList*, const ImDrawCmd* cmd) {
  const auto* r = static_cast<const Request*>(cmd->UserCallbackData);
  VkCommandBuffer cb = GuiWindow::recording();
  if (!cb) return;
  const ImGuiIO& io = ImGui::GetIO();
  const ImVec2 scale = io.DisplayFramebufferScale, size = io.DisplaySize;
  VkViewport viewport{0, 0, size.x * scale.x, size.y * scale.y, 0, 1};
  vkCmdSetViewport(cb, 0, 1, &viewport);
  const float x0 = std::max(cmd->ClipRect.x * scale.x, 0.0f), y0 = std::max(cmd->ClipRect.y * scale.y, 0.0f);
  const float x1 = std::min(cmd->ClipRect.z * scale.x, viewport.width), y1 = std::min(cmd->ClipRect.w * scale.y, viewport.height);
  if (x1 <= x0 || y1 <= y0) return;
  VkRect2D scissor{{static_cast<int32_t>(x0), static_cast<int32_t>(y0)},
                   {static_cast<uint32_t>(x1 - x0), static_cast<uint32_t>(y1 - y0)}};
  vkCmdSetScissor(cb, 0, 1, &scissor);
  gpu::MapParams p;
  p.rect = {r->p0.x / size.x * 2 - 1, r->p0.y / size.y * 2 - 1, r->p1.x / size.x * 2 - 1, r->p1.y / size.y * 2 - 1};
  p.uv = {r->uv.x, r->uv.y, r->uv.z, r->uv.w};
  const MapRenderer& self = *r->renderer;
  vkCmdBindPipeline(cb, VK_PIPELINE_BIND_POINT_GRAPHICS, self.pipeline_.get());
  vkCmdBindDescriptorSets(cb, VK_PIPELINE_BIND_POINT_GRAPHICS, self.layout_.get(), 0, 1, &r->set, 0, nullptr);
  vkCmdPushConstants(cb, self.layout_.get(), VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0, sizeof p, &p);
  vkCmdDraw(cb, 4, 1, 0, 0);
}

}  // namespace convscope::gui
