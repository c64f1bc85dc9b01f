#pragma once
// Shared plumbing of the subcommands: parsing options with Boost.Program_options and turning its
// errors into InputError messages that name the command.
#include <boost/program_options.hpp>
#include <functional>
#include <string>
#include <vector>

namespace trajtool {

namespace po = boost::program_options;

// Parses `args` against `options` (and positional names, if any); `--help` prints usage and
// returns false. Unknown options or missing values throw InputError("trajtool <command>: ...").
bool parse_command_line(const std::string& command, const std::vector<std::string>& args,
                        const po::options_description& options,
                        const po::positional_options_description& positional,
                        po::variables_map& values);

// Runs a command at a process (or plugin) boundary: an InputError prints "error: ..." and gives
// exit code 2, any other exception prints the same way and gives 1.
int run_reporting_errors(const std::function<int()>& command);

// The cache root: --cache-dir if given, else default_cache_root().
std::string cache_root_option(const po::variables_map& values);

}  // namespace trajtool
