#include "toolkit/build/build_log.h"

#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

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

// Reads the log's JSON (a YAML subset, so yaml-cpp reads it). Throws on anything unexpected.
std::map<std::string, BuildRecord> parse_records(const std::string& path) {
  const YAML::Node root = YAML::LoadFile(path);
  if (root["log_version"].as<int>() != kLogVersion) {
    throw std::runtime_error("log_version is not " + std::to_string(kLogVersion));
  }
  std::map<std::string, BuildRecord> records;
  for (const auto& item : root["outputs"]) {
    const YAML::Node& node = item.second;
    BuildRecord record;
    record.fingerprint = node["fingerprint"].as<std::string>();
    for (const auto& part : node["parts"]) {
      record.parts[part.first.as<std::string>()] = part.second.as<std::string>();
    }
    // Nanosecond times do not fit a double's 53 bits: stored as text.
    record.output.size = node["size"].as<int64_t>();
    record.output.mtime_ns = std::stoll(node["mtime_ns"].as<std::string>());
    records[item.first.as<std::string>()] = std::move(record);
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
    Json parts = Json::object();
    for (const auto& [name, digest] : record.parts) parts.set(name, Json::string(digest));
    outputs.set(stem, Json::object()
                          .set("fingerprint", Json::string(record.fingerprint))
                          .set("parts", std::move(parts))
                          .set("size", Json::number(static_cast<double>(record.output.size)))
                          .set("mtime_ns", Json::string(std::to_string(record.output.mtime_ns))));
  }
  const std::string text =
      Json::object().set("log_version", Json::number(kLogVersion)).set("outputs", outputs).dump() +
      "\n";
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
