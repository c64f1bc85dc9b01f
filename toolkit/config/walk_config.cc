#include "toolkit/config/walk_config.h"

#include <cmath>

#include "toolkit/config/landscape_config.h"

namespace trajtool {
namespace {

constexpr int64_t kMaxPoints = 20000;
constexpr std::size_t kMaxMilestones = 8;
constexpr std::size_t kMaxImages = 1000;

bool is_images(const DatasetSpec& d) {
  return d.features == 784 || (d.sample_shape.size() == 3 && d.sample_shape[0] == 1);
}

void parse_path(const YAML::Node& node, const Where& where, WalkSpec& s) {
  require_map(node, where, "{through: [[x, y], [x, y], ...], points: 240}");
  check_keys(node, where, {"through", "points"});
  if (node["through"]) {
    const Where at = where.at("through");
    const YAML::Node list = node["through"];
    if (!list.IsSequence() || list.size() < 2 || list.size() > 1000) {
      at.fail(list, "expected a list of 2 to 1000 points [x, y]");
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::vector<double> p = as_numbers(list[i], at.index(i), 2, 2);
      s.through.insert(s.through.end(), p.begin(), p.end());
    }
    double length = 0;
    for (std::size_t i = 2; i < s.through.size(); i += 2) {
      length += std::hypot(s.through[i] - s.through[i - 2], s.through[i + 1] - s.through[i - 1]);
    }
    if (!(length > 0)) at.fail(list, "the points are all the same: the path has no length");
    s.default_path = false;
  }
  if (node["points"]) {
    const Where at = where.at("points");
    s.points = as_integer(node["points"], at);
    if (s.points < 2 || s.points > kMaxPoints) {
      at.fail(node["points"], "must be in 2 .. " + std::to_string(kMaxPoints) + " (got " +
                                  std::to_string(s.points) + ")");
    }
  }
}

void parse_images(const YAML::Node& node, const Where& where, const DatasetSpec& data,
                  WalkSpec& s) {
  require_map(node, where, "{from: test, indices: [0, 5, 9]} or {from: test, count: 12}");
  check_keys(node, where, {"from", "indices", "count"});
  if (node["from"]) {
    const std::string from = as_string(node["from"], where.at("from"));
    if (from == "train") {
      s.from_test = false;
    } else if (from != "test") {
      where.at("from").fail(node["from"], "expected test or train (got '" + from + "')");
    }
  }
  if (node["indices"] && node["count"]) {
    where.fail(node, "give `indices` or `count`, not both");
  }
  if (node["indices"]) {
    const Where at = where.at("indices");
    const YAML::Node list = node["indices"];
    if (!list.IsSequence() || list.size() == 0 || list.size() > kMaxImages) {
      at.fail(list, "expected a list of 1 to " + std::to_string(kMaxImages) + " sample indices");
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      const int64_t v = as_integer(list[i], at.index(i));
      if (v < 0) at.index(i).fail(list[i], "must be >= 0");
      if (!s.from_test && v >= data.train_count) {
        at.index(i).fail(list[i], "the training set has " + std::to_string(data.train_count) +
                                      " samples (0 to " + std::to_string(data.train_count - 1) +
                                      ")");
      }
      s.indices.push_back(v);
    }
    s.indices_at = at.locate(list);
  } else {
    int64_t count = 12;
    if (node["count"]) {
      const Where at = where.at("count");
      count = as_integer(node["count"], at);
      if (count < 1 || count > static_cast<int64_t>(kMaxImages)) {
        at.fail(node["count"], "must be in 1 .. " + std::to_string(kMaxImages));
      }
      if (!s.from_test && count > data.train_count) {
        at.fail(node["count"],
                "the training set has " + std::to_string(data.train_count) + " samples");
      }
      s.indices_at = at.locate(node["count"]);
    } else {
      s.indices_at = where.locate(node);
    }
    for (int64_t i = 0; i < count; ++i) s.indices.push_back(i);
  }
}

WalkSpec parse_walk(const YAML::Node& node, const Where& where, const Experiment& e) {
  require_map(node, where,
              "{run: LABEL, milestones: [0, 0.1, 0.5, 1.0], path: {through: [[x, y], ...], "
              "points: 240}} or {run: LABEL, images: {from: test, count: 12}}");
  check_keys(node, where, {"run", "milestones", "path", "images"});
  WalkSpec s;
  s.run_index = parse_run(node["run"], where.at("run"), e, s.run);
  const TrainingRunSpec& run = e.training_runs[static_cast<std::size_t>(s.run_index)];
  const YAML::Node run_node = node["run"] ? node["run"] : node;
  if (run.model.kind != "mlp") {
    where.at("run").fail(run_node, "run '" + run.label + "' is a " + run.model.kind +
                                       "; walks are recorded for mlp models only");
  }
  if (run.dataset.classes <= 0) {
    where.at("run").fail(run_node, "run '" + run.label + "' fits a regression target (" +
                                       run.dataset.name +
                                       "); walks show class probabilities: classifiers only");
  }
  const bool plane = run.dataset.features == 2;
  const bool images = is_images(run.dataset);
  if (!plane && !images) {
    where.fail(node, "the data set " + run.dataset.name + " has " +
                         std::to_string(run.dataset.features) +
                         " features; a walk goes through a 2D plane (2 features) or through "
                         "28 x 28 images");
  }
  if (node["milestones"]) {
    const Where at = where.at("milestones");
    const YAML::Node list = node["milestones"];
    if (!list.IsSequence() || list.size() == 0 || list.size() > kMaxMilestones) {
      at.fail(list, "expected a list of 1 to " + std::to_string(kMaxMilestones) +
                        " fractions of training in [0, 1]");
    }
    s.milestones.clear();
    for (std::size_t i = 0; i < list.size(); ++i) {
      const double f = as_number(list[i], at.index(i));
      if (f < 0 || f > 1) {
        at.index(i).fail(list[i], "a fraction of training must be in [0, 1]");
      }
      s.milestones.push_back(f);
    }
  }
  if (plane) {
    s.source = WalkSource::kPath;
    if (node["images"]) {
      where.at("images").fail(node["images"], "the data set " + run.dataset.name +
                                                  " is 2D points, not images: walk it with "
                                                  "`path:`");
    }
    if (node["path"]) parse_path(node["path"], where.at("path"), s);
  } else {
    s.source = WalkSource::kImages;
    if (node["path"]) {
      where.at("path").fail(node["path"], "the data set " + run.dataset.name +
                                              " is images, not a plane: walk it with `images:`");
    }
    if (node["images"]) {
      parse_images(node["images"], where.at("images"), run.dataset, s);
    } else {
      for (int64_t i = 0; i < 12; ++i) s.indices.push_back(i);
      s.indices_at = where.locate(node);
    }
  }
  return s;
}

}  // namespace

void parse_walk_key(const YAML::Node& root, const Where& top, Experiment& experiment) {
  if (root["walk"]) experiment.walk = parse_walk(root["walk"], top.at("walk"), experiment);
}

}  // namespace trajtool
