#include "toolkit/cli/command_line.h"

#include <cstdio>
#include <iostream>

#include "cache/cache_store.h"
#include "toolkit/core/error.h"

namespace trajtool {

bool parse_command_line(const std::string& command, const std::vector<std::string>& args,
                        const po::options_description& options,
                        const po::positional_options_description& positional,
                        po::variables_map& values) {
  po::options_description all = options;
  all.add_options()("help,h", "show this help");
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), values);
    if (values.count("help")) {
      std::cout << "usage: trajtool " << command << " [options]\n" << all;
      return false;
    }
    po::notify(values);
  } catch (const po::error& e) {
    throw InputError("trajtool " + command + ": " + e.what() + " (see trajtool " + command +
                     " --help)");
  }
  return true;
}

int run_reporting_errors(const std::function<int()>& command) {
  try {
    return command();
  } catch (const InputError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}

std::string cache_root_option(const po::variables_map& values) {
  // As given: CacheStore makes it absolute and normal.
  return values.count("cache-dir") ? values["cache-dir"].as<std::string>() : default_cache_root();
}

}  // namespace trajtool
