#include "viz/scenes/training_kit.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "viz/scenes/scene_context.h"
#include "viz/scenes/scene_kit.h"

namespace trajtool {

Rgba class_color(int64_t k) {
  static const std::size_t kOrder[] = {0, 3, 1, 2};  // blue, red, green, yellow
  const auto i = static_cast<std::size_t>(k);
  return palette_color(i < 4 ? kOrder[i] : i);
}

int64_t predicted_class(const double* probs, int64_t classes) {
  int64_t best = 0;
  for (int64_t k = 1; k < classes; ++k) {
    if (probs[k] > probs[best]) best = k;
  }
  return best;
}

Rgba region_color(const double* probs, int64_t classes) {
  const int64_t k = predicted_class(probs, classes);
  const double chance = 1.0 / static_cast<double>(std::max<int64_t>(classes, 2));
  const double sure = std::clamp((probs[k] - chance) / (1 - chance), 0.0, 1.0);
  const Rgba c = class_color(k);
  const double shade = 0.22 + 0.38 * sure;
  return {c.r * shade, c.g * shade, c.b * shade, 1};
}

ContourLevels log_color_scale(double low, double high) {
  ContourLevels levels;
  levels.spacing = LevelSpacing::kLog;
  levels.low = low;
  levels.high = high > low ? high : low * 10;
  return levels;
}

namespace {

std::string number_text(double v) { return short_number(v); }

}  // namespace

std::string dataset_caption(const TrainingData& run) {
  const DatasetSpec& d = run.spec.dataset;
  const DatasetRecord* r = run.dataset.get();
  std::string text;
  if (d.name == "fashion_mnist") {
    text = "Fashion-MNIST: 28x28 images";
  } else if (d.name == "csv") {
    text = "CSV " + d.csv_path;
  } else if (d.name == "idx") {
    text = "IDX " + d.images_path;
  } else {
    text = d.name + ": " + std::to_string(d.samples) + " points";
    if (d.noise > 0) text += " (noise " + number_text(d.noise) + ")";
  }
  if (r) {
    if (r->classes > 0 && d.name != "moons" && d.name != "circles" && d.name != "xor") {
      text += ", " + std::to_string(r->classes) + " classes";
    }
    text += ", " + std::to_string(r->train_count) + " train / " + std::to_string(r->test_count) +
            " test";
  }
  return text;
}

std::string model_caption(const ModelSpec& m) {
  std::set<std::string> acts(m.activations.begin(), m.activations.end());
  std::string act;
  for (const std::string& a : m.activations) {
    if (act.find(a) == std::string::npos) act += (act.empty() ? "" : "/") + a;
  }
  if (m.kind == "cnn") {
    std::string conv, hidden;
    for (int64_t ch : m.channels) conv += (conv.empty() ? "" : "-") + std::to_string(ch);
    for (int64_t h : m.hidden) hidden += (hidden.empty() ? "" : "-") + std::to_string(h);
    std::string text =
        "CNN: conv " + conv + " (" + std::to_string(m.kernel) + "x" + std::to_string(m.kernel);
    if (m.pool > 1) text += ", pool " + std::to_string(m.pool);
    text += ")";
    if (!hidden.empty()) text += ", hidden " + hidden;
    return text + ", " + m.cnn_activation;
  }
  std::string widths;
  for (int64_t w : m.layers) widths += (widths.empty() ? "" : "-") + std::to_string(w);
  std::string text = "MLP " + widths;
  if (!act.empty()) text += ", " + act;
  if (m.dropout > 0) text += ", dropout " + number_text(m.dropout);
  return text;
}

std::string training_caption(const TrainingRunSpec& s) {
  std::string loss = loss_kind_name(s.loss);
  replace_all(loss, "_", "-");
  std::string text = loss + ", ";
  text += s.full_batch ? "full batch" : "batch " + std::to_string(s.batch_size);
  text += ", " + std::to_string(s.steps) + " steps";
  return text;
}

std::vector<LayerSeries> layer_series(const TrainingRecord& record, const std::string& value,
                                      bool biases) {
  std::vector<LayerSeries> out;
  int layer = 0;
  std::string last_module;
  for (const ParameterSteps& p : record.parameters) {
    const std::string module = p.name.substr(0, p.name.rfind('.'));
    const bool is_weight =
        p.name.size() > 7 && p.name.compare(p.name.size() - 7, 7, ".weight") == 0;
    if (module != last_module) ++layer;
    last_module = module;
    if (!is_weight && !biases) continue;
    const std::vector<double>* values = value == "weight_norm"    ? &p.weight_norm
                                        : value == "update_ratio" ? &p.update_ratio
                                                                  : &p.grad_norm;
    out.push_back({p.name, layer, values});
  }
  return out;
}

std::vector<std::size_t> hidden_activation_modules(const TrainingRecord& record) {
  static const std::set<std::string> kNotActivations = {
      "Linear", "Conv2d", "Dropout", "Flatten", "MaxPool2d", "Identity", "Unflatten"};
  std::vector<std::size_t> out;
  const std::size_t n = record.layer_kinds.size();
  for (std::size_t i = 0; i + 1 < n; ++i) {
    if (!kNotActivations.count(record.layer_kinds[i])) out.push_back(i);
  }
  if (out.empty()) {
    for (std::size_t i = 0; i + 1 < n; ++i) {
      if (record.layer_kinds[i] == "Linear" || record.layer_kinds[i] == "Conv2d") out.push_back(i);
    }
  }
  return out;
}

namespace {

constexpr double kPanelsLeft = -6.5, kPanelsRight = 6.5, kPanelGap = 0.55;

double panel_width(std::size_t count) {
  const double n = static_cast<double>(count);
  return std::min(4.2, (kPanelsRight - kPanelsLeft - kPanelGap * (n - 1)) / n);
}

double panel_left(std::size_t index, std::size_t count) {
  const double w = panel_width(count), n = static_cast<double>(count);
  return -(w * n + kPanelGap * (n - 1)) / 2 + static_cast<double>(index) * (w + kPanelGap);
}

std::string final_value(const std::vector<double>& v, bool accuracy) {
  if (v.empty()) return "–";
  if (!std::isfinite(v.back())) return "NaN";
  if (!accuracy) return short_number(v.back());
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", 100 * v.back());
  return buffer;
}

}  // namespace

Box2 decision_region_box(std::size_t index, std::size_t count, bool loss_curve) {
  const double w = panel_width(count), left = panel_left(index, count);
  const double side = loss_curve ? std::min(w, 2.4) : std::min(w, 4.9);
  const double inset = index == 0 ? 0.55 : 0.35;  // tick labels (and the first's axis title)
  return {left + inset, 2.2 - side, left + w, 2.2};
}

Box2 decision_loss_box(std::size_t index, std::size_t count) {
  const double w = panel_width(count), left = panel_left(index, count);
  return {left + (index == 0 ? 0.95 : 0.7), -2.4, left + w, -1.25};
}

Box2 layer_heatmap_box(std::size_t index, std::size_t count) {
  const double top = 2.2, bottom = -2.45, gap = 0.75, n = static_cast<double>(count);
  const double h = (top - bottom - gap * (n - 1)) / n;
  const double panel_top = top - static_cast<double>(index) * (h + gap);
  return {-5.4, panel_top - h, 4.4, panel_top};
}

Box2 activation_histogram_box(std::size_t column, std::size_t columns, int row) {
  const double left0 = -4.9, right0 = 6.5, height = 1.75;
  const double cell = (right0 - left0) / static_cast<double>(columns);
  const double top = row == 0 ? 1.9 : -0.75;
  const double left = left0 + static_cast<double>(column) * cell + 0.12;
  return {left, top - height, left + cell - 0.24, top};
}

std::string final_values_label(const TrainingData& run, bool accuracy) {
  const EvalRows& ev = run.record.eval;
  std::string label = run.spec.label + ":  " +
                      final_value(accuracy ? ev.train_accuracy : ev.train_loss, accuracy) + " / " +
                      final_value(accuracy ? ev.test_accuracy : ev.test_loss, accuracy);
  if (run.record.diverged_at >= 0) {
    label += " (diverged at " + std::to_string(run.record.diverged_at) + ")";
  }
  return label;
}

std::string class_name(const TrainingRunSpec& spec, int64_t k) {
  static const char* const kFashion[] = {"T-shirt/top", "Trouser",   "Pullover", "Dress",
                                         "Coat",        "Sandal",    "Shirt",    "Sneaker",
                                         "Bag",         "Ankle boot"};
  if (spec.dataset.name == "fashion_mnist" && k >= 0 && k < 10) return kFashion[k];
  return "class " + std::to_string(k);
}

}  // namespace trajtool
