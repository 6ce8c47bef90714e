#pragma once
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>  // environ, getpid

namespace evs::test {

inline std::string source_path(const std::string& relative) { return std::string(EVSWEEP_SOURCE_DIR) + "/" + relative; }

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs a shell command, capturing stdout and stderr separately.
inline CommandResult run_command(const std::string& command) {
  const std::string err_file = std::filesystem::temp_directory_path() / ("evsweep_test_err_" + std::to_string(::getpid()));
  CommandResult r;
  FILE* pipe = ::popen((command + " 2>" + err_file).c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (FILE* f = std::fopen(err_file.c_str(), "r")) {
    while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) r.err.append(buf.data(), n);
    std::fclose(f);
  }
  std::filesystem::remove(err_file);
  return r;
}

inline std::string evsweep(const std::string& args) { return std::string(EVSWEEP_BINARY) + " " + args; }

// "mpiexec ... -np N" for a nested launch: the test process is itself an MPI singleton,
// and the OMPI_/PMIX_ variables it inherited would make a child mpirun fail.
inline std::string mpiexec(int np) {
  std::string prefix = "env";
  for (char** e = environ; *e; ++e) {
    const std::string var(*e);
    const std::string name = var.substr(0, var.find('='));
    if ((name.rfind("OMPI_", 0) == 0 || name.rfind("PMIX_", 0) == 0 || name.rfind("OPAL_", 0) == 0) &&
        name.rfind("OMPI_ALLOW_RUN_AS_ROOT", 0) != 0)
      prefix += " -u " + name;
  }
  return prefix + " " + EVSWEEP_MPIEXEC + " -np " + std::to_string(np) + " ";
}

// True when one of the error lines contains fragment.
inline bool has(const std::vector<std::string>& errors, const std::string& fragment) {
  for (const auto& e : errors)
    if (e.find(fragment) != std::string::npos) return true;
  return false;
}

}  // namespace evs::test
