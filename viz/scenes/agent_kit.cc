#include "viz/scenes/agent_kit.h"

#include <algorithm>
#include <cmath>

namespace trajtool {

Rgba activation_color(double t) {
  if (std::isnan(t)) return kActivationZero;
  t = std::clamp(t, -1.0, 1.0);
  const Rgba& end = t < 0 ? kActivationNegative : kActivationPositive;
  const double f = std::fabs(t);
  return {kActivationZero.r + (end.r - kActivationZero.r) * f,
          kActivationZero.g + (end.g - kActivationZero.g) * f,
          kActivationZero.b + (end.b - kActivationZero.b) * f, 1};
}

ActivityTrack episode_track(const EpisodeRecord& e) {
  return {e.frames, e.observation_size, &e.observation, &e.activations};
}

ActivityTrack walk_track(const WalkFrames& w) {
  return {w.points, w.features, &w.input, &w.activations};
}

double node_value(const ActivityTrack& t, const NetworkNode& n, int64_t frame) {
  if (n.layer < 0) return (*t.input)[static_cast<std::size_t>(frame * t.input_size + n.unit)];
  const NamedTensor& a = (*t.activations)[static_cast<std::size_t>(n.layer)];
  return a.values[static_cast<std::size_t>(frame * a.shape[1] + n.unit)];
}

double node_value(const EpisodeRecord& e, const NetworkNode& n, int64_t frame) {
  return node_value(episode_track(e), n, frame);
}

const NamedTensor* find_weights(const std::vector<NamedTensor>& weights, const std::string& name) {
  for (const NamedTensor& t : weights) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

int64_t likely_action(const EpisodeRecord& e, int64_t frame) {
  int64_t best = 0;
  const auto base = static_cast<std::size_t>(frame * e.actions);
  for (int64_t a = 1; a < e.actions; ++a) {
    if (e.action_probs[base + static_cast<std::size_t>(a)] >
        e.action_probs[base + static_cast<std::size_t>(best)])
      best = a;
  }
  return best;
}

namespace {

// The values of `layer` (-1: the input) of a track.
const std::vector<double>& layer_values(const ActivityTrack& t, int layer) {
  return layer < 0 ? *t.input : (*t.activations)[static_cast<std::size_t>(layer)].values;
}

// max(1, max |value|) of `layer`'s units over the frames of `tracks`.
double layer_scale(const std::vector<ActivityTrack>& tracks, int layer) {
  double top = 1;
  for (const ActivityTrack& t : tracks) {
    for (double v : layer_values(t, layer)) {
      if (std::isfinite(v)) top = std::max(top, std::fabs(v));
    }
  }
  return top;
}

// The `keep` units of `layer` (of `width`) whose values vary most over `tracks`, in unit order.
std::vector<int64_t> most_varying(const std::vector<ActivityTrack>& tracks, int layer,
                                  int64_t width, int64_t keep) {
  std::vector<int64_t> units(static_cast<std::size_t>(width));
  for (int64_t u = 0; u < width; ++u) units[static_cast<std::size_t>(u)] = u;
  if (keep >= width) return units;
  std::vector<double> variance(static_cast<std::size_t>(width), 0.0);
  for (int64_t u = 0; u < width; ++u) {
    double sum = 0, squares = 0;
    double n = 0;
    for (const ActivityTrack& t : tracks) {
      const std::vector<double>& values = layer_values(t, layer);
      for (int64_t f = 0; f < t.frames; ++f) {
        const double v = values[static_cast<std::size_t>(f * width + u)];
        sum += v;
        squares += v * v;
        n += 1;
      }
    }
    if (n > 0) variance[static_cast<std::size_t>(u)] = squares / n - (sum / n) * (sum / n);
  }
  std::stable_sort(units.begin(), units.end(), [&](int64_t a, int64_t b) {
    return variance[static_cast<std::size_t>(a)] > variance[static_cast<std::size_t>(b)];
  });
  units.resize(static_cast<std::size_t>(keep));
  std::sort(units.begin(), units.end());
  return units;
}

std::vector<ActivityTrack> episode_tracks(const std::vector<const EpisodeRecord*>& episodes) {
  std::vector<ActivityTrack> out;
  for (const EpisodeRecord* e : episodes) out.push_back(episode_track(*e));
  return out;
}

std::string lower_kind(const std::string& kind) {
  std::string out = kind;
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (out == "leakyrelu") out = "leaky relu";
  return out;
}

}  // namespace

NetworkColumn input_column(const std::vector<std::string>& names, int64_t inputs,
                           const std::vector<ActivityTrack>& tracks, int64_t max_nodes) {
  NetworkColumn input;
  input.title = "input";
  input.size_label = std::to_string(inputs);
  const std::vector<int64_t> units = most_varying(tracks, -1, inputs, max_nodes);
  if (static_cast<int64_t>(units.size()) < inputs) {
    input.subset_label = std::to_string(units.size()) + " of " + std::to_string(inputs);
  }
  const double scale = layer_scale(tracks, -1);
  for (int64_t u : units) {
    const std::string label =
        u < static_cast<int64_t>(names.size()) ? names[static_cast<std::size_t>(u)] : "";
    input.nodes.push_back({-1, u, label, "", scale});
  }
  return input;
}

std::vector<NetworkColumn> hidden_columns(const std::vector<std::string>& layer_names,
                                          const std::vector<std::string>& layer_kinds,
                                          const std::vector<ActivityTrack>& tracks, int max_nodes,
                                          const std::string& prefix) {
  std::vector<NetworkColumn> columns;
  int hidden = 0;
  const auto layers = static_cast<int>(layer_names.size());
  for (int l = 1; l < layers; ++l) {
    const std::string& name = layer_names[static_cast<std::size_t>(l)];
    if (name.rfind(prefix, 0) != 0) continue;
    if (layer_kinds[static_cast<std::size_t>(l)] == "Linear") continue;
    if (layer_kinds[static_cast<std::size_t>(l - 1)] != "Linear") continue;
    const int64_t width =
        tracks.empty() ? 0 : (*tracks[0].activations)[static_cast<std::size_t>(l)].shape[1];
    NetworkColumn c;
    c.title = "hidden " + std::to_string(++hidden);
    c.size_label =
        std::to_string(width) + " · " + lower_kind(layer_kinds[static_cast<std::size_t>(l)]);
    const std::vector<int64_t> units = most_varying(tracks, l, width, max_nodes);
    if (static_cast<int64_t>(units.size()) < width) {
      c.subset_label = std::to_string(units.size()) + " of " + std::to_string(width);
    }
    const double scale = layer_scale(tracks, l);
    const std::string weights = layer_names[static_cast<std::size_t>(l - 1)] + ".weight";
    for (int64_t u : units) c.nodes.push_back({l, u, "", weights, scale});
    columns.push_back(std::move(c));
  }
  return columns;
}

std::vector<NetworkColumn> network_columns(const AgentRecord& record,
                                           const std::vector<const EpisodeRecord*>& episodes,
                                           int max_nodes) {
  const std::vector<ActivityTrack> tracks = episode_tracks(episodes);
  const auto observed = static_cast<int64_t>(record.observation_names.size());
  std::vector<NetworkColumn> columns{
      input_column(record.observation_names, observed, tracks, observed)};
  // The trunk: every module after a Linear is an activation; its output is a hidden column.
  for (NetworkColumn& c :
       hidden_columns(record.layer_names, record.layer_kinds, tracks, max_nodes, "trunk.")) {
    columns.push_back(std::move(c));
  }
  NetworkColumn out;
  out.title = "output";
  const auto layers = static_cast<int>(record.layer_names.size());
  for (int l = 0; l < layers; ++l) {
    const std::string& name = record.layer_names[static_cast<std::size_t>(l)];
    if (name == "policy") {
      const double scale = layer_scale(tracks, l);
      for (std::size_t a = 0; a < record.action_names.size(); ++a) {
        out.nodes.push_back(
            {l, static_cast<int64_t>(a), record.action_names[a], "policy.weight", scale});
      }
    }
  }
  for (int l = 0; l < layers; ++l) {
    if (record.layer_names[static_cast<std::size_t>(l)] == "value") {
      out.nodes.push_back({l, 0, "V(s)", "value.weight", layer_scale(tracks, l)});
    }
  }
  out.size_label = std::to_string(record.action_names.size()) + " + 1";
  columns.push_back(std::move(out));
  return columns;
}

std::vector<NetworkColumn> walk_columns(const WalkRecord& record,
                                        const std::vector<const WalkFrames*>& walks,
                                        int max_nodes) {
  std::vector<ActivityTrack> tracks;
  for (const WalkFrames* w : walks) tracks.push_back(walk_track(*w));
  const int64_t inputs = walks.empty() ? 0 : walks[0]->features;
  std::vector<std::string> names;
  if (inputs == 2) names = {"x₁", "x₂"};
  std::vector<NetworkColumn> columns{input_column(names, inputs, tracks, max_nodes)};
  for (NetworkColumn& c :
       hidden_columns(record.layer_names, record.layer_kinds, tracks, max_nodes, "")) {
    columns.push_back(std::move(c));
  }
  // The logits: the last module (a Linear) of the Sequential.
  const int last = static_cast<int>(record.layer_names.size()) - 1;
  NetworkColumn out;
  out.title = "output";
  const int64_t width =
      tracks.empty() ? 0 : (*tracks[0].activations)[static_cast<std::size_t>(last)].shape[1];
  out.size_label = std::to_string(width) + (width == 1 ? " logit" : " logits");
  const double scale = layer_scale(tracks, last);
  const std::string weights = record.layer_names[static_cast<std::size_t>(last)] + ".weight";
  for (int64_t u = 0; u < width; ++u) {
    // One logit (bce_with_logits) is class 1's; else unit u is class u's.
    const std::size_t name = static_cast<std::size_t>(width == 1 ? 1 : u);
    out.nodes.push_back({last, u, name < record.class_names.size() ? record.class_names[name] : "",
                         weights, scale});
  }
  columns.push_back(std::move(out));
  return columns;
}

std::vector<std::vector<NodePlace>> place_network(const std::vector<NetworkColumn>& columns,
                                                  const Box2& area, bool labelled) {
  std::vector<std::vector<NodePlace>> places;
  const std::size_t n = columns.size();
  std::size_t most = 1;
  for (const NetworkColumn& c : columns) most = std::max(most, c.nodes.size());
  const double left = area.left + (labelled ? 0.5 : 0.15);
  const double right = area.right - (labelled ? 1.2 : 0.15);
  const double densest = std::min(0.55, area.height() / static_cast<double>(most));
  const double radius = std::min(0.13, densest * 0.36);
  for (std::size_t i = 0; i < n; ++i) {
    const double x =
        n == 1 ? left : left + (right - left) * static_cast<double>(i) / static_cast<double>(n - 1);
    const std::size_t k = columns[i].nodes.size();
    std::vector<NodePlace> column;
    const double mid = area.center().y;
    const double spacing =
        std::min(0.55, area.height() / static_cast<double>(std::max<std::size_t>(k, 1)));
    for (std::size_t j = 0; j < k; ++j) {
      const double y = mid + spacing * (static_cast<double>(k - 1) / 2.0 - static_cast<double>(j));
      column.push_back({{x, y}, radius});
    }
    places.push_back(std::move(column));
  }
  return places;
}

}  // namespace trajtool
