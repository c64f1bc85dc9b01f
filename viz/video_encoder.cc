#include "viz/video_encoder.h"

#include "viz/yuv_convert.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/dict.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <iterator>
#include <mutex>

#include "toolkit/config/quality_preset.h"
#include "toolkit/core/error.h"

// Thread count (kDefaultEncoderThreads = 2), measured with the disabled VizBench test on the
// 2-core machine (busy with other builds, so figures are noisy): x264 veryfast at 1280x720 costs
// ~6.7 ms CPU per frame (conversion included) while drawing a typical frame costs ~1.2 ms, so the
// render is encode-bound. Full renders ran 94 / 132 / 91 / 123 fps with 1 / 2 / 3 / auto threads:
// two x264 threads use the core the drawing thread leaves idle.

namespace trajtool {
namespace {

std::string av_error_text(int code) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(code, buf, sizeof buf);
  return buf;
}

std::string lower_extension(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  const size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string ext = path.substr(dot);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

void quiet_ffmpeg_once() {
  static std::once_flag flag;
  std::call_once(flag, [] { av_log_set_level(AV_LOG_ERROR); });
}

}  // namespace

VideoContainer container_for_path(const std::string& path) {
  const std::string ext = lower_extension(path);
  if (ext == ".mp4" || ext == ".m4v" || ext == ".mov") return VideoContainer::mp4;
  if (ext == ".gif") return VideoContainer::gif;
  throw InputError("video \"" + path + "\": unknown extension \"" + ext +
                   "\" (expected .mp4 or .gif)");
}

struct VideoEncoder::Impl {
  std::string path;       // final output path
  std::string temp_path;  // where the file is written until finish()
  AVFormatContext* format = nullptr;
  AVCodecContext* codec = nullptr;
  AVStream* stream = nullptr;
  AVFrame* frame = nullptr;
  AVPacket* packet = nullptr;
  SwsContext* sws = nullptr;
  int width = 0;
  int height = 0;
  int64_t next_pts = 0;
  bool file_open = false;   // temp_path exists on disk
  bool have_frame = false;  // `frame` holds a converted picture

  ~Impl() { release(true); }

  [[noreturn]] void fail(const std::string& what, int code) {
    const std::string message =
        "video \"" + path + "\": " + what + (code < 0 ? ": " + av_error_text(code) : "");
    release(true);
    throw RuntimeFailure(message);
  }

  void release(bool remove_temp) {
    if (sws) sws_freeContext(sws);
    sws = nullptr;
    av_frame_free(&frame);
    av_packet_free(&packet);
    avcodec_free_context(&codec);
    if (format) {
      if (format->pb) avio_closep(&format->pb);
      avformat_free_context(format);
      format = nullptr;
    }
    stream = nullptr;
    if (file_open && remove_temp) std::remove(temp_path.c_str());
    file_open = false;
    have_frame = false;
  }

  void drain() {
    for (;;) {
      int rc = avcodec_receive_packet(codec, packet);
      if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
      if (rc < 0) fail("encoding failed", rc);
      if (packet->duration == 0) packet->duration = 1;  // one frame, in the codec's time base
      av_packet_rescale_ts(packet, codec->time_base, stream->time_base);
      packet->stream_index = stream->index;
      rc = av_interleaved_write_frame(format, packet);  // takes the packet's data
      if (rc < 0) fail("cannot write a frame", rc);
    }
  }

