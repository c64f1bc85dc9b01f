#pragma once
// torch.optim.lr_scheduler (PyTorch 1.13) for one parameter group, torch-free: step_lr,
// multi_step_lr, exponential_lr, cosine_annealing_lr, linear_lr, one_cycle_lr, cyclic_lr and
// sequential_lr,
// with torch's argument names and defaults, computed exactly as lr_scheduler.py does (its
// chainable forms, its initial step, SequentialLR's resets and closed-form milestone steps), so
// that the rates agree with Python's to the last bit or nearly.
#include <memory>
#include <string>

#include "toolkit/core/training_spec.h"

namespace trajtool {

// The learning rate (and, with cycle_momentum, the momentum) of the one param
// group, as the schedule leaves them after construction and after each step.
struct GroupRates {
  double lr = 0;                 // group['lr']
  double momentum = 0;           // group['momentum'] or betas[0] when `cycles_momentum`
  bool cycles_momentum = false;  // one_cycle_lr/cyclic_lr with cycle_momentum: set each step
};

// A schedule as built: step() is scheduler.step(), called after each optimizer.step().
class LrSchedule {
 public:
  virtual ~LrSchedule() = default;
  virtual void step() = 0;
  virtual GroupRates rates() const = 0;  // what the next optimizer step uses
};

// Applies defaults to `spec` (argument names as torch's) and checks it against what torch refuses
// and what the run gives it: `steps` optimizer steps, an optimizer with or without a `momentum`
// (`has_momentum`) or `betas` (`has_betas`) hyperparameter. Returns "" or the problem, naming the
// argument.
std::string check_schedule(ScheduleSpec& spec, int64_t steps, bool has_momentum, bool has_betas,
                           bool nested = false);

// Builds the schedule over a group whose lr is `lr` (and momentum `momentum`), as constructing the
// torch scheduler does (its initial step included): rates() is what step 1 uses.
std::unique_ptr<LrSchedule> make_schedule(const ScheduleSpec& spec, double lr, double momentum);

// The names, for messages.
const char* schedule_names();

}  // namespace trajtool
