#include "optimizers/lr_schedule.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

namespace trajtool {
namespace {

// The param group the schedulers share (torch keeps these keys in the group dict).
struct Group {
  double lr = 0;             // group['lr']
  bool has_initial = false;  // 'initial_lr' in group
  double initial_lr = 0;     // group['initial_lr']
  double max_lr = 0;         // one_cycle_lr: group['max_lr']
  double min_lr = 0;         // one_cycle_lr: group['min_lr']
  double momentum = 0;       // group['momentum'] or betas[0]
  double max_momentum = 0;   // one_cycle_lr
  double base_momentum = 0;  // one_cycle_lr
  bool cycles_momentum = false;
};

double number(const ScheduleSpec& s, const std::string& name) {
  return std::get<double>(s.args.at(name));
}

// torch's _LRScheduler for one group.
class Scheduler {
 public:
  explicit Scheduler(std::shared_ptr<Group> group) : g_(std::move(group)) {}
  virtual ~Scheduler() = default;
  // What the constructor of _LRScheduler does with last_epoch = -1.
  void start() {
    if (!g_->has_initial) {
      g_->initial_lr = g_->lr;
      g_->has_initial = true;
    }
    base_lr_ = g_->initial_lr;
    last_epoch_ = -1;
    initial_step();
    after_start();
  }
  void initial_step() {
    step_count_ = 0;
    step();
  }
  void step() {
    ++step_count_;
    ++last_epoch_;
    g_->lr = get_lr();
  }
  void step_to(int64_t epoch) {  // step(epoch): the closed form when there is one
    ++step_count_;
    last_epoch_ = epoch;
    g_->lr = closed_form();
  }
  int64_t last_epoch_ = -1;

 protected:
  virtual double get_lr() = 0;
  virtual double closed_form() { return get_lr(); }
  virtual void after_start() {}  // what a subclass's __init__ does after super().__init__
  std::shared_ptr<Group> g_;
  double base_lr_ = 0;
  int64_t step_count_ = 0;
};

class StepLR : public Scheduler {
 public:
  StepLR(std::shared_ptr<Group> g, const ScheduleSpec& s)
      : Scheduler(std::move(g)),
        step_size_(static_cast<int64_t>(number(s, "step_size"))),
        gamma_(number(s, "gamma")) {}
  double get_lr() override {
    if (last_epoch_ == 0 || last_epoch_ % step_size_ != 0) return g_->lr;
    return g_->lr * gamma_;
  }
  double closed_form() override {
    return base_lr_ * std::pow(gamma_, static_cast<double>(last_epoch_ / step_size_));
  }

 private:
  int64_t step_size_;
  double gamma_;
};

class MultiStepLR : public Scheduler {
 public:
  MultiStepLR(std::shared_ptr<Group> g, const ScheduleSpec& s)
      : Scheduler(std::move(g)), gamma_(number(s, "gamma")) {
    for (double m : std::get<std::vector<double>>(s.args.at("milestones"))) {
      ++counts_[static_cast<int64_t>(m)];
      sorted_.push_back(static_cast<int64_t>(m));
    }
    std::sort(sorted_.begin(), sorted_.end());
  }
  double get_lr() override {
    auto it = counts_.find(last_epoch_);
    if (it == counts_.end()) return g_->lr;
    return g_->lr * std::pow(gamma_, static_cast<double>(it->second));
  }
  double closed_form() override {
    const auto passed =
        std::upper_bound(sorted_.begin(), sorted_.end(), last_epoch_) - sorted_.begin();
    return base_lr_ * std::pow(gamma_, static_cast<double>(passed));
  }

 private:
  double gamma_;
  std::map<int64_t, int64_t> counts_;  // Counter(milestones)
  std::vector<int64_t> sorted_;
};

class ExponentialLR : public Scheduler {
 public:
  ExponentialLR(std::shared_ptr<Group> g, const ScheduleSpec& s)
      : Scheduler(std::move(g)), gamma_(number(s, "gamma")) {}
  double get_lr() override { return last_epoch_ == 0 ? g_->lr : g_->lr * gamma_; }
  double closed_form() override {
    return base_lr_ * std::pow(gamma_, static_cast<double>(last_epoch_));
  }

