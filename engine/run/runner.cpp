#include "run/runner.h"

#include "vk/check.h"

namespace convscope {

void record_layer(vk::Sequence& seq, const Layer& layer, const DeviceTensor& input, const DeviceTensor& output) {
  vk::naming_failures(layer.label(), [&] { layer.record(seq, input, output); });
}

std::vector<Shape> infer_shapes(const std::vector<const Layer*>& layers, const Shape& input) {
  std::vector<Shape> shapes;
  Shape s = input;
  for (const Layer* layer : layers) shapes.push_back(s = layer->output_shape(s));
  return shapes;
}

RunResult run_layers(vk::Context& ctx, const std::vector<const Layer*>& layers, const Tensor& input, bool keep_all) {
  RunResult result;
  result.shapes = infer_shapes(layers, input.shape);
  std::vector<PlannedTensor> planned{{input.shape, "input"}};
  for (size_t i = 0; i < layers.size(); ++i) planned.push_back({result.shapes[i], layers[i]->label()});
  check_fits_device(ctx, planned);  // before anything is allocated
  std::vector<DeviceTensor> tensors;
  tensors.reserve(layers.size() + 1);
  tensors.push_back(to_device(ctx, input, "input"));
  for (size_t i = 0; i < layers.size(); ++i) tensors.push_back(allocate(ctx, result.shapes[i], layers[i]->label()));

  vk::Sequence seq(ctx);
  for (size_t i = 0; i < layers.size(); ++i) record_layer(seq, *layers[i], tensors[i], tensors[i + 1]);
  seq.submit();
  result.timings = seq.timings();

  if (keep_all) {
    for (size_t i = 1; i < tensors.size(); ++i) result.outputs.push_back(to_host(ctx, tensors[i]));
  } else {
    result.outputs.push_back(to_host(ctx, tensors.back()));
  }
  return result;
}

}  // namespace convscope
