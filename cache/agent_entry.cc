// The layout of agent entries (docs/cache-format.md, "Agent files"), as CacheStore's writer and
// reader: the training curve under train/, and per milestone k (0, 1, ... in training order)
// milestones/<k>/ with the weights, the evaluation returns and every episode frame by frame.
#include <string>

#include "cache/cache_store.h"
#include "cache/entry_io.h"
#include "cache/hdf5_file.h"

namespace trajtool {
namespace {

int64_t count(std::size_t n) { return static_cast<int64_t>(n); }

std::string episode_group(std::size_t k, std::size_t i) {
  return milestone_group(k) + "/episode_" + std::to_string(i);
}

// A float dataset of the run's dtype whose shape the file decides.
NamedTensor read_tensor(const H5Reader& file, const std::string& path, const std::string& name,
                        bool float64, EntryChecksum& checksum) {
  FloatArray array = file.read_floats(path, &checksum);
  if (array.float64 != float64) {
    file.fail("dataset '" + path + "' is " + (array.float64 ? "float64" : "float32") +
              ", expected the run's dtype");
  }
  return {name, std::move(array.dims), std::move(array.values)};
}

}  // namespace

void CacheStore::write_agent(const EntryMeta& meta, const AgentRecord& r) const {
  check_key(meta.key);
  check_size(meta.key, "policy_loss", r.policy_loss.size(), r.rows);
  check_size(meta.key, "value_loss", r.value_loss.size(), r.rows);
  check_size(meta.key, "entropy", r.entropy.size(), r.rows);
  check_size(meta.key, "episode_update", r.episode_update.size(), count(r.episode_return.size()));
  check_size(meta.key, "layer_kinds", r.layer_kinds.size(), count(r.layer_names.size()));
  const bool float64 = r.dtype == DType::kFloat64;
  write_entry(entry_path(EntryKind::kAgent, meta.key), EntryKind::kAgent, meta, r.wall_seconds,
              [&](H5Writer& w, EntryChecksum& checksum) {
                w.create_group("train");
                const std::vector<int64_t> episodes{count(r.episode_return.size())};
                w.write_floats("train/episode_return", episodes, r.episode_return.data(),
                               compressed_storage(true), &checksum);
                w.write_ints("train/episode_update", episodes, r.episode_update.data(), &checksum);
                const std::vector<int64_t> rows{r.rows};
                w.write_floats("train/policy_loss", rows, r.policy_loss.data(),
                               compressed_storage(true), &checksum);
                w.write_floats("train/value_loss", rows, r.value_loss.data(),
                               compressed_storage(true), &checksum);
                w.write_floats("train/entropy", rows, r.entropy.data(), compressed_storage(true),
                               &checksum);
                std::vector<double> fractions;
                std::vector<int64_t> updates;
                for (const AgentMilestone& m : r.milestones) {
                  fractions.push_back(m.fraction);
                  updates.push_back(m.update);
                }
                const std::vector<int64_t> milestones{count(r.milestones.size())};
                w.write_floats("milestone_fraction", milestones, fractions.data(),
                               compressed_storage(true), &checksum);
                w.write_ints("milestone_update", milestones, updates.data(), &checksum);
                w.create_group("milestones");
                for (std::size_t k = 0; k < r.milestones.size(); ++k) {
                  const AgentMilestone& m = r.milestones[k];
                  const std::string group = milestone_group(k);
                  w.create_group(group);
                  check_size(meta.key, group + " eval_returns", m.eval_returns.size(),
                             count(m.episodes.size()));
                  w.write_floats(group + "/eval_returns", {count(m.eval_returns.size())},
                                 m.eval_returns.data(), compressed_storage(true), &checksum);
                  std::vector<int64_t> terminated;
                  for (const EpisodeRecord& e : m.episodes)
                    terminated.push_back(e.terminated ? 1 : 0);
                  w.write_ints(group + "/terminated", {count(terminated.size())}, terminated.data(),
                               &checksum);
                  w.create_group(group + "/weights");
                  for (const NamedTensor& t : m.weights) {
                    check_size(meta.key, group + " " + t.name, t.values.size(), product(t.shape));
                    w.write_floats(group + "/weights/" + t.name, t.shape, t.values.data(),
                                   compressed_storage(float64), &checksum);
                  }
                  for (std::size_t i = 0; i < m.episodes.size(); ++i) {
                    const EpisodeRecord& e = m.episodes[i];
                    const std::string g = episode_group(k, i);
                    const int64_t t = e.frames;
                    check_size(meta.key, g + " observation", e.observation.size(),
                               t * e.observation_size);
                    check_size(meta.key, g + " action_probs", e.action_probs.size(), t * e.actions);
                    check_size(meta.key, g + " action", e.action.size(), t);
                    check_size(meta.key, g + " value", e.value.size(), t);
                    check_size(meta.key, g + " reward", e.reward.size(), t);
                    check_size(meta.key, g + " episode_reward", e.episode_reward.size(), t);
                    check_size(meta.key, g + " activations", e.activations.size(),
                               count(r.layer_names.size()));
                    w.create_group(g);
                    w.write_floats(g + "/observation", {t, e.observation_size},
                                   e.observation.data(), compressed_storage(true), &checksum);
                    w.create_group(g + "/activations");
                    for (std::size_t l = 0; l < e.activations.size(); ++l) {
                      const NamedTensor& a = e.activations[l];
                      check_size(meta.key, g + " " + a.name, a.values.size(), product(a.shape));
                      w.write_floats(g + "/activations/" + r.layer_names[l], a.shape,
                                     a.values.data(), compressed_storage(float64), &checksum);
                    }
                    w.write_floats(g + "/action_probs", {t, e.actions}, e.action_probs.data(),
                                   compressed_storage(float64), &checksum);
                    w.write_ints(g + "/action", {t}, e.action.data(), &checksum);
                    w.write_floats(g + "/value", {t}, e.value.data(), compressed_storage(float64),
                                   &checksum);
                    w.write_floats(g + "/reward", {t}, e.reward.data(), compressed_storage(true),
                                   &checksum);
                    w.write_floats(g + "/episode_reward", {t}, e.episode_reward.data(),
                                   compressed_storage(true), &checksum);
                  }
                }
                w.attribute("dtype", dtype_name(r.dtype));
                w.attribute("updates", r.updates);
                w.attribute("rows", r.rows);
                w.attribute("diverged_at", r.diverged_at);
                w.attribute("action_names", r.action_names);
                w.attribute("observation_names", r.observation_names);
                w.attribute("layer_names", r.layer_names);
                w.attribute("layer_kinds", r.layer_kinds);
                w.attribute("train_seconds", r.train_seconds);
              });
}

std::optional<AgentRecord> read_agent_file(const std::string& path, const std::string& key,
                                           EntryMeta* meta) {
  std::optional<OpenEntry> entry = open_entry(path, EntryKind::kAgent, key);
  if (!entry) return std::nullopt;
  const H5Reader& file = entry->file;
  AgentRecord r;
  const std::string dtype = file.string_attribute("dtype");
  if (dtype != "float32" && dtype != "float64") file.fail("dtype '" + dtype + "' is unknown");
  r.dtype = dtype == "float64" ? DType::kFloat64 : DType::kFloat32;
  const bool float64 = r.dtype == DType::kFloat64;
  r.updates = file.int_attribute("updates");
  r.rows = file.int_attribute("rows");
  r.diverged_at = file.int_attribute("diverged_at");
  r.action_names = file.strings_attribute("action_names");
  r.observation_names = file.strings_attribute("observation_names");
  r.layer_names = file.strings_attribute("layer_names");
  r.layer_kinds = file.strings_attribute("layer_kinds");
  r.train_seconds = file.double_attribute("train_seconds");
  r.wall_seconds = entry->meta.wall_seconds;
  if (r.rows < 0 || r.rows > r.updates) file.fail("rows does not fit updates");
  if (r.layer_kinds.size() != r.layer_names.size()) {
    file.fail("layer_names and layer_kinds differ in length");
  }
  const auto actions = count(r.action_names.size());
  const auto observed = count(r.observation_names.size());
  EntryChecksum checksum;
  FloatArray returns = file.read_floats("train/episode_return", &checksum);
  if (returns.dims.size() != 1) file.fail("train/episode_return must be one-dimensional");
  r.episode_return = std::move(returns.values);
  r.episode_update =
      read_ints_exact(file, "train/episode_update", {count(r.episode_return.size())}, &checksum);
  r.policy_loss = read_exact(file, "train/policy_loss", {r.rows}, true, &checksum);
  r.value_loss = read_exact(file, "train/value_loss", {r.rows}, true, &checksum);
  r.entropy = read_exact(file, "train/entropy", {r.rows}, true, &checksum);
  FloatArray fractions = file.read_floats("milestone_fraction", &checksum);
  if (fractions.dims.size() != 1) file.fail("milestone_fraction must be one-dimensional");
  const int64_t milestones = fractions.dims[0];
  const std::vector<int64_t> updates =
      read_ints_exact(file, "milestone_update", {milestones}, &checksum);
  if (count(file.group_members("milestones").size()) != milestones) {
    file.fail("milestones/ does not hold one group per milestone");
  }
  for (std::size_t k = 0; k < static_cast<std::size_t>(milestones); ++k) {
    AgentMilestone m;
    m.fraction = fractions.values[k];
    m.update = updates[k];
    const std::string group = milestone_group(k);
    FloatArray eval = file.read_floats(group + "/eval_returns", &checksum);
    if (eval.dims.size() != 1) file.fail(group + "/eval_returns must be one-dimensional");
    m.eval_returns = std::move(eval.values);
    const int64_t episodes = count(m.eval_returns.size());
    const std::vector<int64_t> terminated =
        read_ints_exact(file, group + "/terminated", {episodes}, &checksum);
    for (const std::string& name : file.group_members(group + "/weights")) {
      m.weights.push_back(read_tensor(file, group + "/weights/" + name, name, float64, checksum));
    }
    for (std::size_t i = 0; i < static_cast<std::size_t>(episodes); ++i) {
      const std::string g = episode_group(k, i);
      EpisodeRecord e;
      e.actions = actions;
      e.observation_size = observed;
      e.terminated = terminated[i] != 0;
      FloatArray obs = file.read_floats(g + "/observation", &checksum);
      if (obs.dims.size() != 2 || obs.dims[1] != observed) {
        file.fail(g + "/observation is not [frames, " + std::to_string(observed) + "]");
      }
      e.frames = obs.dims[0];
      e.observation = std::move(obs.values);
      if (file.group_members(g + "/activations") != r.layer_names) {
        file.fail(g + "/activations does not hold every layer");
      }
      for (const std::string& layer : r.layer_names) {
        e.activations.push_back(
            read_tensor(file, g + "/activations/" + layer, layer, float64, checksum));
        if (e.activations.back().shape.size() != 2 || e.activations.back().shape[0] != e.frames) {
          file.fail(g + "/activations/" + layer + " is not [frames, width]");
        }
      }
      e.action_probs =
          read_exact(file, g + "/action_probs", {e.frames, actions}, float64, &checksum);
      e.action = read_ints_exact(file, g + "/action", {e.frames}, &checksum);
      for (int64_t a : e.action) {
        if (a < 0 || a >= actions) file.fail(g + "/action holds an unknown action");
      }
      e.value = read_exact(file, g + "/value", {e.frames}, float64, &checksum);
      e.reward = read_exact(file, g + "/reward", {e.frames}, true, &checksum);
      e.episode_reward = read_exact(file, g + "/episode_reward", {e.frames}, true, &checksum);
      m.episodes.push_back(std::move(e));
    }
    r.milestones.push_back(std::move(m));
  }
  check_checksum(*entry, checksum);
  set_meta(meta, entry->meta);
  return r;
}

std::optional<AgentRecord> CacheStore::read_agent(const std::string& key, EntryMeta* meta) const {
  return read_agent_file(entry_path(EntryKind::kAgent, key), key, meta);
}

}  // namespace trajtool
