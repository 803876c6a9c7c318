// The selected layer's arguments, each with the widget its value calls for; a refused edit
// shows the value asked for with the engine's message under it and a way back. Then the
// weights panel and, for a box that can be fitted, the fit.
#include <fmt/format.h>

#include <cfloat>
#include <map>

#include <imgui.h>
#include <imgui_stdlib.h>  // after imgui.h, which it needs

#include "app/gui/ui.h"
#include "app/gui/ui_common.h"
#include "core/error.h"
#include "io/json_file.h"
#include "layers/activation/activation.h"

namespace convscope::gui {

namespace {

// Choices of the string arguments that have a fixed set of values, by argument name.
const std::vector<std::string>* choices(const std::string& key) {
  static const std::map<std::string, std::vector<std::string>> table = {
      {"padding", {"valid", "same", "causal", "full"}},
      {"data_format", {"channels_last", "channels_first"}},
      {"interpolation", {"nearest", "bilinear", "linear", "trilinear"}},
      {"box_source", {"weight", "predicted"}},
      {"activation", activation_names()},  // every name the engine's activations take
  };
  auto it = table.find(key);
  return it == table.end() ? nullptr : &it->second;
}

// Every element of an array of ints is an int (a tuple the user may edit).
bool int_tuple(const nlohmann::json& v) {
  if (!v.is_array() || v.empty() || v.size() > 4) return false;
  for (const auto& e : v)
    if (!e.is_number_integer()) return false;
  return true;
}

}  // namespace

void Ui::parameters(size_t i) {
  const LayerSlot& slot = ws_.slots()[i];
  ImGui::Text("%s", ws_.layer(i).label().c_str());
  const nlohmann::json config = slot.spec["config"];
  for (const auto& [key, value] : config.items()) {
    if (key == "name" || key == "trainable" || key == "dtype") continue;
    ImGui::PushID(key.c_str());
    const bool refused = slot.refused && slot.refused->key == key;
    // The value asked for stays in its field, so the user sees what was refused.
    parameter(i, key, refused ? slot.refused->value : value);
    if (refused) {
      error_text(slot.refused->message);
      if (ImGui::SmallButton(fmt::format("back to {}", value.dump()).c_str())) ws_.back_to_last_good();
    }
    ImGui::PopID();
  }
  if (slot.refused && slot.refused->key != "config" && !config.contains(slot.refused->key))
    error_text(slot.refused->message);
  config_editor(i);
  weights(i);
  fit_panel(i);
}

void Ui::parameter(size_t i, const std::string& key, const nlohmann::json& value) {
  if (value.is_boolean()) {
    bool b = value.get<bool>();
    if (ImGui::Checkbox(key.c_str(), &b)) ws_.set_parameter(i, key, b);
  } else if (value.is_number_integer()) {
    int v = value.get<int>();
    if (ImGui::InputInt(key.c_str(), &v)) ws_.set_parameter(i, key, v);
  } else if (value.is_number()) {
    float v = value.get<float>();
    if (ImGui::InputFloat(key.c_str(), &v, 0.5f)) ws_.set_parameter(i, key, v);
  } else if (value.is_string()) {
    const std::string current = value.get<std::string>();
    if (const auto* options = choices(key)) {
      if (ImGui::BeginCombo(key.c_str(), current.c_str())) {
        for (const auto& o : *options)
          if (ImGui::Selectable(o.c_str(), o == current)) ws_.set_parameter(i, key, o);
        ImGui::EndCombo();
      }
    } else {
      ImGui::Text("%s: %s", key.c_str(), current.c_str());
    }
  } else if (int_tuple(value)) {
    int v[4] = {0, 0, 0, 0};
    for (size_t k = 0; k < value.size(); ++k) v[k] = value[k].get<int>();
    if (ImGui::InputScalarN(key.c_str(), ImGuiDataType_S32, v, static_cast<int>(value.size())))
      ws_.set_parameter(i, key, std::vector<int>(v, v + value.size()));
  } else if (value.is_array() && !value.empty() && value[0].is_array() && value[0].size() == 2) {
    // (before, after) per axis: cropping and padding.
    for (size_t a = 0; a < value.size(); ++a) {
      int v[2] = {value[a][0].get<int>(), value[a][1].get<int>()};
      if (ImGui::InputInt2(fmt::format("{} axis {}", key, a).c_str(), v)) {
        nlohmann::json updated = value;
        updated[a] = {v[0], v[1]};
        ws_.set_parameter(i, key, updated);
      }
    }
  } else if (value.is_null() && key == "output_padding") {
    if (ImGui::Button("set output_padding"))
      ws_.set_parameter(i, key, std::vector<int>(static_cast<size_t>(ws_.layer(i).spatial_rank()), 0));
  } else {
    ImGui::Text("%s: %s", key.c_str(), value.dump().c_str());
  }
}

void Ui::config_editor(size_t i) {
  const LayerSlot& slot = ws_.slots()[i];
  // The config as Keras writes it, to edit as text: a key no Keras writes is refused here too.
  if (json_layer_ != i || json_spec_ != slot.spec) {
    json_layer_ = i, json_spec_ = slot.spec;
    json_text_ = slot.spec["config"].dump(2);
    json_error_.clear();
  }
  if (!ImGui::CollapsingHeader("Config as JSON")) return;
  ImGui::InputTextMultiline("##config", &json_text_, {-1, ImGui::GetTextLineHeight() * 12});
  if (ImGui::Button("Apply config")) {
    try {
      ws_.set_config(i, parse_json(json_text_, "the config"));
      json_error_.clear();
    } catch (const UserError& e) {
      json_error_ = e.what();
    }
  }
  if (!json_error_.empty()) error_text(json_error_);
  else if (slot.refused && slot.refused->key == "config") error_text(slot.refused->message);
}

void Ui::fit_panel(size_t i) {
  if (!ws_.layer(i).hints().fittable_box) return;
  if (!ImGui::CollapsingHeader("Fit the box", ImGuiTreeNodeFlags_DefaultOpen)) return;
  ImGui::InputFloat4("target y0 x0 h w", fit_target_, "%.0f");
  if (ImGui::Button("Fit on the GPU")) {
    try {
      ws_.start_fit(i, {fit_target_[0], fit_target_[1], fit_target_[2], fit_target_[3]}, 400);
      fit_error_.clear();
    } catch (const Error& e) {
      fit_error_ = e.what();
    }
  }
  if (!fit_error_.empty()) error_text(fit_error_);
  const auto& fit = ws_.fit();
  if (fit && fit->layer == i && fit->shown > 0) {
    const auto& b = fit->boxes[fit->shown - 1];
    ImGui::Text("step %zu/%zu  box (%.1f, %.1f, %.1f, %.1f)", fit->shown, fit->boxes.size(), b[0], b[1], b[2], b[3]);
    ImGui::PlotLines("loss", fit->losses.data(), static_cast<int>(fit->shown), 0, nullptr, 0.0f, FLT_MAX, {0, 60});
  }
}

}  // namespace convscope::gui
