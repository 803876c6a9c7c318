#include "cli_run.h"

#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace convscope::test {

namespace fs = std::filesystem;

namespace {
std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

std::filesystem::path scratch_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("convscope-test-" + std::to_string(getpid())) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string quoted(const std::filesystem::path& p) { return fmt::format("'{}'", p.string()); }

CliResult run_cli(const std::string& args) { return run_cli_with_prefix("", args); }

CliResult run_cli_with_prefix(const std::string& prefix, const std::string& args) {
  const auto dir = scratch_dir("cli-output");
  const auto out = dir / "stdout", err = dir / "stderr";
  // Validation on, as in every GPU test: the CLI exits 1 if the layer says anything.
  const std::string command = fmt::format("CONVSCOPE_VALIDATION=1 {} {} {} >{} 2>{} </dev/null", prefix,
                                          quoted(CONVSCOPE_BINARY), args, quoted(out), quoted(err));
  const int status = std::system(command.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

fs::path write_text(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

namespace {

// Notes and warnings may come first (no weights given, say); then the error, in one line.
void require_one_line(const CliResult& r, int exit_code, const std::string& start, const std::string& words) {
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == exit_code);
  std::string error = r.err;
  while (error.rfind("convscope: note: ", 0) == 0 || error.rfind("convscope: warning: ", 0) == 0)
    error.erase(0, error.find('\n') + 1);
  CHECK(error.rfind(start, 0) == 0);
  CHECK(std::count(error.begin(), error.end(), '\n') == 1);
  CHECK(error.find(words) != std::string::npos);
}

}  // namespace

void require_one_line_error(const CliResult& r, const std::string& words) {
  require_one_line(r, 2, "convscope: error: ", words);
}

void require_one_line_failure(const CliResult& r, const std::string& words) {
  require_one_line(r, 1, "convscope: failed: ", words);
}

}  // namespace convscope::test