 private:
  double gamma_;
};

class CosineAnnealingLR : public Scheduler {
 public:
  CosineAnnealingLR(std::shared_ptr<Group> g, const ScheduleSpec& s)
      : Scheduler(std::move(g)), t_max_(number(s, "T_max")), eta_min_(number(s, "eta_min")) {}
  double get_lr() override {
    const auto e = static_cast<double>(last_epoch_);
    if (last_epoch_ == 0) return g_->lr;
    if (step_count_ == 1 && last_epoch_ > 0) {
      return eta_min_ + (base_lr_ - eta_min_) * (1 + std::cos(e * M_PI / t_max_)) / 2;
    }
    if (python_mod(e - 1 - t_max_, 2 * t_max_) == 0) {
      return g_->lr + (base_lr_ - eta_min_) * (1 - std::cos(M_PI / t_max_)) / 2;
    }
    return (1 + std::cos(M_PI * e / t_max_)) / (1 + std::cos(M_PI * (e - 1) / t_max_)) *
               (g_->lr - eta_min_) +
           eta_min_;
  }
  double closed_form() override {
    return eta_min_ + (base_lr_ - eta_min_) *
                          (1 + std::cos(M_PI * static_cast<double>(last_epoch_) / t_max_)) / 2;
  }

 private:
  static double python_mod(double a, double b) {  // Python's %: the sign of the divisor
    const double r = std::fmod(a, b);
    return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
  }
  double t_max_;
  double eta_min_;
};

class LinearLR : public Scheduler {
 public:
  LinearLR(std::shared_ptr<Group> g, const ScheduleSpec& s)
      : Scheduler(std::move(g)),
        start_(number(s, "start_factor")),
        end_(number(s, "end_factor")),
        total_(number(s, "total_iters")) {}
  double get_lr() override {
    if (last_epoch_ == 0) return g_->lr * start_;
    const auto e = static_cast<double>(last_epoch_);
    if (e > total_) return g_->lr;
    return g_->lr * (1. + (end_ - start_) / (total_ * start_ + (e - 1) * (end_ - start_)));
  }
  double closed_form() override {
    return base_lr_ *
           (start_ + (end_ - start_) * std::min(total_, static_cast<double>(last_epoch_)) / total_);
  }

 private:
  double start_, end_, total_;
};

class OneCycleLR : public Scheduler {
 public:
  OneCycleLR(std::shared_ptr<Group> g, const ScheduleSpec& s) : Scheduler(std::move(g)) {
    const double max_lr = number(s, "max_lr");
    total_ = number(s, "total_steps");
    const double pct = number(s, "pct_start");
    cos_ = std::get<std::string>(s.args.at("anneal_strategy")) == "cos";
    if (std::get<bool>(s.args.at("three_phase"))) {
      phases_ = {{pct * total_ - 1, 0, 1, 2, 3},
                 {2 * pct * total_ - 2, 1, 0, 3, 2},
                 {total_ - 1, 0, 4, 2, 2}};
    } else {
      phases_ = {{pct * total_ - 1, 0, 1, 2, 3}, {total_ - 1, 1, 4, 3, 2}};
    }
    g_->initial_lr = max_lr / number(s, "div_factor");
    g_->has_initial = true;
    g_->max_lr = max_lr;
    g_->min_lr = g_->initial_lr / number(s, "final_div_factor");
    g_->cycles_momentum = std::get<bool>(s.args.at("cycle_momentum"));
    if (g_->cycles_momentum) {
      g_->max_momentum = number(s, "max_momentum");
      g_->base_momentum = number(s, "base_momentum");
      g_->momentum = g_->max_momentum;
    }
  }
  double get_lr() override {
    const auto n = static_cast<double>(last_epoch_);
    double start = 0;
    double lr = 0;
    for (size_t i = 0; i < phases_.size(); ++i) {
      const Phase& p = phases_[i];
      if (n <= p.end || i + 1 == phases_.size()) {
        const double pct = (n - start) / (p.end - start);
        lr = anneal(value(p.start_lr), value(p.end_lr), pct);
        if (g_->cycles_momentum) {
          g_->momentum = anneal(value(p.start_momentum), value(p.end_momentum), pct);
        }
        break;
      }
      start = p.end;
    }
    return lr;
  }

