#include "toolkit/config/agent_block_reader.h"

#include <cmath>

namespace trajtool {
namespace {

// A list of whole numbers >= 0 (`milestones`, `episodes`); ${params} are filled in.
std::vector<int64_t> indices(const Fields& f, const std::string& key, std::size_t max) {
  std::vector<int64_t> out;
  const Where where = f.where().at(key);
  const YAML::Node list = f.node()[key];
  if (!list.IsSequence() || list.size() == 0 || list.size() > max) {
    where.fail(list, "expected a list of 1 to " + std::to_string(max) + " indices (0 = first)");
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const int64_t v = as_integer(list[i], where.index(i));
    if (v < 0 || v > 1000) where.index(i).fail(list[i], "must be from 0 to 1000");
    out.push_back(v);
  }
  return out;
}

NetworkActivityBlock read_network_activity(const Fields& f) {
  NetworkActivityBlock b;
  b.experiment = f.experiment("experiment", true);
  b.run = f.text("run");
  const std::string layout = f.text("layout", "single");
  if (layout == "milestones") {
    b.layout = NetworkLayout::milestones;
  } else if (layout != "single") {
    f.where().at("layout").fail(f.node()["layout"],
                                "'" + layout + "' is not one of: single, milestones");
  }
  if (f.has("milestones")) {
    b.milestones = indices(f, "milestones", b.layout == NetworkLayout::milestones ? 4 : 16);
  }
  if (f.has("episodes")) b.episodes = indices(f, "episodes", 100);
  if (b.layout == NetworkLayout::milestones && b.episodes.size() != 1) {
    f.where()
        .at("episodes")
        .fail(f.node()["episodes"], "the milestones layout plays one episode: give one index");
  }
  b.steps_per_second = f.number("steps_per_second", b.steps_per_second, 1, 500);
  if (f.has("points_per_second")) {
    b.points_per_second = f.number("points_per_second", 1, 0.1, 500);
  }
  b.nodes = static_cast<int>(f.number("nodes", b.nodes, 2, 32));
  for (const char* key : {"episodes", "steps_per_second", "points_per_second"}) {
    if (f.has(key)) b.given.push_back(key);
  }
  return b;
}

}  // namespace

const char* const kAgentBlockKinds = "network_activity";

bool read_agent_block(const std::string& kind, const BlockFieldsFn& fields, BlockBody& body) {
  if (kind != "network_activity") return false;
  body = read_network_activity(
      fields("experiment", {"experiment", "run", "layout", "milestones", "episodes",
                            "steps_per_second", "points_per_second", "nodes"}));
  return true;
}

}  // namespace trajtool
