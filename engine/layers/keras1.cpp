#include "layers/keras1.h"

#include <map>
#include <vector>

namespace convscope {

std::pair<std::string, nlohmann::json> from_keras1(const std::string& class_name, const nlohmann::json& config) {
  static const std::map<std::string, std::string> classes = {
      {"Convolution1D", "Conv1D"},
      {"Convolution2D", "Conv2D"},
      {"Convolution3D", "Conv3D"},
      {"AtrousConvolution1D", "Conv1D"},
      {"AtrousConvolution2D", "Conv2D"},
      {"Deconvolution2D", "Conv2DTranspose"},
      {"SeparableConvolution2D", "SeparableConv2D"},
  };
  auto it = classes.find(class_name);
  std::string name = it == classes.end() ? class_name : it->second;

  nlohmann::json c = config.is_object() ? config : nlohmann::json::object();
  auto rename = [&c](const char* from, const char* to) {
    if (c.contains(from) && !c.contains(to)) c[to] = c[from];
    c.erase(from);
  };
  rename("nb_filter", "filters");
  rename("subsample", "strides");
  rename("subsample_length", "strides");
  rename("border_mode", "padding");
  rename("atrous_rate", "dilation_rate");
  rename("bias", "use_bias");
  rename("init", "kernel_initializer");
  if (name == "UpSampling1D") rename("length", "size");
  // Kernel sizes were separate arguments, one per axis.
  for (const auto& keys : {std::vector<const char*>{"nb_row", "nb_col"}, {"filter_length"},
                           {"kernel_dim1", "kernel_dim2", "kernel_dim3"}}) {
    if (c.contains("kernel_size") || !c.contains(keys[0])) continue;
    nlohmann::json sizes = nlohmann::json::array();
    for (const char* k : keys) {
      if (c.contains(k)) sizes.push_back(c[k]);
      c.erase(k);
    }
    c["kernel_size"] = sizes;
  }
  // 'th' is Theano's channels-first order; 'tf' and 'default' are channels-last.
  if (c.contains("dim_ordering") && !c.contains("data_format")) {
    const nlohmann::json& order = c["dim_ordering"];
    c["data_format"] = order == "th" ? nlohmann::json("channels_first")
                       : order == "tf" || order == "default" ? nlohmann::json("channels_last")
                                                             : order;  // refused by the layer, value shown
    c.erase("dim_ordering");
  }
  return {std::move(name), std::move(c)};
}

}  // namespace convscope
