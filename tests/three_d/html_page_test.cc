// The interactive page in a real browser: Debian's Chromium, headless (SwiftShader's WebGL), with
// every host name unresolvable so that any network request would fail. The page loads with no
// error, holds the surface and one trace per run, and its screenshot shows a plot (plot-area
// pixels unlike the background).
#include <cairo.h>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <vector>

#include "objectives/objective.h"
#include "toolkit/config/scene_script_reader.h"
#include "viz/web/interactive_page.h"

namespace trajtool {
namespace {

namespace fs = std::filesystem;

RunData straight_run(const std::string& label, const std::string& color, double end_y,
                     std::shared_ptr<const LossGrid> grid) {
  RunData run;
  run.spec.label = label;
  run.spec.color = color;
  run.spec.objective.name = "rosenbrock";
  apply_objective_defaults(run.spec.objective);
  run.spec.optimizer.name = "adam";
  run.spec.start.point = {-1.5, 2.0};
  run.spec.steps = 40;
  Trajectory& t = run.trajectory;
  t.rows = 41;
  for (int64_t r = 0; r < t.rows; ++r) {
    const double s = static_cast<double>(r) / 40.0;
    double x = -1.5 + 2.5 * s, y = 2.0 + (end_y - 2.0) * s;
    t.params.push_back(x);
    t.params.push_back(y);
    double f = 0;
    evaluate_objective(run.spec.objective, &x, &y, &f, 1);
    t.loss.push_back(f);
  }
  run.grid = std::move(grid);
  return run;
}

std::string command_output(const std::string& command) {
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return out;
  std::array<char, 4096> buffer;
  std::size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe.get())) > 0) out.append(buffer.data(), n);
  return out;
}

// Chromium as STACK.md gives it: SwiftShader WebGL, no network, console on stderr.
std::string chromium(const std::string& args) {
  return command_output(
      "chromium --headless=new --no-sandbox --use-gl=swiftshader --enable-unsafe-swiftshader "
      "--window-size=1280,800 --virtual-time-budget=8000 --host-resolver-rules='MAP * ~NOTFOUND' "
      "--enable-logging=stderr --v=0 " +
      args + " 2>&1");
}

