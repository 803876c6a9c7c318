#include "layers/pool/global_pooling_layer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>

#include "layers/config_reader.h"

namespace convscope {

GlobalPoolingLayer::GlobalPoolingLayer(const ConfigReader& cfg, PoolOp op, int rank)
    : Layer(cfg.name(), cfg.label(), rank, cfg.data_format()),
      class_name_(cfg.class_name()),
      op_(op),
      keepdims_(read_bool(cfg, "keepdims", false)) {}

Shape GlobalPoolingLayer::output_shape(const Shape& input) const {
  require_rank(input);
  Shape out = input;
  out.d = out.h = out.w = 1;
  // Without keepdims the spatial axes go: a (batch, channels) vector, as Dense reads.
  if (!keepdims_) out.spatial_rank = 0;
  return checked_output(out);
}

Tensor GlobalPoolingLayer::reference(const Tensor& in) const {
  Tensor out(output_shape(in.shape));
  const Shape& s = in.shape;
  const size_t plane = static_cast<size_t>(s.d * s.h * s.w);
  for (size_t p = 0; p < static_cast<size_t>(s.n * s.c); ++p) {
    double sum = 0;
    float best = -std::numeric_limits<float>::infinity();
    for (size_t e = 0; e < plane; ++e) {
      const float v = in.data[p * plane + e];  // canonical (N, C, D, H, W): each plane is contiguous
      sum += v;
      best = std::max(best, v);
    }
    out.data[p] = op_ == PoolOp::Average ? static_cast<float>(sum / static_cast<double>(plane)) : best;
  }
  return out;
}

void GlobalPoolingLayer::record(vk::Sequence& seq, const DeviceTensor& in, const DeviceTensor& out) const {
  record_global_pool(seq, in, out, op_, label());
}

double GlobalPoolingLayer::flops(const Shape& input) const {
  require_rank(input);
  const double outputs = static_cast<double>(input.n * input.c);
  return static_cast<double>(input.size()) + (op_ == PoolOp::Average ? outputs : 0.0);
}

nlohmann::json GlobalPoolingLayer::keras_config() const {
  // Keras 3's BaseGlobalPooling.get_config: data_format and keepdims.
  nlohmann::json c = base_config(true);
  c["keepdims"] = keepdims_;
  return c;
}

}  // namespace convscope
