// The training-log import against independent references: pandas reads the same tricky CSV (BOM,
// CRLF, quoted names with commas and quotes, a line break inside a quoted cell, empty cells,
// NaN/inf/-inf) and computes the smoothing (golden/make_metrics_golden.py); bad logs are refused
// with the file, the line and the column.
#include "toolkit/pipeline/metric_import.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cache/cache_store.h"
#include "toolkit/config/experiment_config.h"
#include "toolkit/core/error.h"
#include "toolkit/core/metric_stats.h"
#include "toolkit/pipeline/cache_key.h"
#include "toolkit/pipeline/generate.h"
#include "toolkit/pipeline/metric_smoothing.h"

namespace trajtool {
namespace {

namespace fs = std::filesystem;

const std::string kGolden = std::string(TRAJTOOL_SOURCE_DIR) + "/tests/toolkit/golden/";

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class MetricImport : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("trajtool_metrics_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // An experiment reading `csv` (written as log.csv) with the given `metrics:` item tail.
  Experiment experiment(const std::string& csv, const std::string& source_tail) {
    std::ofstream(dir_ / "log.csv", std::ios::binary) << csv;
    const std::string yaml = "name: t\nmetrics:\n  - csv: log.csv\n" + source_tail;
    std::ofstream(dir_ / "e.yaml") << yaml;
    return load_experiment((dir_ / "e.yaml").string());
  }
  // The message of the InputError importing `csv` with `series` gives ("" if none).
  std::string error_of(const std::string& csv, const std::string& series) {
    try {
      import_metric_log(experiment(csv, "    series: [" + series + "]\n").metrics.at(0));
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }
  std::string log_path() const { return (dir_ / "log.csv").lexically_normal().string(); }

  fs::path dir_;
};

TEST_F(MetricImport, MatchesPandasOnATrickyLogWithItsSmoothing) {
  const std::string csv = read_all(kGolden + "metrics_tricky.csv");
  const std::string columns =
      "    series: [{column: train/loss}, {column: 'eval \"acc\"'}, {column: 'lr, scaled'}]\n";
  // (Each experiment() rewrites the log: import before the next, or the import sees it changed.)
  const MetricLog by_ema =
      import_metric_log(experiment(csv, columns + "    smoothing: {ema: 0.6}\n").metrics.at(0));
  const MetricLog by_window =
      import_metric_log(experiment(csv, columns + "    smoothing: {window: 3}\n").metrics.at(0));
  EXPECT_EQ(by_ema.step_column, "_step");
  EXPECT_EQ(by_ema.rows, 60);
  ASSERT_EQ(by_ema.series.size(), 3u);

  std::istringstream golden(read_all(kGolden + "metrics_tricky.golden"));
  std::string line;
  std::map<std::string, std::size_t> seen;  // points checked per column
  while (std::getline(golden, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string column, step, value, smoothed, windowed;
    std::getline(fields, column, '\t');
    fields >> step >> value >> smoothed >> windowed;
    std::size_t s = 0;
    while (by_ema.series[s].column != column) ++s;
    const std::size_t i = seen[column]++;
    const MetricSeries& a = by_ema.series[s];
    const MetricSeries& b = by_window.series[s];
    ASSERT_LT(i, a.step.size()) << column;
    EXPECT_EQ(a.step[i], std::stod(step)) << column << " " << i;
    auto same = [](double ours, const std::string& text) {
      const double theirs = std::stod(text);  // "nan", "inf", "-inf" as Python's repr writes them
      if (std::isnan(theirs)) return std::isnan(ours);
      return ours == theirs || std::fabs(ours - theirs) <= 1e-12 * std::fabs(theirs);
    };
    EXPECT_TRUE(same(a.value[i], value)) << column << " " << i << ": " << a.value[i];
    EXPECT_TRUE(same(a.smoothed[i], smoothed)) << column << " " << i << ": " << a.smoothed[i];
    EXPECT_TRUE(same(b.smoothed[i], windowed)) << column << " " << i << ": " << b.smoothed[i];
  }
  // Every point pandas found, and no more: empty cells are no points (never zeros).
  for (const MetricSeries& series : by_ema.series) {
    EXPECT_EQ(seen[series.column], series.step.size()) << series.column;
  }
  EXPECT_EQ(by_ema.series[1].step.size(), 12u);  // eval "acc": every 5th row
}

TEST_F(MetricImport, StatisticsMatchNumpy) {
  const std::string csv = read_all(kGolden + "metrics_tricky.csv");
  const MetricLog log =
      import_metric_log(experiment(csv,
                                   "    series: [{column: train/loss}, {column: 'eval \"acc\"'}, "
                                   "{column: 'lr, scaled'}]\n")
                            .metrics.at(0));
  std::istringstream golden(read_all(kGolden + "metrics_tricky.stats"));
  std::string line;
  int checked = 0;
  while (std::getline(golden, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string column;
    std::getline(fields, column, '\t');
    int64_t count, non_finite;
    std::string final, final_step, mean, max, max_step, min, min_step;
    fields >> count >> non_finite >> final >> final_step >> mean >> max >> max_step >> min >>
        min_step;
    std::size_t s = 0;
    while (log.series[s].column != column) ++s;
    const MetricStats st = metric_stats(log.series[s].step, log.series[s].value);
    EXPECT_EQ(st.count, count) << column;
    EXPECT_EQ(st.non_finite, non_finite) << column;
    EXPECT_EQ(st.final, std::stod(final)) << column;
    EXPECT_EQ(st.final_step, std::stod(final_step)) << column;
    EXPECT_NEAR(st.mean, std::stod(mean), 1e-15 * std::fabs(std::stod(mean))) << column;
    EXPECT_EQ(st.max, std::stod(max)) << column;
    EXPECT_EQ(st.max_step, std::stod(max_step)) << column;
    EXPECT_EQ(st.min, std::stod(min)) << column;
    EXPECT_EQ(st.min_step, std::stod(min_step)) << column;
    ++checked;
  }
  EXPECT_EQ(checked, 3);
}

TEST_F(MetricImport, EmaIsDebiasedAndSkipsNonFiniteValues) {
  // By hand: a = 0.5, x = 2, 4: m1 = 1 -> 1 / 0.5 = 2; m2 = 0.5 + 2 = 2.5 -> 2.5 / 0.75.
  const std::vector<double> out = debiased_ema({2, NAN, 4, INFINITY}, 0.5);
  EXPECT_DOUBLE_EQ(out[0], 2);
  EXPECT_TRUE(std::isnan(out[1]));
  EXPECT_DOUBLE_EQ(out[2], 2.5 / 0.75);
  EXPECT_EQ(out[3], INFINITY);
  const std::vector<double> mean = trailing_mean({1, 2, NAN, 3, 4}, 2);
  EXPECT_DOUBLE_EQ(mean[0], 1);
  EXPECT_DOUBLE_EQ(mean[1], 1.5);
  EXPECT_TRUE(std::isnan(mean[2]));
  EXPECT_DOUBLE_EQ(mean[3], 2.5);
  EXPECT_DOUBLE_EQ(mean[4], 3.5);
}

TEST_F(MetricImport, DefaultStepColumnsAndRowNumbers) {
  MetricLog by_step =
      import_metric_log(experiment("step,loss\n5,1\n7,2\n", "    series: [loss]\n").metrics.at(0));
  EXPECT_EQ(by_step.step_column, "step");
  EXPECT_EQ(by_step.series[0].step, (std::vector<double>{5, 7}));
  MetricLog by_tb = import_metric_log(
      experiment("Wall time,Step,Value\n1.5,10,0.3\n2.5,20,0.2\n", "    series: [Value]\n")
          .metrics.at(0));
  EXPECT_EQ(by_tb.step_column, "Step");  // TensorBoard's scalar export
  EXPECT_EQ(by_tb.series[0].step, (std::vector<double>{10, 20}));
  MetricLog by_row =
      import_metric_log(experiment("loss\n3\n2\n1\n", "    series: [loss]\n").metrics.at(0));
  EXPECT_EQ(by_row.step_column, "");
  EXPECT_EQ(by_row.series[0].step, (std::vector<double>{0, 1, 2}));
}

TEST_F(MetricImport, GlobsBandsAndStd) {
  MetricLog log =
      import_metric_log(experiment("_step,reward/a,reward/b,kl/mean,kl/min,kl/max,kl/std\n"
                                   "0,1,2,5,4,6,0.5\n1,3,,7,6,9,1\n",
                                   "    series:\n      - {columns: 'reward/*'}\n"
                                   "      - {column: kl/mean, band: [kl/min, kl/max]}\n"
                                   "      - {column: kl/mean, band: {std: kl/std}}\n")
                            .metrics.at(0));
  ASSERT_EQ(log.series.size(), 4u);
  EXPECT_EQ(log.series[0].column, "reward/a");
  EXPECT_EQ(log.series[1].column, "reward/b");
  EXPECT_EQ(log.series[1].value, (std::vector<double>{2}));  // its empty cell is no point
  EXPECT_EQ(log.series[0].item, 0);
  EXPECT_EQ(log.series[2].item, 1);
  EXPECT_EQ(log.series[2].band_low, (std::vector<double>{4, 6}));
  EXPECT_EQ(log.series[2].band_high, (std::vector<double>{6, 9}));
  EXPECT_EQ(log.series[3].band_low, (std::vector<double>{4.5, 6}));
  EXPECT_EQ(log.series[3].band_high, (std::vector<double>{5.5, 8}));
}

TEST_F(MetricImport, BadLogsNameTheFileLineAndColumn) {
  const std::string f = log_path();
  EXPECT_EQ(error_of("", "loss"), f + ": the file is empty (a log needs a header row)");
  EXPECT_NE(error_of("1,2\n3,4\n", "loss").find(f + ":1: the first line holds numbers"),
            std::string::npos);
  EXPECT_NE(
      error_of("_step,loss,acc\n0,1,\n1,2,\n", "acc").find(f + ": column 'acc' has no numbers"),
      std::string::npos);
  // The cell after a quoted cell with a line break in it is on line 4.
  EXPECT_EQ(error_of("_step,loss,note\n0,1,\"a\nb\"\n1,x2,c\n", "loss"),
            f + ":4: column 'loss': 'x2' is not a number (a numeric column holds numbers, NaN, "
                "inf or nothing)");
  EXPECT_NE(error_of("_step,loss\n0,1\n2,2\n1,3\n", "loss")
                .find(f + ":4: column '_step': step 1 comes after 2 of line 3"),
            std::string::npos);
  EXPECT_NE(error_of("_step,loss\r\n0,1\r\n1,2\r\n1,3\r\n", "loss")
                .find(f + ":4: column '_step': step 1 repeats (lines 3 and 4)"),
            std::string::npos);
  const std::string unknown = error_of("_step,train/loss,eval/loss,lr\n0,1,2,3\n", "train/los");
  EXPECT_NE(unknown.find("e.yaml:4: metrics[0].series[0]"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("'train/los' is not a column of the log (closest: 'train/loss', "
                         "'eval/loss'"),
            std::string::npos)
      << unknown;
  EXPECT_NE(error_of(std::string("\x89PNG\r\n\x1a\n\0\0", 10), "loss").find("not a text CSV file"),
            std::string::npos);
  EXPECT_NE(error_of("_step,loss\n0,1\n1,\"2\n", "loss").find(f + ":3: malformed CSV"),
            std::string::npos);
  EXPECT_NE(error_of("_step,loss\n0,1\n1,2\"x\n", "loss").find(f + ":3: malformed CSV"),
            std::string::npos);
  EXPECT_EQ(error_of("_step,loss\n0,1,3\n", "loss"),
            f + ":2: this row has 3 fields, the header has 2");
  EXPECT_EQ(error_of("_step,loss\n", "loss"), f + ": the file has a header but no data rows");
}

TEST_F(MetricImport, SeveralLogsPerExperimentAreSeveralEntries) {
  std::ofstream(dir_ / "b.csv") << "step,loss\n0,5\n10,4\n";
  const Experiment e = experiment("_step,loss\n0,1\n1,2\n",
                                  "    series: [loss]\n    label: run A\n"
                                  "  - csv: b.csv\n    series: [loss]\n    label: run B\n");
  ASSERT_EQ(e.metrics.size(), 2u);
  const std::vector<PlannedEntry> plan = plan_experiment(e);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0].kind, EntryKind::kMetrics);
  EXPECT_NE(plan[0].key, plan[1].key);
  const CacheStore store((dir_ / "cache").string());
  const std::vector<GenerateOutcome> done = generate_experiment(e, store, {});
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(done[1].label, "run B");
  EXPECT_EQ(store.read_metrics(done[1].key)->series[0].step, (std::vector<double>{0, 10}));
}

TEST_F(MetricImport, ALogChangedAfterTheExperimentWasReadIsRefused) {
  const Experiment e = experiment("_step,loss\n0,1\n1,2\n", "    series: [loss]\n");
  std::ofstream(dir_ / "log.csv", std::ios::binary) << "_step,loss\n0,1\n1,2\n2,3\n";
  try {
    import_metric_log(e.metrics[0]);
    FAIL() << "a changed log was imported under the old key";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("the file changed after"), std::string::npos);
  }
}

TEST_F(MetricImport, KeyFollowsTheBytesNotThePathAndBadLogsWriteNothing) {
  Experiment a = experiment("_step,loss\n0,1\n1,2\n", "    series: [{column: loss, label: A}]\n");
  const std::string key_a = metrics_identity(a.metrics[0]).key;
  // The same bytes under another name, another label: the same entry.
  fs::rename(dir_ / "log.csv", dir_ / "other.csv");
  std::ofstream(dir_ / "e2.yaml")
      << "name: t\nmetrics:\n  - csv: other.csv\n    series: [{column: loss, label: B}]\n";
  EXPECT_EQ(metrics_identity(load_experiment((dir_ / "e2.yaml").string()).metrics[0]).key, key_a);
  Experiment changed = experiment("_step,loss\n0,1\n1,3\n", "    series: [loss]\n");
  EXPECT_NE(metrics_identity(changed.metrics[0]).key, key_a);
  Experiment smoothed =
      experiment("_step,loss\n0,1\n1,2\n", "    series: [loss]\n    smoothing: {ema: 0.5}\n");
  EXPECT_NE(metrics_identity(smoothed.metrics[0]).key, key_a);

  const CacheStore store((dir_ / "cache").string());
  const std::vector<GenerateOutcome> done = generate_experiment(smoothed, store, {});
  ASSERT_EQ(done.size(), 1u);
  std::optional<MetricLog> back = store.read_metrics(done[0].key);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->series[0].value, (std::vector<double>{1, 2}));
  EXPECT_DOUBLE_EQ(back->series[0].smoothed[1], (0.25 + 1) / 0.75);
  store.verify(EntryKind::kMetrics, done[0].key);
  // A flipped byte in its data is found by verify, and generate makes the entry again.
  {
    std::string bytes = read_all(done[0].path);
    const std::string needle(reinterpret_cast<const char*>(&back->series[0].value[1]), 8);
    const std::size_t at = bytes.find(needle);
    ASSERT_NE(at, std::string::npos);
    bytes[at + 3] ^= 0x40;
    std::ofstream(done[0].path, std::ios::binary) << bytes;
  }
  EXPECT_THROW(store.verify(EntryKind::kMetrics, done[0].key), CorruptEntry);
  const std::vector<GenerateOutcome> again = generate_experiment(smoothed, store, {});
  EXPECT_FALSE(again[0].hit);
  EXPECT_NE(again[0].note.find("was corrupt"), std::string::npos);
  store.verify(EntryKind::kMetrics, done[0].key);

  Experiment bad = experiment("_step,loss\n0,1\n1,oops\n", "    series: [loss]\n");
  EXPECT_THROW(generate_experiment(bad, store, {}), InputError);
  EXPECT_FALSE(store.contains(EntryKind::kMetrics, metrics_identity(bad.metrics[0]).key));
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir_ / "cache")) {
    files += entry.is_regular_file() ? 1 : 0;
  }
  EXPECT_EQ(files, 1u);  // the good entry only: no temporary left
}

}  // namespace
}  // namespace trajtool