 private:
  struct Phase {
    double end;                                          // end_step
    int start_lr, end_lr, start_momentum, end_momentum;  // 0 initial, 1 max, 2 max_m, 3 base_m,
                                                         // 4 min
  };
  double value(int which) const {
    switch (which) {
      case 0:
        return g_->initial_lr;
      case 1:
        return g_->max_lr;
      case 2:
        return g_->max_momentum;
      case 3:
        return g_->base_momentum;
      default:
        return g_->min_lr;
    }
  }
  double anneal(double start, double end, double pct) const {
    if (cos_) return end + (start - end) / 2.0 * (std::cos(M_PI * pct) + 1);
    return (end - start) * pct + start;
  }
  double total_ = 0;
  bool cos_ = true;
  std::vector<Phase> phases_;
};

// CyclicLR of torch 1.13: cycle_momentum cycles group['momentum'] only (torch 1.13 refuses an
// optimizer without `momentum`; 2.x would cycle betas[0]). No scale_fn argument: the mode's.
class CyclicLR : public Scheduler {
 public:
  CyclicLR(std::shared_ptr<Group> g, const ScheduleSpec& s)
      : Scheduler(std::move(g)), base_lr_arg_(number(s, "base_lr")), max_lr_(number(s, "max_lr")) {
    g_->lr = base_lr_arg_;  // last_epoch == -1: group['lr'] = base_lr
    const double up = number(s, "step_size_up");
    const double down = number(s, "step_size_down") < 0 ? up : number(s, "step_size_down");
    total_size_ = up + down;
    step_ratio_ = up / total_size_;
    const std::string mode = std::get<std::string>(s.args.at("mode"));
    mode_ = mode == "triangular" ? 0 : mode == "triangular2" ? 1 : 2;
    gamma_ = number(s, "gamma");
    g_->cycles_momentum = std::get<bool>(s.args.at("cycle_momentum"));
    if (g_->cycles_momentum) {
      g_->momentum = number(s, "base_momentum");  // group['momentum'] = base_momentum
      base_momentum_ = g_->momentum;
      max_momentum_ = number(s, "max_momentum");
    }
  }
  double get_lr() override {
    const auto epoch = static_cast<double>(last_epoch_);
    const double cycle = std::floor(1 + epoch / total_size_);
    const double x = 1. + epoch / total_size_ - cycle;
    const double scale_factor = x <= step_ratio_ ? x / step_ratio_ : (x - 1) / (step_ratio_ - 1);
    // scale_mode 'cycle' for the triangular modes, 'iterations' for exp_range
    const double scale = mode_ == 0   ? 1.
                         : mode_ == 1 ? 1 / std::pow(2., cycle - 1)
                                      : std::pow(gamma_, epoch);
    const double lr = base_lr_ + (max_lr_ - base_lr_) * scale_factor * scale;
    if (g_->cycles_momentum) {
      const double base_height = (max_momentum_ - base_momentum_) * scale_factor;
      g_->momentum = max_momentum_ - base_height * scale;
    }
    return lr;
  }
  void after_start() override { base_lr_ = base_lr_arg_; }  // self.base_lrs = base_lrs

 private:
  double base_lr_arg_, max_lr_;
  double total_size_ = 0, step_ratio_ = 0;
  int mode_ = 0;  // 0 triangular, 1 triangular2, 2 exp_range
  double gamma_ = 1;
  double base_momentum_ = 0, max_momentum_ = 0;
};

std::unique_ptr<Scheduler> make_one(const ScheduleSpec& s, std::shared_ptr<Group> g) {
  std::unique_ptr<Scheduler> made;
  if (s.name == "step_lr") made = std::make_unique<StepLR>(g, s);
  if (s.name == "multi_step_lr") made = std::make_unique<MultiStepLR>(g, s);
  if (s.name == "exponential_lr") made = std::make_unique<ExponentialLR>(g, s);
  if (s.name == "cosine_annealing_lr") made = std::make_unique<CosineAnnealingLR>(g, s);
  if (s.name == "linear_lr") made = std::make_unique<LinearLR>(g, s);
  if (s.name == "one_cycle_lr") made = std::make_unique<OneCycleLR>(g, s);
  if (s.name == "cyclic_lr") made = std::make_unique<CyclicLR>(g, s);
  made->start();
  return made;
}

class Single : public LrSchedule {
 public:
  Single(std::shared_ptr<Group> g, std::unique_ptr<Scheduler> s)
      : g_(std::move(g)), s_(std::move(s)) {}
  void step() override { s_->step(); }
  GroupRates rates() const override { return {g_->lr, g_->momentum, g_->cycles_momentum}; }

