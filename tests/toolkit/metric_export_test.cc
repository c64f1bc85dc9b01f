// `cache export-csv`'s CSV read back by pandas (an independent reader) and by our own import.
#include "toolkit/pipeline/metric_export.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "../support/process.h"
#include "toolkit/pipeline/metric_import.h"

namespace trajtool {
namespace {

namespace fs = std::filesystem;

std::vector<LabelledSeries> sample_runs() {
  NamedSeries loss{"loss", {0, 1, 2}, {3.5, 0.1 + 0.2, NAN}};
  NamedSeries grad{"grad_norm", {1, 2}, {INFINITY, -INFINITY}};
  NamedSeries acc{"eval/test_accuracy", {0, 2}, {0.5, 0.75}};
  return {{"Adam, lr=0.1", {loss, grad}}, {"MLP \"tiny\"", {acc}}};
}

TEST(MetricExport, PandasReadsTheColumnsCellsAndGaps) {
  const fs::path path =
      fs::temp_directory_path() / ("export_" + std::to_string(::getpid()) + ".csv");
  std::ofstream(path, std::ios::binary) << runs_to_csv(sample_runs());
  // pandas as a user reads a W&B export (round_trip: pandas' default parser may be off by an ulp);
  // every cell printed with repr.
  const testing::Result result =
      testing::run("/usr/bin/python3 -c \"import pandas as pd; t = pd.read_csv('" + path.string() +
                   "', float_precision='round_trip'); print(list(t.columns)); "
                   "[print(repr(float(v))) for c in t.columns for v in t[c]]\"");
  fs::remove(path);
  ASSERT_EQ(result.status, 0) << result.output;
  EXPECT_EQ(result.output,
            "['_step', 'Adam, lr=0.1/loss', 'Adam, lr=0.1/grad_norm', 'MLP "
            "\"tiny\"/eval/test_accuracy']\n"
            "0.0\n1.0\n2.0\n"
            "3.5\n0.30000000000000004\nnan\n"
            "nan\ninf\n-inf\n"
            "0.5\nnan\n0.75\n");
}

TEST(MetricExport, OurImportReadsItBackExactly) {
  MetricSourceSpec spec;
  spec.csv_path = "export.csv";
  spec.origin = "test";
  MetricSeriesSpec all;
  all.pattern = "*";
  all.origin = "test";
  spec.series.push_back(all);
  const MetricLog log = import_metric_bytes(spec, runs_to_csv(sample_runs()));
  ASSERT_EQ(log.series.size(), 3u);
  EXPECT_EQ(log.series[0].column, "Adam, lr=0.1/loss");
  EXPECT_EQ(log.series[0].step, (std::vector<double>{0, 1, 2}));
  EXPECT_EQ(log.series[0].value[1], 0.1 + 0.2);  // shortest exact form: bit-identical
  EXPECT_TRUE(std::isnan(log.series[0].value[2]));
  EXPECT_EQ(log.series[1].step, (std::vector<double>{1, 2}));  // no value at step 0: no point
  EXPECT_EQ(log.series[1].value, (std::vector<double>{INFINITY, -INFINITY}));
  EXPECT_EQ(log.series[2].step, (std::vector<double>{0, 2}));
}

}  // namespace
}  // namespace trajtool