TEST(InteractivePage, LoadsInChromiumWithTheSurfaceAndOneTracePerRun) {
  ObjectiveSpec rosenbrock;
  rosenbrock.name = "rosenbrock";
  apply_objective_defaults(rosenbrock);
  auto grid = std::make_shared<LossGrid>(compute_loss_grid(rosenbrock, 80, 80));
  ExperimentData e;
  e.name = "pages";
  e.source_path = "pages.yaml";
  e.runs.push_back(straight_run("First", "#ff2020", 1.0, grid));
  e.runs.push_back(straight_run("Second", "#20a0ff", 0.0, grid));
  SceneData data;
  data.experiments.push_back(e);
  const SceneScript script = parse_scene_script(
      "experiments: {main: pages.yaml}\nsections:\n  - name: one\n    blocks:\n"
      "      - title: {text: \"Page of {objective}\"}\n      - camera: {}\n"
      "      - surface: {experiment: main, z: log}\n",
      "scenes/Page.yaml");
  const InteractivePage page = page_of_scene(script, data);
  EXPECT_EQ(page.title, "Page of Rosenbrock");
  ASSERT_EQ(page.runs.size(), 2u);
  const std::string html = page_html(page, plotly_js_source());
  // Self-contained: nothing is fetched by a tag.
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);

  const fs::path dir = fs::temp_directory_path() / ("trajtool_page_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path file = dir / "page.html";
  write_page(file.string(), html);

  const fs::path net_log = dir / "net.json";
  const std::string dom =
      chromium("--log-net-log=" + net_log.string() + " --dump-dom file://" + file.string());
  // No request left the machine: every URL in Chromium's network log is the page's own file or
  // the browser's own service traffic (update and account checks to Google's hosts, which every
  // headless start makes and which fail here too).
  std::ifstream log_in(net_log);
  std::stringstream log_text;
  log_text << log_in.rdbuf();
  const std::string log = log_text.str();
  ASSERT_FALSE(log.empty()) << "no network log";
  const std::regex url_pattern("\"url\":\"([a-z]+)://([^/\"]*)[^\"]*\"");
  const std::regex browser_hosts("(.*\\.)?(google\\.com|googleapis\\.com|gvt1\\.com)(:[0-9]+)?");
  for (auto it = std::sregex_iterator(log.begin(), log.end(), url_pattern);
       it != std::sregex_iterator(); ++it) {
    const std::string scheme = (*it)[1], host = (*it)[2];
    if (scheme == "file" || scheme == "data" || scheme == "blob") continue;
    EXPECT_TRUE(std::regex_match(host, browser_hosts))
        << "the page asked the network: " << it->str();
  }
  // No page error, no failed request (every one would fail: no host resolves), no uncaught error.
  std::smatch errors;
  ASSERT_TRUE(std::regex_search(dom, errors, std::regex("data-errors=\"([^\"]*)\"")))
      << dom.substr(0, 2000);
  EXPECT_EQ(errors[1].str(), "[]");
  EXPECT_EQ(dom.find("net::ERR"), std::string::npos);
  EXPECT_EQ(dom.find("Uncaught"), std::string::npos);
  // The traces plotly made: the surface and one scatter3d line per run (plus start and minimum).
  std::smatch traces;
  ASSERT_TRUE(std::regex_search(dom, traces, std::regex("data-traces=\"([^\"]*)\"")))
      << "plotly did not finish drawing";
  const std::string list = std::regex_replace(traces[1].str(), std::regex("&quot;"), "\"");
  auto count = [&list](const std::string& part) {
    int n = 0;
    for (auto at = list.find(part); at != std::string::npos; at = list.find(part, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("{\"type\":\"surface\""), 1) << list;
  EXPECT_EQ(count("\"name\":\"First\""), 1) << list;
  EXPECT_EQ(count("\"name\":\"Second\""), 1) << list;
  EXPECT_EQ(count("{\"type\":\"scatter3d\""), 4) << list;  // 2 runs, start, minimum

  const fs::path shot = dir / "shot.png";
  chromium("--screenshot=" + shot.string() + " file://" + file.string());
  cairo_surface_t* image = cairo_image_surface_create_from_png(shot.c_str());
  ASSERT_EQ(cairo_surface_status(image), CAIRO_STATUS_SUCCESS);
  const int w = cairo_image_surface_get_width(image), h = cairo_image_surface_get_height(image);
  const int stride = cairo_image_surface_get_stride(image);
  const unsigned char* pixels = cairo_image_surface_get_data(image);
  // The plot area (below the heading, above the controls): the page's background is #0f0f14.
  int unlike = 0, total = 0;
  for (int y = 160; y < h - 120; ++y) {
    for (int x = 0; x < w; ++x) {
      const uint32_t v = reinterpret_cast<const uint32_t*>(pixels + y * stride)[x];
      const int r = (v >> 16) & 0xff, g = (v >> 8) & 0xff, b = v & 0xff;
      unlike += std::abs(r - 15) + std::abs(g - 15) + std::abs(b - 20) > 40;
      ++total;
    }
  }
  cairo_surface_destroy(image);
  EXPECT_GT(unlike, total / 20) << unlike << " of " << total
                                << " plot-area pixels unlike the background";
  fs::remove_all(dir);
}

// A page loaded in Chromium: its recorded errors, its traces ("type:name" each), and the share of
// plot-area pixels of its screenshot unlike the page's background.
struct LoadedPage {
  std::string errors;
  std::vector<std::string> traces;
  double unlike = 0;
};

LoadedPage load_page(const std::string& html, const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("trajtool_" + name + "_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path file = dir / "page.html";
  write_page(file.string(), html);
  LoadedPage out;
  const std::string dom = chromium("--dump-dom file://" + file.string());
  std::smatch m;
  if (std::regex_search(dom, m, std::regex("data-errors=\"([^\"]*)\""))) out.errors = m[1];
  if (std::regex_search(dom, m, std::regex("data-traces=\"([^\"]*)\""))) {
    const std::string list = std::regex_replace(m[1].str(), std::regex("&quot;"), "\"");
    const std::regex trace("\\{\"type\":\"([^\"]*)\",\"name\":\"([^\"]*)\"\\}");
    for (auto it = std::sregex_iterator(list.begin(), list.end(), trace);
         it != std::sregex_iterator(); ++it) {
      out.traces.push_back((*it)[1].str() + ":" + (*it)[2].str());
    }
  }
  const fs::path shot = dir / "shot.png";
  chromium("--screenshot=" + shot.string() + " file://" + file.string());
  cairo_surface_t* image = cairo_image_surface_create_from_png(shot.c_str());
  if (cairo_surface_status(image) == CAIRO_STATUS_SUCCESS) {
    const int w = cairo_image_surface_get_width(image), h = cairo_image_surface_get_height(image);
    const int stride = cairo_image_surface_get_stride(image);
    const unsigned char* pixels = cairo_image_surface_get_data(image);
    int unlike = 0, total = 0;
    for (int y = 160; y < h - 120; ++y) {
      for (int x = 0; x < w - 120; ++x) {  // left of a colour bar
        const uint32_t v = reinterpret_cast<const uint32_t*>(pixels + y * stride)[x];
        const int r = (v >> 16) & 0xff, g = (v >> 8) & 0xff, b = v & 0xff;
        unlike += std::abs(r - 15) + std::abs(g - 15) + std::abs(b - 20) > 40;
        ++total;
      }
    }
    out.unlike = static_cast<double>(unlike) / total;
  }
  cairo_surface_destroy(image);
  fs::remove_all(dir);
  return out;
}

TEST(InteractivePage, AGradientSurfaceSceneHasOneSurfacePerRun) {
  // Two trained runs of a 3-layer model, norms falling towards the input in the first.
  auto model = [](const std::string& label, const std::string& color, double scale) {
    TrainingData run;
    run.spec.label = label;
    run.spec.color = color;
    TrainingRecord& r = run.record;
    r.rows = r.steps = 80;
    for (int l = 0; l < 3; ++l) {
      ParameterSteps p;
      p.name = std::to_string(2 * l) + ".weight";
      for (int t = 0; t < 80; ++t) p.grad_norm.push_back(std::pow(scale, 2 - l) * (1 + 0.01 * t));
      p.weight_norm = p.update_ratio = p.grad_norm;
      r.parameters.push_back(p);
    }
    return run;
  };
  ExperimentData e;
  e.name = "layers";
  e.source_path = "layers.yaml";
  e.trainings.push_back(model("sigmoid", "#ff2020", 1e-3));
  e.trainings.push_back(model("relu", "#20a0ff", 0.5));
  SceneData data;
  data.experiments.push_back(e);
  const SceneScript script = parse_scene_script(
      "experiments: {main: layers.yaml}\nsections:\n  - name: one\n    blocks:\n"
      "      - title: {text: \"Norms of {experiment}\", experiment: main}\n      - camera: {}\n"
      "      - gradient_surface: {experiment: main}\n",
      "scenes/Gradients.yaml");
  const InteractivePage page = page_of_scene(script, data);
  EXPECT_EQ(page.title, "Norms of layers");
  ASSERT_EQ(page.surfaces.size(), 2u);
  EXPECT_EQ(page.steps, 80);
  const std::string html = page_html(page, plotly_js_source());
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  const LoadedPage loaded = load_page(html, "gradients");
  EXPECT_EQ(loaded.errors, "[]");
  EXPECT_EQ(loaded.traces, (std::vector<std::string>{"surface:sigmoid", "surface:relu"}));
  EXPECT_GT(loaded.unlike, 0.05);
}

TEST(InteractivePage, APath3DSceneHasItsPathAsATrace) {
  SceneData data;
  data.experiments.push_back({});
  ExperimentData& e = data.experiments.back();
  e.name = "logged";
  e.source_path = "logged.yaml";
  MetricData m;
  for (const char* column : {"train", "test", "lr"}) {
    MetricSeriesSpec spec;
    spec.column = column;
    m.spec.series.push_back(spec);
    MetricSeries s;
    s.column = column;
    s.item = static_cast<int64_t>(m.spec.series.size()) - 1;
    for (int t = 0; t <= 50; ++t) {
      s.step.push_back(t);
      s.value.push_back(std::string(column) == "lr" ? 0.1 * std::exp(-0.05 * t)
                                                    : std::cos(0.1 * t) + t * 0.02);
    }
    s.smoothed = s.value;
    m.log.series.push_back(s);
  }
  e.metrics.push_back(m);
  const SceneScript script = parse_scene_script(
      "experiments: {main: logged.yaml}\nsections:\n  - name: one\n    blocks:\n"
      "      - camera: {}\n"
      "      - path_3d: {experiment: main, x: train, y: test, z: lr, z_scale: log,"
      " progress: plasma}\n",
      "scenes/Path.yaml");
  const InteractivePage page = page_of_scene(script, data);
  ASSERT_EQ(page.paths.size(), 1u);
  EXPECT_EQ(page.paths[0].step.size(), 51u);
  EXPECT_EQ(page.z_title, "lr (log)");
  const LoadedPage loaded = load_page(page_html(page, plotly_js_source()), "path");
  EXPECT_EQ(loaded.errors, "[]");
  EXPECT_EQ(loaded.traces, (std::vector<std::string>{"scatter3d:logged"}));
  EXPECT_GT(loaded.unlike, 0.01);
}

}  // namespace
}  // namespace trajtool
