#pragma once
// Runs the convscope executable the way a user would, capturing exit code and output.
#include <filesystem>
#include <string>

namespace convscope::test {

struct CliResult {
  int exit_code = -1;
  std::string out, err;
};

// `args` is appended to the binary's path as shell words (quote paths yourself).
CliResult run_cli(const std::string& args);
// The same with a command in front (e.g. xvfb-run for the desktop app).
CliResult run_cli_with_prefix(const std::string& prefix, const std::string& args);

// A fresh empty directory under the system temp folder, unique to this test process.
std::filesystem::path scratch_dir(const std::string& name);

std::string quoted(const std::filesystem::path& p);

// Writes `text` to `p` as it is (bytes included) and returns `p`.
std::filesystem::path write_text(const std::filesystem::path& p, const std::string& text);
// Exit code 2 and, after any notes and warnings, exactly one line on stderr, starting the way
// every convscope error does and containing `words`.
void require_one_line_error(const CliResult& r, const std::string& words);
// The same for a failure that is not the input's fault (the device's, say): exit code 1.
void require_one_line_failure(const CliResult& r, const std::string& words);

}  // namespace convscope::test
