#include "layers/keras1.h"

namespace convscope {

nlohmann::json from_keras1(const nlohmann::json& config,
                           const std::vector<std::pair<std::string, std::string>>& class_renames) {
  nlohmann::json c = config.is_object() ? config : nlohmann::json::object();
  auto rename = [&c](const std::string& from, const std::string& to) {
    if (c.contains(from) && !c.contains(to)) c[to] = c[from];
    c.erase(from);
  };
  for (const auto& [from, to] : class_renames) rename(from, to);
  rename("nb_filter", "filters");
  rename("subsample", "strides");
  rename("subsample_length", "strides");
  rename("border_mode", "padding");
  rename("atrous_rate", "dilation_rate");
  rename("bias", "use_bias");
  rename("init", "kernel_initializer");
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
  return c;
}

}  // namespace convscope