 private:
  std::shared_ptr<Group> g_;
  std::unique_ptr<Scheduler> s_;
};

class Constant : public LrSchedule {
 public:
  explicit Constant(double lr) : lr_(lr) {}
  void step() override {}
  GroupRates rates() const override { return {lr_, 0, false}; }

 private:
  double lr_;
};

// SequentialLR: the children are built first (each with its initial step), then the group's lr
// is reset, every child's last_epoch undone, and the first child's initial step done again.
class Sequential : public LrSchedule {
 public:
  Sequential(std::shared_ptr<Group> g, const ScheduleSpec& s) : g_(std::move(g)) {
    for (const ScheduleSpec& child : s.schedulers) children_.push_back(make_one(child, g_));
    for (double m : std::get<std::vector<double>>(s.args.at("milestones"))) {
      milestones_.push_back(static_cast<int64_t>(m));
    }
    last_epoch_ = 0;  // last_epoch + 1
    g_->lr = g_->initial_lr;
    for (auto& child : children_) child->last_epoch_ -= 1;
    children_[0]->initial_step();
  }
  void step() override {
    ++last_epoch_;
    const auto idx =
        static_cast<size_t>(std::upper_bound(milestones_.begin(), milestones_.end(), last_epoch_) -
                            milestones_.begin());
    Scheduler& s = *children_[idx];
    if (idx > 0 && milestones_[idx - 1] == last_epoch_) {
      s.step_to(0);
    } else {
      s.step();
    }
  }
  GroupRates rates() const override { return {g_->lr, g_->momentum, g_->cycles_momentum}; }