  void send_current() {
    frame->pts = next_pts++;
    const int rc = avcodec_send_frame(codec, frame);
    if (rc < 0) fail("encoding failed", rc);
    drain();
  }
};

VideoEncoder::VideoEncoder() : impl_(std::make_unique<Impl>()) {}
VideoEncoder::~VideoEncoder() = default;

void VideoEncoder::open(const std::string& path, int width, int height, int fps,
                        const Quality& quality) {
  quiet_ffmpeg_once();
  impl_->release(true);
  Impl& m = *impl_;
  m.path = path;
  m.temp_path = path + ".part";
  m.width = width;
  m.height = height;
  m.next_pts = 0;
  const VideoContainer container = container_for_path(path);
  const bool mp4 = container == VideoContainer::mp4;
  if (width <= 0 || height <= 0 || fps <= 0) {
    m.fail("bad size " + std::to_string(width) + "x" + std::to_string(height) + " at " +
               std::to_string(fps) + " fps",
           0);
  }
  if (mp4 && (width % 2 != 0 || height % 2 != 0)) {
    m.fail("H.264 yuv420p needs an even width and height, got " + std::to_string(width) + "x" +
               std::to_string(height),
           0);
  }

  int rc =
      avformat_alloc_output_context2(&m.format, nullptr, mp4 ? "mp4" : "gif", m.temp_path.c_str());
  if (rc < 0) m.fail("cannot create the container", rc);
  const AVCodec* encoder =
      mp4 ? avcodec_find_encoder_by_name("libx264") : avcodec_find_encoder(AV_CODEC_ID_GIF);
  if (!encoder) m.fail(mp4 ? "FFmpeg has no libx264 encoder" : "FFmpeg has no GIF encoder", 0);
  m.codec = avcodec_alloc_context3(encoder);
  if (!m.codec) m.fail("out of memory", AVERROR(ENOMEM));
  m.codec->width = width;
  m.codec->height = height;
  m.codec->time_base = AVRational{1, fps};
  m.codec->framerate = AVRational{fps, 1};
  m.codec->pix_fmt = mp4 ? AV_PIX_FMT_YUV420P : AV_PIX_FMT_RGB8;
  if (m.format->oformat->flags & AVFMT_GLOBALHEADER) {
    m.codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  }
  if (mp4 && !is_x264_preset(quality.preset)) {
    m.fail("unknown x264 preset \"" + quality.preset + "\" (ultrafast ... veryslow)", 0);
  }
  if (mp4) {
    m.codec->thread_count = std::max(0, quality.threads);
    rc = av_opt_set(m.codec->priv_data, "preset", quality.preset.c_str(), 0);
    if (rc < 0) m.fail("bad x264 preset \"" + quality.preset + "\"", rc);
    rc = av_opt_set_double(m.codec->priv_data, "crf", quality.crf, 0);
    if (rc < 0) m.fail("bad x264 crf " + std::to_string(quality.crf), rc);
  }
  rc = avcodec_open2(m.codec, encoder, nullptr);
  if (rc < 0) m.fail("cannot open the encoder", rc);

  m.stream = avformat_new_stream(m.format, nullptr);
  if (!m.stream) m.fail("out of memory", AVERROR(ENOMEM));
  m.stream->time_base = m.codec->time_base;
  m.stream->avg_frame_rate = m.codec->framerate;
  rc = avcodec_parameters_from_context(m.stream->codecpar, m.codec);
  if (rc < 0) m.fail("cannot set the stream parameters", rc);

  m.frame = av_frame_alloc();
  m.packet = av_packet_alloc();
  if (!m.frame || !m.packet) m.fail("out of memory", AVERROR(ENOMEM));
  m.frame->format = m.codec->pix_fmt;
  m.frame->width = width;
  m.frame->height = height;
  rc = av_frame_get_buffer(m.frame, 0);
  if (rc < 0) m.fail("cannot allocate a frame", rc);
  if (!mp4) {  // H.264's planes come from bgra_to_yuv420p; GIF's palette from swscale
    m.sws = sws_getContext(width, height, AV_PIX_FMT_BGRA, width, height, m.codec->pix_fmt,
                           SWS_POINT, nullptr, nullptr, nullptr);
    if (!m.sws) m.fail("cannot convert BGRA pixels", 0);
  }

  rc = avio_open(&m.format->pb, m.temp_path.c_str(), AVIO_FLAG_WRITE);
  if (rc < 0) m.fail("cannot open \"" + m.temp_path + "\" for writing", rc);
  m.file_open = true;
  AVDictionary* options = nullptr;
  if (mp4) av_dict_set(&options, "movflags", "+faststart", 0);
  rc = avformat_write_header(m.format, &options);
  av_dict_free(&options);
  if (rc < 0) m.fail("cannot write the header", rc);
}

void VideoEncoder::push_frame(const uint8_t* bgra, int stride) {
  Impl& m = *impl_;
  if (!m.codec) throw RuntimeFailure("video \"" + m.path + "\": push_frame() before open()");
  int rc = av_frame_make_writable(m.frame);  // the encoder may still hold the previous picture
  if (rc < 0) m.fail("cannot allocate a frame", rc);
  if (m.codec->pix_fmt == AV_PIX_FMT_YUV420P) {
    bgra_to_yuv420p(bgra, stride, m.width, m.height, m.frame->data[0], m.frame->linesize[0],
                    m.frame->data[1], m.frame->linesize[1], m.frame->data[2], m.frame->linesize[2]);
  } else {  // GIF's palette: swscale dithers to RGB8
    const uint8_t* src[4] = {bgra, nullptr, nullptr, nullptr};
    const int src_stride[4] = {stride, 0, 0, 0};
    sws_scale(m.sws, src, src_stride, 0, m.height, m.frame->data, m.frame->linesize);
  }
  m.have_frame = true;
  m.send_current();
}

void VideoEncoder::repeat_frame() {
  Impl& m = *impl_;
  if (!m.have_frame) {
    throw RuntimeFailure("video \"" + m.path + "\": repeat_frame() before any frame");
  }
  m.send_current();
}

void VideoEncoder::finish() {
  Impl& m = *impl_;
  if (!m.codec) throw RuntimeFailure("video \"" + m.path + "\": finish() before open()");
  int rc = avcodec_send_frame(m.codec, nullptr);
  if (rc < 0) m.fail("cannot flush the encoder", rc);
  m.drain();
  rc = av_write_trailer(m.format);
  if (rc < 0) m.fail("cannot write the index", rc);
  rc = avio_closep(&m.format->pb);
  if (rc < 0) m.fail("cannot close the file", rc);
  if (std::rename(m.temp_path.c_str(), m.path.c_str()) != 0) {
    m.fail("cannot rename \"" + m.temp_path + "\" to the final path", AVERROR(errno));
  }
  m.file_open = false;
  m.release(false);
}

int64_t VideoEncoder::frames() const { return impl_->next_pts; }

}  // namespace trajtool
