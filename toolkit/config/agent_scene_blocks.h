#pragma once
// The scene block that draws an agent's recorded evaluation episodes, or a trained classifier's
// walk through its input space (docs/scenes.md, "Agents" and "Walks"): the network's real
// activations beside what it sees. Read by agent_block_reader.h, played by
// viz/scenes/agent_blocks.cc. Part of SceneScript's BlockBody (scene_script.h).
#include <cstdint>
#include <string>
#include <vector>

namespace trajtool {

// single: one milestone at a time, full frame (analytics left, environment right), the chosen
// milestones and episodes played in turn; milestones: up to four milestones side by side (2x2),
// the same episode, so the untrained and the trained agent are seen at once.
enum class NetworkLayout { single, milestones };

struct NetworkActivityBlock {
  std::string experiment;  // an experiment with an `env:` (agent runs), or a model experiment
                           // with a `walk:`
  std::string run;         // an agent run's label; "" = the first (walks: the walk's run)
  NetworkLayout layout = NetworkLayout::single;
  std::vector<int64_t> milestones;      // milestone indices (0 = first); empty = all
                                        // (milestones layout: at most 4)
  std::vector<int64_t> episodes = {0};  // evaluation episodes, played in turn (not for walks)
  double steps_per_second = 30;         // environment steps shown per second of video
  double points_per_second = 0;         // walks: points shown per second; 0 = 24 for a path,
                                        // 1 for images
  int nodes = 12;                       // at most this many nodes of a layer are drawn
  std::vector<std::string> given;       // the keys the file gave (what fits only agents or only
                                        // walks is refused for the other)
};

}  // namespace trajtool
