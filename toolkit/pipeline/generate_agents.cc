#include "toolkit/pipeline/generate_agents.h"

#include <cmath>
#include <optional>
#include <thread>

#include "toolkit/pipeline/cache_key.h"
#include "toolkit/pipeline/cached_entry.h"
#include "toolkit/pipeline/compute_loader.h"
#include "toolkit/pipeline/parallel_runs.h"
#include "toolkit/pipeline/progress.h"

namespace trajtool {

double final_mean_return(const AgentRecord& record) {
  if (record.milestones.empty() || record.milestones.back().eval_returns.empty()) return NAN;
  double sum = 0;
  for (double r : record.milestones.back().eval_returns) sum += r;
  return sum / static_cast<double>(record.milestones.back().eval_returns.size());
}

void generate_agents(const Experiment& experiment, const CacheStore& store,
                     const GenerateOptions& options,
                     const std::function<void(GenerateOutcome)>& finish) {
  const std::size_t count = experiment.agent_runs.size();
  if (count == 0) return;
  std::vector<GenerateOutcome> outcomes(count);
  std::vector<EntryIdentity> ids;
  std::vector<std::optional<AgentRecord>> computed(count);
  std::vector<std::size_t> missing;
  int64_t updates_to_compute = 0;
  auto summarise = [](const AgentRecord& r, GenerateOutcome& out) {
    out.steps = r.rows;
    out.final_loss = final_mean_return(r);
    out.diverged = r.diverged_at >= 0 ? 1 : 0;
    out.diverged_at = r.diverged_at;
  };
  for (std::size_t i = 0; i < count; ++i) {
    const AgentRunSpec& run = experiment.agent_runs[i];
    ids.push_back(agent_identity(run));
    GenerateOutcome& out = outcomes[i];
    out.kind = EntryKind::kAgent;
    out.label = run.label;
    out.key = ids[i].key;
    const std::optional<AgentRecord> cached = try_load(
        options.force, [&] { return store.read_agent(out.key); }, out);
    if (cached) {
      out.hit = true;
      summarise(*cached, out);
    } else {
      missing.push_back(i);
      updates_to_compute += run.a2c.updates;
    }
  }
  if (!missing.empty()) {
    const ComputeBackend& backend = compute_backend();
    if (backend.run_agent == nullptr) {
      throw RuntimeFailure(
          "the compute library has no agent trainer: rebuild libtrajtool_compute.so");
    }
    ProgressBar bar(missing.size() == 1 ? experiment.agent_runs[missing[0]].label
                                        : std::to_string(missing.size()) + " runs",
                    updates_to_compute);
    SharedProgress shared(bar);
    for_each_on_cores(missing.size(), [&](std::size_t m) {
      ProgressFn progress;
      if (options.show_progress) progress = shared.worker();
      computed[missing[m]] = backend.run_agent(experiment.agent_runs[missing[m]], progress);
    });
  }
  for (std::size_t i = 0; i < count; ++i) {
    GenerateOutcome& out = outcomes[i];
    if (computed[i]) {
      const AgentRecord& r = *computed[i];
      store.write_agent(
          entry_meta(out.label, ids[i], r.wall_seconds, compute_backend().torch_version), r);
      summarise(r, out);
      computed[i].reset();
    }
    finish(std::move(out));
  }
}

}  // namespace trajtool
