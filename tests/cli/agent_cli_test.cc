// Agent runs through the real `trajtool generate`: the entry read by h5py under the names the
// issue lists, its recorded activations recomputed by Python's torch from its stored weights, its
// observations stepped by a Python re-implementation of Gym's CartPole-v1, bit-identical reruns,
// a cache hit without LibTorch, bad inputs that write nothing, and the shipped experiment learning.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/process.h"
#include "tests/support/test_folder.h"

namespace fs = std::filesystem;

namespace {

using trajtool::testing::Result;
using trajtool::testing::run;

class AgentCli : public ::testing::Test {
 protected:
  trajtool::testing::TestFolder folder_{"trajtool_agent_"};  // the test's own folder
  const fs::path dir_ = folder_.path();
  std::string write(const std::string& name, const std::string& text) {
    return folder_.write(name, text);
  }
  std::string trajtool(const std::string& args, const std::string& cache = "cache",
                       const std::string& env = "") const {
    return env + " " + std::string(TRAJTOOL_EXE) + " " + args + " --cache-dir " +
           (dir_ / cache).string();
  }
  std::size_t files_in_cache() const { return folder_.files_below("cache"); }
};

const char* kAgentConfig = R"(name: tiny_agent
env: cartpole
model: {layers: [4, 16, 16, 2], activation: tanh}
updates: 40
n_envs: 4
n_steps: 5
seed: 3
milestones: [0.5, 1.0]
episodes: 3
runs:
  - {optimizer: adam, lr: 0.01, label: "A2C"}
)";

// What h5py reads, checked against independent references: torch recomputes every layer from the
// stored weights, Gym's equations step the stored observations.
const char* kCheck = R"(import sys, math, h5py, torch
f = h5py.File(sys.argv[1], "r")
assert f.attrs["kind"] == "agent"
assert list(f.attrs["action_names"]) == ["push left", "push right"]
ret = f["train/episode_return"][()]
assert len(ret) > 0 and len(f["train/policy_loss"]) == 40
assert len(f["train/value_loss"]) == 40 and len(f["train/entropy"]) == 40
assert list(f["milestone_update"][()]) == [20, 40]
assert sorted(f["milestones"].keys()) == ["0", "1"]
def gym_step(s, a):
    x, x_dot, th, th_dot = s
    force = 10.0 if a == 1 else -10.0
    c, sn = math.cos(th), math.sin(th)
    temp = (force + 0.05 * th_dot**2 * sn) / 1.1
    thacc = (9.8 * sn - c * temp) / (0.5 * (4.0 / 3.0 - 0.1 * c**2 / 1.1))
    xacc = temp - 0.05 * thacc * c / 1.1
    return [x + 0.02 * x_dot, x_dot + 0.02 * xacc, th + 0.02 * th_dot, th_dot + 0.02 * thacc]
for k in ["0", "1"]:
    m = f["milestones/" + k]
    w = {n: torch.from_numpy(v[()]) for n, v in m["weights"].items()}
    trunk = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.Tanh(), torch.nn.Linear(16, 16),
                                torch.nn.Tanh())
    trunk.load_state_dict({n[6:]: v for n, v in w.items() if n.startswith("trunk.")})
    policy, value = torch.nn.Linear(16, 2), torch.nn.Linear(16, 1)
    policy.load_state_dict({"weight": w["policy.weight"], "bias": w["policy.bias"]})
    value.load_state_dict({"weight": w["value.weight"], "bias": w["value.bias"]})
    returns = m["eval_returns"][()]
    assert len(returns) == 3
    for i in range(3):
        e = m["episode_%d" % i]
        obs = e["observation"][()]
        T = obs.shape[0]
        assert obs.shape == (T, 4) and 1 <= T <= 500
        acts = e["activations"]
        assert list(acts.keys()) == ["trunk.0", "trunk.1", "trunk.2", "trunk.3", "policy", "value"]
        x = torch.from_numpy(obs).float()
        outs = []
        h = x
        for layer in trunk:
            h = layer(h)
            outs.append(h)
        outs += [policy(h), value(h)]
        for name, o in zip(acts.keys(), outs):
            assert acts[name].shape == tuple(o.shape), name
            assert torch.allclose(torch.from_numpy(acts[name][()]), o.detach(), atol=1e-5), name
        probs = torch.softmax(outs[4], 1).detach()
        assert torch.allclose(torch.from_numpy(e["action_probs"][()]), probs, atol=1e-6)
        a = e["action"][()]
        assert (a == probs.argmax(1).numpy()).all()
        assert torch.allclose(torch.from_numpy(e["value"][()]), outs[5][:, 0].detach(), atol=1e-5)
        r = e["reward"][()]
        assert (r == 1).all() and (e["episode_reward"][()] == r.cumsum()).all()
        assert returns[i] == T
        for t in range(T - 1):
            nxt = gym_step(obs[t], a[t])
            assert max(abs(p - q) for p, q in zip(nxt, obs[t + 1])) < 1e-12, (k, i, t)
        assert max(abs(v) for v in obs[0]) <= 0.05
    # Episode i starts from the same seeded state at every milestone.
    assert (f["milestones/0/episode_1/observation"][0] == f["milestones/1/episode_1/observation"][0]).all()
