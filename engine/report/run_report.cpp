#include "report/run_report.h"

#include <fmt/format.h>

#include "core/error.h"
#include "io/image.h"
#include "io/npy.h"
#include "model/weights.h"
#include "report/html_report.h"
#include "run/session.h"
#include "viz/legend.h"
#include "viz/mosaic.h"

namespace convscope {

namespace {

std::string file_stem(const std::string& name) {
  std::string s;
  for (char c : name) s += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
  return s;
}

Tensor image_tensor(const Model& model, const NdArray& keras) {
  for (const Layer* layer : model.distinct_layers())
    if (layer->spatial_rank() != 2 && layer->spatial_rank() != 0)
      throw UserError(fmt::format("{}: {} is a {}D layer; images feed 2D models", model.name, layer->label(),
                                  layer->spatial_rank()));
  return from_keras(keras, 2, DataFormat::ChannelsLast, "image");
}

}  // namespace

ImagePrep prep_for(const Model& model, ImagePrep prep, int64_t file_channels) {
  if (!model.input_shape) {
    if (prep.channels == 0) prep.channels = file_channels;
    return prep;
  }
  const OpenShape& in = *model.input_shape;
  const bool last = model.input_format() == DataFormat::ChannelsLast;
  if (in.size() != 3)
    throw UserError(fmt::format("{}: input shape {} is not an image's (rows, columns, channels)", model.name,
                                keras_shape_string(in)));
  const auto& c = last ? in[2] : in[0];
  const auto& h = last ? in[0] : in[1];
  const auto& w = last ? in[1] : in[2];
  prep.channels = c.value_or(prep.channels ? prep.channels : file_channels);
  if (h) prep.height = *h;
  if (w) prep.width = *w;
  return prep;
}

std::vector<std::string> weights_for_image(Model& model, const NdArray& loaded_image, const ImagePrep& prep,
                                           const std::vector<std::filesystem::path>& weight_files,
                                           const std::optional<std::filesystem::path>& pipeline_file, uint64_t seed) {
  const ImagePrep p = prep_for(model, prep, loaded_image.shape.back());
  const Tensor input = image_tensor(model, prepare_image(loaded_image, p, "image").array);
  return provide_weights(model, input.shape, weight_files, pipeline_file, seed);
}

ImageRunResult run_image(vk::Context& ctx, const Model& model, const NdArray& loaded, const std::string& image_name,
                         const std::filesystem::path& out_dir, const ImageRunOptions& options,
                         const std::vector<std::string>& extra_notices) {
  namespace fs = std::filesystem;
  ImageRunResult result;
  const ImagePrep prep = prep_for(model, options.prep, loaded.shape.back());
  PreparedImage prepared = prepare_image(loaded, prep, image_name);
  const Tensor input = image_tensor(model, prepared.array);
  ImagePrep display_prep = prep;  // the same picture with plain [0, 1] values, for people
  display_prep.scaling = Scaling::ZeroOne;
  const Tensor display = image_tensor(model, prepare_image(loaded, display_prep, image_name).array);

  const ModelSummary summary = summarize(model, open_shape(input.shape, model.input_format()));
  const RunResult run = run_model(ctx, model, input, default_timing(ctx));

  fs::create_directories(out_dir);
  Report report;
  report.title = fmt::format("{} on {}", model.name, image_name);
  report.model_name = model.name;
  report.device = ctx.info().name;
  report.input_shape = shape_string(input.shape.keras(model.input_format()));
  report.input_image = "00_input.png";
  report.total_params = summary.total_params;
  if (!model.description.empty()) report.notices.push_back(model.description);
  report.notices.insert(report.notices.end(), extra_notices.begin(), extra_notices.end());
  report.notices.insert(report.notices.end(), prepared.notices.begin(), prepared.notices.end());
  write_png(out_dir / report.input_image, image_to_rgb8(display, 0));
  result.files.push_back(out_dir / report.input_image);

  for (size_t i = 0; i < model.nodes.size(); ++i) {
    const Layer& layer = model.layer(i);
    const Tensor& out = run.outputs[i];
    const std::string stem = fmt::format("{:02}_{}", i + 1, file_stem(layer.name()));
    const auto [min_v, max_v] = mosaic_range(out, 0, Colormap::Viridis);
    const Colormap cmap = options.colormap.value_or(min_v < 0 && max_v > 0 ? Colormap::Diverging : Colormap::Viridis);
    const auto [lo, hi] = mosaic_range(out, 0, cmap);
    write_png(out_dir / (stem + ".png"), with_legend(feature_mosaic(out, 0, cmap), cmap, lo, hi));
    write_npy(out_dir / (stem + ".npy"), to_keras(out, out.shape.format));
    result.files.push_back(out_dir / (stem + ".png"));
    result.files.push_back(out_dir / (stem + ".npy"));
    const double ms = run.node_ms[i];
    result.layer_ms.push_back(ms);
    ReportLayer row{layer.name(), std::string(layer.class_name()), keras_shape_string(summary.layers[i].output),
                    summary.layers[i].params, stem + ".png", stem + ".npy", lo, hi, layer.warnings()};
    row.notes.push_back(fmt::format("{:.2f} ms{}", ms, ctx.info().timestamps ? " on the GPU" : ", host-timed"));
    // A graph's branches and merges: what each node reads, as Keras' summary names it.
    if (summary.graph) {
      std::string reads;
      for (const auto& t : summary.layers[i].connected_to) reads += (reads.empty() ? "" : ", ") + t;
      row.notes.push_back("reads " + reads);
    }
    report.layers.push_back(std::move(row));
  }
  result.index = out_dir / "index.html";
  write_html_report(result.index, report);
  result.notices = report.notices;
  return result;
}

}  // namespace convscope
