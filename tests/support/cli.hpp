#pragma once
// Runs the built `leasecalc` command (LEASECALC_EXE) as a user would, with a standard input, and
// captures its standard output, standard error and exit code.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace leasecalc::test {

struct CliRun {
  int exit_code;
  std::string out, err;
};

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// `leasecalc ARGS < input`; ARGS is shell text, so quote paths.
inline CliRun run_leasecalc(const std::string& args, const std::string& input = "") {
  std::string dir_template = (std::filesystem::temp_directory_path() / "leasecalc-cli-XXXXXX").string();
  if (::mkdtemp(dir_template.data()) == nullptr) throw std::runtime_error("cannot make a temporary directory");
  const std::filesystem::path dir = dir_template;
  std::ofstream(dir / "in") << input;
  const std::string command = std::string("'") + LEASECALC_EXE + "' " + args + " <'" + (dir / "in").string() +
                              "' >'" + (dir / "out").string() + "' 2>'" + (dir / "err").string() + "'";
  const int status = std::system(command.c_str());
  CliRun run{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(dir / "out"), read_file(dir / "err")};
  std::filesystem::remove_all(dir);
  return run;
}

}  // namespace leasecalc::test
