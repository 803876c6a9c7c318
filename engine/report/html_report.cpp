#include "report/html_report.h"

#include "io/atomic_file.h"

#include <fmt/format.h>

#include <fstream>
#include <random>
#include <string_view>
#include <system_error>

#include "core/error.h"
#include "core/format.h"

namespace convscope {

namespace {

namespace fs = std::filesystem;

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// A relative path as a URL: spaces, '#', '?' and non-ASCII bytes would otherwise cut the
// link short or be read as a fragment. Backslashes become '/' so Windows paths still work.
std::string url_path(std::string_view path) {
  std::string out;
  for (char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\\') out += '/';
    else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             std::string_view("-._~/").find(ch) != std::string_view::npos)
      out += ch;
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string range_text(const ReportLayer& l) {
  return l.image.empty() ? "&ndash;" : fmt::format("{} &hellip; {}", short_number(l.lo), short_number(l.hi));
}

constexpr std::string_view kStyle = R"(
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; margin-bottom: .2em; }
h2 { font-size: 1.15em; margin: 2em 0 .4em; }
h2 .type { color: #666; font-weight: normal; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; }
dl.facts dt { color: #666; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { padding: .25em .8em; border-bottom: 1px solid #ddd; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tfoot td { font-weight: bold; border-bottom: none; }
code { font-size: .95em; }
figure { margin: .5em 0 1.5em; }
img { max-width: 100%; height: auto; image-rendering: pixelated;
      background: #181818; border: 1px solid #ccc; }
figcaption { color: #555; font-size: .9em; margin-top: .3em; }
.notices { background: #fff8e1; border-left: 4px solid #f0b400; padding: .5em 1em .5em 2em; }
)";

void append_header(std::string& html, const Report& r) {
  html += fmt::format("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
                      escape(r.title), kStyle, escape(r.title));
  html += "<dl class=\"facts\">\n";
  auto fact = [&](std::string_view label, const std::string& value) {
    if (!value.empty()) html += fmt::format("<dt>{}</dt><dd>{}</dd>\n", label, escape(value));
  };
  fact("Model", r.model_name);
  fact("Device", r.device);
  fact("Input shape", r.input_shape);
  fact("Parameters", thousands(r.total_params));
  html += "</dl>\n";
  if (!r.notices.empty()) {
    html += "<ul class=\"notices\">\n";
    for (const std::string& n : r.notices) html += fmt::format("<li>{}</li>\n", escape(n));
    html += "</ul>\n";
  }
  if (!r.input_image.empty())
    html += fmt::format("<figure><img src=\"{}\" alt=\"input image\"><figcaption>Input image, {}</figcaption></figure>\n",
                        url_path(r.input_image), escape(r.input_shape));
}

void append_summary(std::string& html, const Report& r) {
  html += "<table>\n<thead><tr><th>#</th><th>Layer</th><th>Type</th><th>Output shape</th>"
          "<th class=\"num\">Params</th><th>Value range</th></tr></thead>\n<tbody>\n";
  for (size_t i = 0; i < r.layers.size(); ++i) {
    const ReportLayer& l = r.layers[i];
    html += fmt::format("<tr><td class=\"num\">{}</td><td><a href=\"#layer-{}\">{}</a></td><td>{}</td>"
                        "<td><code>{}</code></td><td class=\"num\">{}</td><td>{}</td></tr>\n",
                        i, i, escape(l.name), escape(l.class_name), escape(l.output_shape), thousands(l.params),
                        range_text(l));
  }
  html += fmt::format("</tbody>\n<tfoot><tr><td></td><td>Total</td><td></td><td></td><td class=\"num\">{}</td>"
                      "<td></td></tr></tfoot>\n</table>\n", thousands(r.total_params));
}

void append_layer(std::string& html, const ReportLayer& l, size_t index) {
  html += fmt::format("<section id=\"layer-{}\">\n<h2>{} <span class=\"type\">{}</span></h2>\n", index,
                      escape(l.name), escape(l.class_name));
  std::string caption = fmt::format("Output <code>{}</code>", escape(l.output_shape));
  if (!l.image.empty()) caption += fmt::format(", colours span {}", range_text(l));
  if (!l.npy.empty()) caption += fmt::format(", activations in <a href=\"{}\">{}</a>", url_path(l.npy), escape(l.npy));
  if (l.image.empty())
    html += fmt::format("<p>{}</p>\n", caption);
  else
    html += fmt::format("<figure><img src=\"{}\" alt=\"feature maps of {}\" loading=\"lazy\">"
                        "<figcaption>{}</figcaption></figure>\n", url_path(l.image), escape(l.name), caption);
  if (!l.notes.empty()) {
    html += "<ul>\n";
    for (const std::string& n : l.notes) html += fmt::format("<li>{}</li>\n", escape(n));
    html += "</ul>\n";
  }
  html += "</section>\n";
}

}  // namespace

void write_html_report(const fs::path& path, const Report& report) {
  std::string html;
  append_header(html, report);
  append_summary(html, report);
  for (size_t i = 0; i < report.layers.size(); ++i) append_layer(html, report.layers[i], i);
  html += "</body>\n</html>\n";
  write_file_atomically(path, html, "the HTML report");
}

}  // namespace convscope
