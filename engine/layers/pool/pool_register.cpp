// The pooling family's descriptors: Keras 3 class names, the short aliases Keras 3 exports
// (MaxPool2D, AvgPool2D, GlobalMaxPool2D, GlobalAvgPool2D), Keras 1's own argument names.
#include <fmt/format.h>

#include "layers/pool/global_pooling_layer.h"
#include "layers/pool/pooling_layer.h"
#include "layers/registry.h"

namespace convscope {

void register_pooling_layers(LayerRegistry& registry) {
  for (int rank = 1; rank <= 3; ++rank)
    for (const PoolOp op : {PoolOp::Max, PoolOp::Average}) {
      const bool max = op == PoolOp::Max;

      LayerDescriptor window;
      window.class_name = fmt::format("{}Pooling{}D", max ? "Max" : "Average", rank);
      window.aliases = {fmt::format("{}Pool{}D", max ? "Max" : "Avg", rank)};
      // Keras 1: MaxPooling1D(pool_length, stride, border_mode); 2D and 3D took pool_size,
      // strides, border_mode, dim_ordering, of which keras1.cpp maps the last two for all.
      if (rank == 1) window.keras1_renames = {{"pool_length", "pool_size"}, {"stride", "strides"}};
      window.arguments = {"pool_size", "strides", "padding", "data_format"};
      window.example = {{"pool_size", 2}};
      window.family = "pooling";
      window.make = [op, rank](const ConfigReader& cfg) { return std::make_unique<PoolingLayer>(cfg, op, rank); };
      registry.add(std::move(window));

      LayerDescriptor global;
      global.class_name = fmt::format("Global{}Pooling{}D", max ? "Max" : "Average", rank);
      global.aliases = {fmt::format("Global{}Pool{}D", max ? "Max" : "Avg", rank)};
      // keepdims: tf.keras >= 2.6 and Keras 3. Keras 1 wrote dim_ordering (2D, 3D), TensorFlow.js
      // data_format (2D) or nothing (1D).
      global.arguments = {"data_format", "keepdims"};
      global.family = "pooling";
      global.make = [op, rank](const ConfigReader& cfg) { return std::make_unique<GlobalPoolingLayer>(cfg, op, rank); };
      registry.add(std::move(global));
    }
}

}  // namespace convscope
