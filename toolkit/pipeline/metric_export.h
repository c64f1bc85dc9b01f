#pragma once
// A W&B-style CSV of cached runs (`trajtool cache export-csv`): a `_step` column, then one column
// per run and series, named "<run label>/<series>" ("Adam/loss", "Adam/grad_norm", ...), one row
// per step any series has; a series without a value at a step has an empty cell there (W&B's
// convention), NaN / inf / -inf are written as such, numbers in their shortest exact form. Names
// with commas, quotes or line breaks are quoted as RFC 4180 says.
#include <string>
#include <utility>
#include <vector>

#include "toolkit/core/run_series.h"

namespace trajtool {

// One run's series, under its label.
struct LabelledSeries {
  std::string label;                // the run's label
  std::vector<NamedSeries> series;  // toolkit/run_series.h
};

std::string runs_to_csv(const std::vector<LabelledSeries>& runs);

}  // namespace trajtool