 private:
  std::shared_ptr<Group> g_;
  std::vector<std::unique_ptr<Scheduler>> children_;
  std::vector<int64_t> milestones_;
  int64_t last_epoch_ = 0;
};

// Argument kinds for checking and defaults.
enum class Arg { kInt, kNumber, kInts, kBool, kText };
struct ArgInfo {
  const char* name;
  Arg kind;
  bool required;
  HyperValue fallback;
};

const std::vector<ArgInfo>* args_of(const std::string& name) {
  static const std::map<std::string, std::vector<ArgInfo>> kArgs = {
      {"step_lr", {{"step_size", Arg::kInt, true, 0.0}, {"gamma", Arg::kNumber, false, 0.1}}},
      {"multi_step_lr",
       {{"milestones", Arg::kInts, true, std::vector<double>{}},
        {"gamma", Arg::kNumber, false, 0.1}}},
      {"exponential_lr", {{"gamma", Arg::kNumber, true, 0.0}}},
      {"cosine_annealing_lr",
       {{"T_max", Arg::kNumber, true, 0.0}, {"eta_min", Arg::kNumber, false, 0.0}}},
      {"linear_lr",
       {{"start_factor", Arg::kNumber, false, 1.0 / 3},
        {"end_factor", Arg::kNumber, false, 1.0},
        {"total_iters", Arg::kInt, false, 5.0}}},
      {"one_cycle_lr",
       {{"max_lr", Arg::kNumber, true, 0.0},
        {"total_steps", Arg::kInt, false, 0.0},
        {"epochs", Arg::kInt, false, 0.0},
        {"steps_per_epoch", Arg::kInt, false, 0.0},
        {"pct_start", Arg::kNumber, false, 0.3},
        {"anneal_strategy", Arg::kText, false, std::string("cos")},
        {"cycle_momentum", Arg::kBool, false, true},
        {"base_momentum", Arg::kNumber, false, 0.85},
        {"max_momentum", Arg::kNumber, false, 0.95},
        {"div_factor", Arg::kNumber, false, 25.0},
        {"final_div_factor", Arg::kNumber, false, 1e4},
        {"three_phase", Arg::kBool, false, false}}},
      {"cyclic_lr",
       {{"base_lr", Arg::kNumber, true, 0.0},
        {"max_lr", Arg::kNumber, true, 0.0},
        {"step_size_up", Arg::kNumber, false, 2000.0},
        {"step_size_down", Arg::kNumber, false, -1.0},  // -1: None, as step_size_up
        {"mode", Arg::kText, false, std::string("triangular")},
        {"gamma", Arg::kNumber, false, 1.0},
        {"cycle_momentum", Arg::kBool, false, true},
        {"base_momentum", Arg::kNumber, false, 0.8},
        {"max_momentum", Arg::kNumber, false, 0.9}}},
      {"sequential_lr", {{"milestones", Arg::kInts, true, std::vector<double>{}}}},
  };
  auto it = kArgs.find(name);
  return it == kArgs.end() ? nullptr : &it->second;
}

bool is_whole(double v) { return std::isfinite(v) && v == std::floor(v); }

}  // namespace

const char* schedule_names() {
  return "step_lr, multi_step_lr, exponential_lr, cosine_annealing_lr, linear_lr, one_cycle_lr, "
         "cyclic_lr, sequential_lr";
}

std::string check_schedule(ScheduleSpec& spec, int64_t steps, bool has_momentum, bool has_betas,
                           bool nested) {
  const std::vector<ArgInfo>* infos = args_of(spec.name);
  if (infos == nullptr) {
    return "unknown schedule '" + spec.name + "' (known: " + schedule_names() + ")";
  }
  for (const auto& [name, value] : spec.args) {
    bool known = false;
    for (const ArgInfo& info : *infos) known = known || name == info.name;
    if (!known) {
      std::string names;
      for (const ArgInfo& info : *infos)
        names += (names.empty() ? "" : ", ") + std::string(info.name);
      if (spec.name == "sequential_lr") names += ", schedulers";
      return "unknown argument `" + name + "` of " + spec.name + " (its arguments: " + names + ")";
    }
  }
  for (const ArgInfo& info : *infos) {
    auto it = spec.args.find(info.name);
    if (it == spec.args.end()) {
      if (info.required) return spec.name + " needs `" + info.name + "`";
      spec.args[info.name] = info.fallback;
      continue;
    }
    const HyperValue& v = it->second;
    const std::string at = spec.name + "." + info.name + ": ";
    switch (info.kind) {
      case Arg::kInt:
        if (!std::holds_alternative<double>(v) || !is_whole(std::get<double>(v))) {
          return at + "must be a whole number";
        }
        break;
      case Arg::kNumber:
        if (!std::holds_alternative<double>(v)) return at + "must be a number";
        break;
      case Arg::kInts:
        if (!std::holds_alternative<std::vector<double>>(v)) return at + "must be a list of steps";
        for (double m : std::get<std::vector<double>>(v)) {
          if (!is_whole(m) || m < 0) return at + "steps must be whole numbers >= 0";
        }
        break;
      case Arg::kBool:
        if (!std::holds_alternative<bool>(v)) return at + "must be true or false";
        break;
      case Arg::kText:
        if (!std::holds_alternative<std::string>(v)) return at + "must be a word";
        break;
    }
  }
  auto num = [&](const char* name) { return std::get<double>(spec.args.at(name)); };
  const std::string& n = spec.name;
  if (n == "step_lr" && num("step_size") < 1) {
    return "step_lr.step_size: must be >= 1 (torch takes last_epoch % step_size)";
  }
  if (n == "cosine_annealing_lr" && !(num("T_max") > 0)) {
    return "cosine_annealing_lr.T_max: must be > 0 (torch divides by it)";
  }
  if (n == "linear_lr") {
    if (num("start_factor") > 1.0 || num("start_factor") < 0) {
      return "linear_lr.start_factor: torch expects a factor between 0 and 1";
    }
    if (num("end_factor") > 1.0 || num("end_factor") < 0) {
      return "linear_lr.end_factor: torch expects a factor between 0 and 1";
    }
    if (num("start_factor") == 0) return "linear_lr.start_factor: 0 makes torch divide by zero";
    if (num("total_iters") < 1) return "linear_lr.total_iters: must be >= 1";
  }
  if (n == "one_cycle_lr") {
    if (nested) return "one_cycle_lr is not chainable: it cannot be part of sequential_lr";
    double total = num("total_steps");
    if (total == 0) {
      if (num("epochs") == 0 && num("steps_per_epoch") == 0) {
        return "one_cycle_lr: give total_steps, or epochs and steps_per_epoch (torch needs one)";
      }
      if (num("epochs") <= 0) return "one_cycle_lr.epochs: torch expects a positive integer";
      if (num("steps_per_epoch") <= 0) {
        return "one_cycle_lr.steps_per_epoch: torch expects a positive integer";
      }
      total = num("epochs") * num("steps_per_epoch");
    } else if (total < 0) {
      return "one_cycle_lr.total_steps: torch expects a positive integer";
    }
    spec.args["total_steps"] = total;
    if (total < static_cast<double>(steps)) {
      return "one_cycle_lr.total_steps: " + std::to_string(static_cast<int64_t>(total)) +
             " is fewer than the run's " + std::to_string(steps) +
             " steps (torch raises 'Tried to step ... times')";
    }
    if (num("pct_start") < 0 || num("pct_start") > 1) {
      return "one_cycle_lr.pct_start: torch expects a number between 0 and 1";
    }
    const std::string strategy = std::get<std::string>(spec.args.at("anneal_strategy"));
    if (strategy != "cos" && strategy != "linear") {
      return "one_cycle_lr.anneal_strategy: torch expects 'cos' or 'linear', got '" + strategy +
             "'";
    }
    if (std::get<bool>(spec.args.at("cycle_momentum")) && !has_momentum && !has_betas) {
      return "one_cycle_lr.cycle_momentum: the optimizer has no momentum or betas (torch: "
             "'optimizer must support momentum with `cycle_momentum` option enabled'); set it to "
             "false";
    }
  }
  if (n == "cyclic_lr") {
    const std::string mode = std::get<std::string>(spec.args.at("mode"));
    if (mode != "triangular" && mode != "triangular2" && mode != "exp_range") {
      return "cyclic_lr.mode: torch expects triangular, triangular2 or exp_range, got '" + mode +
             "'";
    }
    if (!(num("step_size_up") > 0)) return "cyclic_lr.step_size_up: must be > 0";
    if (num("step_size_down") < 0 && num("step_size_down") != -1) {
      return "cyclic_lr.step_size_down: must be >= 0";
    }
    if (std::get<bool>(spec.args.at("cycle_momentum")) && !has_momentum) {
      return "cyclic_lr.cycle_momentum: the optimizer has no `momentum` (torch 1.13 cycles only "
             "`momentum`, not betas: 'optimizer must support momentum with `cycle_momentum` option "
             "enabled'); set it to false";
    }
  }
  if (n == "sequential_lr") {
    if (nested) return "sequential_lr cannot hold another sequential_lr";
    const auto& milestones = std::get<std::vector<double>>(spec.args.at("milestones"));
    if (spec.schedulers.empty()) return "sequential_lr needs `schedulers`";
    if (milestones.size() + 1 != spec.schedulers.size()) {
      return "sequential_lr: torch expects one milestone fewer than schedulers (" +
             std::to_string(spec.schedulers.size()) + " schedulers, " +
             std::to_string(milestones.size()) + " milestones)";
    }
    for (size_t i = 0; i < spec.schedulers.size(); ++i) {
      std::string problem =
          check_schedule(spec.schedulers[i], steps, has_momentum, has_betas, true);
      if (!problem.empty()) return "schedulers[" + std::to_string(i) + "]: " + problem;
    }
  } else if (!spec.schedulers.empty()) {
    return spec.name + " takes no `schedulers`";
  }
  return "";
}

std::unique_ptr<LrSchedule> make_schedule(const ScheduleSpec& spec, double lr, double momentum) {
  if (spec.name.empty()) return std::make_unique<Constant>(lr);
  auto group = std::make_shared<Group>();
  group->lr = lr;
  group->momentum = momentum;
  if (spec.name == "sequential_lr") return std::make_unique<Sequential>(group, spec);
  return std::make_unique<Single>(group, make_one(spec, group));
}

}  // namespace trajtool
