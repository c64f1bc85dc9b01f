#include "toolkit/build/build_log.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "cache/atomic_file.h"
#include "toolkit/core/canonical_json.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

namespace fs = std::filesystem;

constexpr int kLogVersion = 1;

// Reads the log's JSON. Throws on anything unexpected.
std::map<std::string, BuildRecord> parse_records(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const Json root = Json::parse(in);
  if (root.at("log_version").get<int>() != kLogVersion) {
    throw std::runtime_error("log_version is not " + std::to_string(kLogVersion));
  }
  std::map<std::string, BuildRecord> records;
  for (const auto& [stem, node] : root.at("outputs").items()) {
    BuildRecord record;
    record.fingerprint = node.at("fingerprint").get<std::string>();
    record.parts = node.at("parts").get<std::map<std::string, std::string>>();
    // Nanosecond times do not fit a double's 53 bits: stored as text.
    record.output.size = node.at("size").get<int64_t>();
    record.output.mtime_ns = std::stoll(node.at("mtime_ns").get<std::string>());
    records[stem] = std::move(record);
  }
  return records;
}

}  // namespace

BuildLog load_build_log(const std::string& output_dir) {
  BuildLog log;
  log.path = (fs::path(output_dir) / ".trajtool-build.json").string();
  std::error_code ignored;
  if (!fs::exists(log.path, ignored)) return log;
  try {
    log.records = parse_records(log.path);
  } catch (const std::exception& e) {
    log.records.clear();
    log.problem = e.what();
  }
  return log;
}

void save_build_log(const BuildLog& log) {
  Json outputs = Json::object();
  for (const auto& [stem, record] : log.records) {
    outputs[stem] = {{"fingerprint", record.fingerprint},
                     {"parts", Json(record.parts)},
                     {"size", record.output.size},
                     {"mtime_ns", std::to_string(record.output.mtime_ns)}};
  }
  const std::string text =
      canonical_dump({{"log_version", kLogVersion}, {"outputs", std::move(outputs)}}) + "\n";
  TemporaryFile temporary{temporary_path(log.path)};
  {
    std::ofstream out(temporary.path, std::ios::binary);
    out << text;
    if (!out.flush()) throw RuntimeFailure(temporary.path + ": cannot write the build log");
  }
  commit_temporary(temporary.path, log.path);
  temporary.installed = true;
}

std::optional<FileStamp> file_stamp(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    throw RuntimeFailure(path + ": cannot stat: " + std::strerror(errno));
  }
  FileStamp stamp;
  stamp.size = static_cast<int64_t>(info.st_size);
  stamp.mtime_ns = static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
  return stamp;
}

std::string render_reason(const BuildRecord* recorded, const SceneFingerprint& now,
                          const std::optional<FileStamp>& output) {
  if (!recorded) return output ? "output not recorded" : "new";
  if (!output) return "output missing";
  std::string reason;
  if (recorded->fingerprint != now.combined) {
    std::string changed;
    for (const auto& [name, digest] : now.parts) {
      auto it = recorded->parts.find(name);
      if (it == recorded->parts.end() || it->second != digest) {
        changed += (changed.empty() ? "" : ", ") + name;
      }
    }
    reason = "input changed: " + (changed.empty() ? std::string("fingerprint") : changed);
  }
  if (output->size != recorded->output.size || output->mtime_ns != recorded->output.mtime_ns) {
    reason += (reason.empty() ? "" : "; ") + std::string("output modified");
  }
  return reason;
}

}  // namespace trajtool