print("python-ok")
)";

TEST_F(AgentCli, EntryHoldsWhatTorchAndGymRecompute) {
  const std::string config = write("agent.yaml", kAgentConfig);
  Result generated = run(trajtool("generate --config " + config));
  ASSERT_EQ(generated.status, 0) << generated.output;
  EXPECT_NE(generated.output.find("A2C"), std::string::npos) << generated.output;
  EXPECT_NE(generated.output.find("final_mean_return="), std::string::npos) << generated.output;
  Result path = run(trajtool("cache path --config " + config));
  ASSERT_EQ(path.status, 0) << path.output;
  const std::string entry = path.output.substr(0, path.output.find('\n'));
  EXPECT_NE(entry.find("/agents/"), std::string::npos) << entry;
  const std::string script = write("check.py", kCheck);
  Result python = run("/usr/bin/python3 " + script + " " + entry);
  EXPECT_NE(python.output.find("python-ok"), std::string::npos) << python.output;
  EXPECT_EQ(run(trajtool("cache verify")).status, 0);

  // Cached: no LibTorch needed.
  Result again =
      run(trajtool("generate --config " + config, "cache", "TRAJTOOL_COMPUTE_LIB=/nonexistent"));
  ASSERT_EQ(again.status, 0) << again.output;
  EXPECT_EQ(again.output.find("computed"), std::string::npos) << again.output;

  // The same config and seed elsewhere: every dataset bit for bit the same.
  ASSERT_EQ(run(trajtool("generate --config " + config, "cache2")).status, 0);
  Result other = run(trajtool("cache path --config " + config, "cache2"));
  const std::string copy = other.output.substr(0, other.output.find('\n'));
  Result same =
      run("/usr/bin/python3 -c \"import h5py, numpy, sys\n"
          "a, b = h5py.File(sys.argv[1]), h5py.File(sys.argv[2])\n"
          "names = []\n"
          "a.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)\n"
          "assert len(names) > 50\n"
          "for n in names: assert numpy.array_equal(a[n][()], b[n][()]), n\n"
          "print('same-ok')\" " +
          entry + " " + copy);
  EXPECT_NE(same.output.find("same-ok"), std::string::npos) << same.output;
}

TEST_F(AgentCli, BadInputsNameFileLineAndKeyAndWriteNothing) {
  const std::string base = kAgentConfig;
  auto with = [&](const std::string& from, const std::string& to) {
    std::string text = base;
    text.replace(text.find(from), from.size(), to);
    return text;
  };
  const std::pair<std::string, std::string> cases[] = {
      {with("env: cartpole", "env: mountaincar"),
       ":2: env: unknown environment 'mountaincar' (known: cartpole)"},
      {with("layers: [4, 16, 16, 2]", "layers: [3, 16, 16, 2]"),
       ":3: model.layers: layers[0] is 3 but env cartpole observes 4 values"},
      {with("layers: [4, 16, 16, 2]", "layers: [4, 16, 16, 3]"),
       ":3: model.layers: the last layer (the policy head) has 3 outputs but cartpole has 2 "
       "actions"},
      {with("n_envs: 4", "n_envz: 4"), ":5: n_envz: unknown key"},
      {with("milestones: [0.5, 1.0]", "milestones: [0.5, 0.4]"),
       ":8: milestones[1]: milestones must increase"},
      {with("lr: 0.01", "lr: -1"), ":11: runs[0].lr"},
  };
  for (const auto& [text, message] : cases) {
    const std::string config = write("bad.yaml", text);
    Result result = run(trajtool("generate --config " + config));
    EXPECT_EQ(result.status, 2) << result.output;
    EXPECT_NE(result.output.find(config + message), std::string::npos) << result.output;
    EXPECT_EQ(files_in_cache(), 0u) << text;
  }
}

// The shipped experiment really learns: at the last milestone the mean return over its 10
// evaluation episodes is at least 475 (CartPole-v1's "solved"), the first milestone's is far below.
TEST_F(AgentCli, ShippedExperimentLearnsToBalance) {
  const std::string config = std::string(TRAJTOOL_SOURCE_DIR) + "/experiments/cartpole_a2c.yaml";
  Result generated = run(trajtool("generate --config " + config));
  ASSERT_EQ(generated.status, 0) << generated.output;
  Result path = run(trajtool("cache path --config " + config));
  const std::string entry = path.output.substr(0, path.output.find('\n'));
  Result means =
      run("/usr/bin/python3 -c \"import h5py, sys\n"
          "f = h5py.File(sys.argv[1])\n"
          "r = [f['milestones/%d/eval_returns' % k][()] for k in range(4)]\n"
          "assert all(len(x) == 10 for x in r)\n"
          "print('first', r[0].mean(), 'last', r[3].mean())\" " +
          entry);
  double first = 0, last = 0;
  std::istringstream in(means.output);
  std::string a, b;
  in >> a >> first >> b >> last;
  ASSERT_EQ(a, "first") << means.output;
  EXPECT_GE(last, 475.0) << means.output;
  EXPECT_LT(first, 300.0) << means.output;
}

}  // namespace
