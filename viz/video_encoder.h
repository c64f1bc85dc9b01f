#pragma once
// Frames in, a video file out: H.264 in MP4 (yuv420p, +faststart) or an animated GIF, chosen by the
// file extension. Frames are Cairo ARGB32 pixels (native-endian uint32, i.e. BGRA bytes in memory
// on this little-endian machine). The output appears at its path only when finish() succeeds: it
// is written under a temporary name and renamed.
#include <cstdint>
#include <memory>
#include <string>

namespace trajtool {

// x264 worker threads when the encoder shares 2 cores with a drawing thread (measured: see
// video_encoder.cc).
constexpr int kDefaultEncoderThreads = 2;

struct Quality {
  std::string preset = "veryfast";       // x264 preset (ultrafast ... veryslow)
  int crf = 20;                          // x264 constant rate factor (0 lossless, 51 worst)
  int threads = kDefaultEncoderThreads;  // x264 threads; 0 lets x264 choose (1.5 x cores)
};

enum class VideoContainer { mp4, gif };

// ".mp4" (also ".m4v", ".mov") -> mp4, ".gif" -> gif; throws InputError for anything else.
VideoContainer container_for_path(const std::string& path);

class VideoEncoder {
 public:
  VideoEncoder();
  ~VideoEncoder();  // an unfinished output is abandoned: its temporary file is deleted
  VideoEncoder(const VideoEncoder&) = delete;
  VideoEncoder& operator=(const VideoEncoder&) = delete;

  // Starts `path` (format from its extension) at `fps` frames a second. Width and height must be
  // even for MP4. Throws RuntimeFailure naming the file and the FFmpeg error; nothing is left on
  // disk then.
  void open(const std::string& path, int width, int height, int fps, const Quality& quality = {});
  // Converts and encodes one frame of width x height BGRA pixels, rows `stride` bytes apart.
  void push_frame(const uint8_t* bgra, int stride);
  // Encodes the previous frame once more (no conversion): for frames where nothing changed.
  void repeat_frame();
  // Flushes the encoder, writes the index and moves the file to its final path.
  void finish();
  // Frames pushed or repeated so far.
  int64_t frames() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace trajtool
