#include "layers/keras1.h"

#include <map>

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

  nlohmann::json c = config;
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
