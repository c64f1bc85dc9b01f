#pragma once
// The build log of an output folder (<output>/.trajtool-build.json): for each video a build
// rendered, the fingerprint of its inputs and the size and modification time the video had when it
// was finished. The next build renders a video again when either differs (ninja's .ninja_log in
// spirit). A record is written only after its video is complete, so an interrupted build leaves
// nothing that a later build takes as done.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "toolkit/build/scene_fingerprint.h"

namespace trajtool {

// What is known about a file on disk without reading it.
struct FileStamp {
  int64_t size = 0;      // bytes
  int64_t mtime_ns = 0;  // modification time, nanoseconds since the epoch
};

// One rendered video.
struct BuildRecord {
  std::string fingerprint;                   // SceneFingerprint::combined it was rendered from
  std::map<std::string, std::string> parts;  // SceneFingerprint::parts, to say which one changed
  FileStamp output;                          // the video as the build left it
};

// The log of one output folder.
struct BuildLog {
  std::string path;                            // the log file
  std::map<std::string, BuildRecord> records;  // output stem -> its record
  std::string problem;  // why the file on disk could not be read ("" if it could or is absent)
};

// The log of `output_dir`: empty when there is none; empty with `problem` set when it cannot be
// read (every video is then rendered again).
BuildLog load_build_log(const std::string& output_dir);
// Writes the log atomically (temporary file, then rename). Throws RuntimeFailure.
void save_build_log(const BuildLog& log);

// The stamp of the file at `path`, or none when there is no file.
std::optional<FileStamp> file_stamp(const std::string& path);

// Why a video must be rendered, or "" when it is up to date: "new", "output not recorded",
// "output missing", "input changed: params, data", "output modified".
std::string render_reason(const BuildRecord* recorded, const SceneFingerprint& now,
                          const std::optional<FileStamp>& output);

}  // namespace trajtool
