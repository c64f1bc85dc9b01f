#include "tests/viz/test_util.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace trajtool::test {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "viz_test_XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string run(const std::string& command, int* status) {
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed: " + command);
  std::string out;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  const int rc = pclose(pipe);
  if (status) *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

std::map<std::string, std::string> probe(const std::string& path) {
  const std::string out =
      run("ffprobe -v error -count_frames -select_streams v:0 -show_entries "
          "stream=codec_name,pix_fmt,width,height,nb_read_frames:format=duration,format_name "
          "-of default=noprint_wrappers=1 '" +
          path + "' 2>/dev/null");
  std::map<std::string, std::string> fields;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    const size_t eq = line.find('=');
    if (eq != std::string::npos) fields[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return fields;
}

std::string extract_frame(const std::string& video, int index) {
  const std::string png = video + ".frame" + std::to_string(index) + ".png";
  int status = 0;
  run("ffmpeg -v error -y -i '" + video + "' -vf 'select=eq(n\\," + std::to_string(index) +
          ")' -frames:v 1 '" + png + "' 2>&1",
      &status);
  if (status != 0) throw std::runtime_error("ffmpeg could not extract a frame of " + video);
  return png;
}

cairo_surface_t* load_png(const std::string& path) {
  cairo_surface_t* s = cairo_image_surface_create_from_png(path.c_str());
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(s);
    throw std::runtime_error("cannot read " + path);
  }
  return s;
}

Pixel pixel_at(cairo_surface_t* image, int x, int y) {
  cairo_surface_flush(image);
  const unsigned char* data = cairo_image_surface_get_data(image);
  const int stride = cairo_image_surface_get_stride(image);
  uint32_t v = 0;
  std::memcpy(&v, data + y * stride + x * 4, 4);  // native-endian ARGB (opaque here)
  return {static_cast<int>((v >> 16) & 0xff), static_cast<int>((v >> 8) & 0xff),
          static_cast<int>(v & 0xff)};
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace trajtool::test
