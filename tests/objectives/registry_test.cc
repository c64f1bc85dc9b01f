// The double-precision registry against values from the literature (Wikipedia, "Test functions
// for optimization"; S. Surjanovic, D. Bingham, sfu.ca/~ssurjano) and hand computations.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "objectives/objective.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

ObjectiveSpec spec_of(const std::string& name, std::map<std::string, double> params = {}) {
  ObjectiveSpec spec;
  spec.name = name;
  spec.params = std::move(params);
  apply_objective_defaults(spec);
  return spec;
}

double f(const ObjectiveSpec& spec, double x, double y) {
  double out = 0;
  evaluate_objective(spec, &x, &y, &out, 1);
  return out;
}

std::string error_of(ObjectiveSpec spec) {
  try {
    apply_objective_defaults(spec);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

std::vector<std::string> registered_named_objectives() {
  std::vector<std::string> names = objective_names();
  names.erase(std::remove(names.begin(), names.end(), "expr"), names.end());
  return names;
}

TEST(Registry, HasEveryRequiredObjectiveOnce) {
  const std::vector<std::string> required = {"quadratic",       "rotated_quadratic",
                                             "bumpy_bowl",      "saddle",
                                             "rosenbrock",      "beale",
                                             "booth",           "matyas",
                                             "himmelblau",      "three_hump_camel",
                                             "goldstein_price", "mccormick",
                                             "rastrigin",       "ackley",
                                             "levi13",          "styblinski_tang",
                                             "quadratic_1d",    "expr"};
  const std::vector<std::string> names = objective_names();
  for (const std::string& name : required) {
    EXPECT_EQ(std::count(names.begin(), names.end(), name), 1) << name;
  }
  EXPECT_EQ(names.size(), required.size());
}

TEST(Registry, InfoIsWellFormedForEveryObjective) {
  for (const std::string& name : registered_named_objectives()) {
    const ObjectiveInfo info = objective_info(spec_of(name));
    EXPECT_EQ(info.name, name);
    EXPECT_FALSE(info.title.empty()) << name;
    EXPECT_EQ(info.formula.rfind(info.dim == 1 ? "f(x) = " : "f(x,y) = ", 0), 0u) << name;
    EXPECT_LT(info.domain.x_min, info.domain.x_max) << name;
    EXPECT_LT(info.domain.y_min, info.domain.y_max) << name;
    ASSERT_EQ(info.start.size(), static_cast<std::size_t>(info.dim)) << name;
    EXPECT_GE(info.start[0], info.domain.x_min) << name;
    EXPECT_LE(info.start[0], info.domain.x_max) << name;
    if (info.dim == 2) {
      EXPECT_GE(info.start[1], info.domain.y_min) << name;
      EXPECT_LE(info.start[1], info.domain.y_max) << name;
    }
    for (const KnownMinimum& m : info.minima) {
      EXPECT_GE(m.x, info.domain.x_min) << name;
      EXPECT_LE(m.x, info.domain.x_max) << name;
      EXPECT_GE(m.y, info.domain.y_min) << name;
      EXPECT_LE(m.y, info.domain.y_max) << name;
    }
  }
}

struct LiteratureMinimum {
  std::string name;  // objective
  double x, y;       // location as published
  double value;      // f there, as published
  double tolerance;  // published digits
};

// Global minima as published (Wikipedia, "Test functions for optimization", and the references in
// each objective's header); rounded values carry their rounding as tolerance.
const std::vector<LiteratureMinimum> kLiteratureMinima = {
    {"quadratic", 0, 0, 0, 0},
    {"rotated_quadratic", 0, 0, 0, 0},
    {"bumpy_bowl", 0, 0, 0, 0},
    {"rosenbrock", 1, 1, 0, 0},
    {"beale", 3, 0.5, 0, 0},
    {"booth", 1, 3, 0, 0},
    {"matyas", 0, 0, 0, 0},
    {"himmelblau", 3, 2, 0, 0},
    {"himmelblau", -2.805118, 3.131312, 0, 1e-6},
    {"himmelblau", -3.779310, -3.283186, 0, 1e-6},
    {"himmelblau", 3.584428, -1.848126, 0, 1e-6},
    {"three_hump_camel", 0, 0, 0, 0},
    {"goldstein_price", 0, -1, 3, 0},
    {"mccormick", -0.54719, -1.54719, -1.9133, 1e-4},
    {"rastrigin", 0, 0, 0, 0},
    {"ackley", 0, 0, 0, 1e-14},
    {"levi13", 1, 1, 0, 1e-30},
    {"styblinski_tang", -2.903534, -2.903534, -78.33233, 1e-5},
    {"quadratic_1d", 0, 0, 0, 0},
};

TEST(Registry, GlobalMinimaMatchTheLiterature) {
  for (const LiteratureMinimum& lit : kLiteratureMinima) {
    const ObjectiveSpec spec = spec_of(lit.name);
    const ObjectiveInfo info = objective_info(spec);
    const double position_tol = std::max(lit.tolerance, 1e-12);
    const auto it =
        std::find_if(info.minima.begin(), info.minima.end(), [&](const KnownMinimum& m) {
          return std::abs(m.x - lit.x) <= position_tol * 10 &&
                 std::abs(m.y - lit.y) <= position_tol * 10;
        });
    ASSERT_NE(it, info.minima.end()) << lit.name << " at " << lit.x << ", " << lit.y;
    EXPECT_TRUE(it->global) << lit.name;
    EXPECT_NEAR(it->value, lit.value, std::max(lit.tolerance, 1e-14)) << lit.name;
    EXPECT_NEAR(f(spec, it->x, it->y), lit.value, std::max(lit.tolerance, 1e-14)) << lit.name;
    // The published point itself (rounded) is within the rounding of the published value.
    EXPECT_NEAR(f(spec, lit.x, lit.y), lit.value, std::max(lit.tolerance, 1e-10)) << lit.name;
  }
}

// Every listed minimum: its value is f there, the central-difference gradient vanishes and no
// nearby point is lower.
void expect_minima_are_minima(const ObjectiveSpec& spec) {
  const ObjectiveInfo info = objective_info(spec);
  double lowest = INFINITY;
  for (const KnownMinimum& m : info.minima) lowest = std::min(lowest, m.value);
  for (const KnownMinimum& m : info.minima) {
    const std::string where =
        spec.name + " at (" + std::to_string(m.x) + ", " + std::to_string(m.y) + ")";
    const double v = f(spec, m.x, m.y);
    EXPECT_NEAR(m.value, v, 1e-12 * (1 + std::abs(v))) << where;
    EXPECT_EQ(m.global, m.value <= lowest + 1e-9) << where;
    const double h = 1e-6;
    const double gx = (f(spec, m.x + h, m.y) - f(spec, m.x - h, m.y)) / (2 * h);
    EXPECT_NEAR(gx, 0, 1e-6 * (1 + std::abs(v))) << where;
    if (info.dim == 2) {
      const double gy = (f(spec, m.x, m.y + h) - f(spec, m.x, m.y - h)) / (2 * h);
      EXPECT_NEAR(gy, 0, 1e-6 * (1 + std::abs(v))) << where;
    }
    for (int k = 0; k < 8; ++k) {
      const double angle = k * M_PI / 4;
      const double r = 1e-3;
      EXPECT_GE(f(spec, m.x + r * std::cos(angle), m.y + r * std::sin(angle)), v) << where;
    }
  }
}

TEST(Registry, ListedMinimaAreStationaryAndLowest) {
  for (const std::string& name : registered_named_objectives()) {
    expect_minima_are_minima(spec_of(name));
  }
  expect_minima_are_minima(spec_of("rosenbrock", {{"a", 2}, {"b", 10}}));
  expect_minima_are_minima(spec_of("rotated_quadratic", {{"a", 3}, {"b", 0.5}, {"theta", 2}}));
}

TEST(Registry, LocalMinimaAsPublished) {
  // Goldstein-Price: f(-0.6, -0.4) = 30, f(1.8, 0.2) = 84, f(1.2, 0.8) = 840.
  const ObjectiveInfo gp = objective_info(spec_of("goldstein_price"));
  EXPECT_EQ(gp.minima.size(), 4u);
  for (const auto& [x, y, value] :
       {std::tuple{-0.6, -0.4, 30.0}, std::tuple{1.8, 0.2, 84.0}, std::tuple{1.2, 0.8, 840.0}}) {
    const auto it = std::find_if(gp.minima.begin(), gp.minima.end(), [&](const KnownMinimum& m) {
      return std::abs(m.x - x) < 1e-6 && std::abs(m.y - y) < 1e-6;
    });
    ASSERT_NE(it, gp.minima.end()) << x << ", " << y;
    EXPECT_FALSE(it->global);
    EXPECT_NEAR(it->value, value, 1e-9 * value);
  }
  // Three-hump camel: two local minima f = 0.2986 at +-(1.7476, -0.8738) (sfu.ca/~ssurjano).
  const ObjectiveInfo camel = objective_info(spec_of("three_hump_camel"));
  ASSERT_EQ(camel.minima.size(), 3u);
  for (const KnownMinimum& m : camel.minima) {
    if (m.global) continue;
    EXPECT_NEAR(std::abs(m.x), 1.7476, 1e-4);
    EXPECT_NEAR(m.y, -m.x / 2, 1e-12);
    EXPECT_NEAR(m.value, 0.2986, 1e-4);
  }
  // Styblinski-Tang: per coordinate wells at -2.903534 and 2.746803 (roots of 4v^3 - 32v + 5).
  const ObjectiveInfo st = objective_info(spec_of("styblinski_tang"));
  ASSERT_EQ(st.minima.size(), 4u);
  for (const KnownMinimum& m : st.minima) {
    for (double v : {m.x, m.y}) {
      EXPECT_TRUE(std::abs(v + 2.903534) < 1e-6 || std::abs(v - 2.746803) < 1e-6) << v;
    }
  }
  EXPECT_TRUE(objective_info(spec_of("saddle")).minima.empty());
}

TEST(Registry, MinimaFollowTheParameters) {
  const ObjectiveInfo info = objective_info(spec_of("rosenbrock", {{"a", 2}}));
  ASSERT_EQ(info.minima.size(), 1u);
  EXPECT_EQ(info.minima[0].x, 2);
  EXPECT_EQ(info.minima[0].y, 4);
  EXPECT_LE(info.domain.y_min, 4);
  EXPECT_GE(info.domain.y_max, 4);
}

TEST(Registry, ValuesAtPointsMatchHandComputations) {
  struct Case {
    std::string name;
    std::map<std::string, double> params;
    double x, y, expected;
  };
  const double pi = M_PI;
  const std::vector<Case> cases = {
      {"quadratic", {}, 1, 2, 2.5},
      {"quadratic", {{"a", 2}, {"b", 4}}, 1, 1, 3},
      // theta = pi/2: u = y, v = -x.
      {"rotated_quadratic", {{"a", 6}, {"b", 1}, {"theta", pi / 2}}, 1, 0, 0.5},
      {"rotated_quadratic", {{"a", 6}, {"b", 1}, {"theta", pi / 2}}, 0, 1, 3},
      // Seminar parameters at the seminar start, python from the definition and from the Hessian
      // R^T diag(a, b) R (both 29.471589494653134).
      {"rotated_quadratic", {}, 2.5, 2.0, 29.471589494653134},
      // cos(2.5 * pi/2.5) = -1: (pi/2.5)^2 + 0.4 * 2 * 2.
      {"bumpy_bowl", {}, pi / 2.5, pi / 2.5, (pi / 2.5) * (pi / 2.5) + 1.6},
      {"bumpy_bowl", {}, 3, 2.5, 7.625143892274703},
      {"saddle", {}, 2, 1, 3},
      {"rosenbrock", {}, -1.2, 1, 24.2},
      {"rosenbrock", {}, 0, 0, 1},
      {"rosenbrock", {{"a", 2}, {"b", 10}}, 0, 0, 4},
      {"beale", {}, 1, 1, 14.203125},
      {"beale", {}, 1, 2, 126.453125},
      {"booth", {}, 0, 0, 74},
      {"matyas", {}, 1, 1, 0.04},
      {"matyas", {}, 2, -1, 2.26},
      {"himmelblau", {}, 0, 0, 170},
      {"himmelblau", {}, 1, 1, 106},
      {"three_hump_camel", {}, 1, 1, 2 - 1.05 + 1.0 / 6 + 1 + 1},
      {"goldstein_price", {}, 0, 0, 600},
      {"goldstein_price", {}, 0.5, -0.5, 193.75},
      {"mccormick", {}, 0, 0, 1},
      {"mccormick", {}, 1, 1, std::sin(2.0) + 2},
      {"rastrigin", {}, 1, 1, 2},
      {"rastrigin", {}, 0.5, 1.5, 42.5},
      {"rastrigin", {{"A", 1}}, 0.5, 0, 2.25},
      {"ackley", {}, 1, 1, 20 * (1 - std::exp(-0.2))},
      {"ackley", {}, 3.5, 2.5, 11.464636863626962},
      {"levi13", {}, 0, 0, 2},
      {"levi13", {}, 0.5, 2, 2.25},
      {"levi13", {}, 0.25, 0.75, 1.46875},
      {"styblinski_tang", {}, 0, 0, 0},
      {"styblinski_tang", {}, 1, 1, -10},
      {"quadratic_1d", {{"a", 3}}, 2, 123, 6},
  };
  for (const Case& c : cases) {
    EXPECT_NEAR(f(spec_of(c.name, c.params), c.x, c.y), c.expected,
                1e-12 * (1 + std::abs(c.expected)))
        << c.name << " at (" << c.x << ", " << c.y << ")";
  }
}

TEST(Registry, DefaultsFillParametersAndDomain) {
  ObjectiveSpec spec;
  spec.name = "rotated_quadratic";
  spec.params = {{"theta", 0.3}};
  apply_objective_defaults(spec);
  EXPECT_EQ(spec.params.size(), 3u);
  EXPECT_EQ(spec.params.at("a"), 6);
  EXPECT_EQ(spec.params.at("b"), 1);
  EXPECT_EQ(spec.params.at("theta"), 0.3);
  EXPECT_LT(spec.domain.x_min, spec.domain.x_max);

  ObjectiveSpec given;
  given.name = "booth";
  given.domain = {-1, 2, -3, 4};
  apply_objective_defaults(given);
  EXPECT_EQ(given.domain.x_min, -1);
  EXPECT_EQ(given.domain.y_max, 4);
  EXPECT_TRUE(given.params.empty());
}

TEST(Registry, ErrorsNameTheProblem) {
  ObjectiveSpec spec;
  spec.name = "rosenbrock";
  spec.params = {{"c", 1}};
  EXPECT_EQ(error_of(spec), "objective 'rosenbrock' has no parameter 'c' (known: a, b)");
  spec.name = "beale";
  EXPECT_EQ(error_of(spec), "objective 'beale' has no parameter 'c' (known: none)");
  spec.params.clear();
  spec.name = "rosenbrok";
  EXPECT_NE(error_of(spec).find("unknown objective 'rosenbrok' (known: quadratic, "),
            std::string::npos);
  spec.name = "expr";
  EXPECT_NE(error_of(spec).find("needs a formula"), std::string::npos);
  spec.name = "booth";
  spec.expr = "x^2";
  EXPECT_NE(error_of(spec).find("does not take a formula"), std::string::npos);
  spec.expr.clear();
  spec.domain = {2, 1, 0, 1};
  EXPECT_NE(error_of(spec).find("domain"), std::string::npos);
  double x = 0, y = 0, out = 0;
  spec.name = "nope";
  EXPECT_THROW(evaluate_objective(spec, &x, &y, &out, 1), InputError);
}

TEST(Registry, DisplayFormulasShowTheParameters) {
  EXPECT_EQ(objective_info(spec_of("rosenbrock")).formula,
            "f(x,y) = (1 - x)^2 + 100\\,(y - x^2)^2");
  EXPECT_EQ(objective_info(spec_of("rosenbrock", {{"a", 2}, {"b", 0.5}})).formula,
            "f(x,y) = (2 - x)^2 + 0.5\\,(y - x^2)^2");
  EXPECT_EQ(objective_info(spec_of("quadratic_1d")).formula, "f(x) = \\frac{1}{2}\\,x^2");
}

TEST(LossGrid, RowJIsYMinPlusJDy) {
  ObjectiveSpec spec;
  spec.name = "rosenbrock";
  spec.domain = {-2, 2, -1, 3};
  const LossGrid grid = compute_loss_grid(spec, 5, 3);
  EXPECT_EQ(grid.nx, 5);
  EXPECT_EQ(grid.ny, 3);
  EXPECT_EQ(grid.x_min, -2);
  EXPECT_EQ(grid.x_max, 2);
  EXPECT_EQ(grid.y_min, -1);
  EXPECT_EQ(grid.y_max, 3);
  ASSERT_EQ(grid.values.size(), 15u);
  // x = -2, -1, 0, 1, 2 and y = -1, 1, 3; Rosenbrock by hand.
  for (int j = 0; j < 3; ++j) {
    for (int i = 0; i < 5; ++i) {
      const double x = -2.0 + i;
      const double y = -1.0 + 2.0 * j;
      const double expected = (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
      EXPECT_DOUBLE_EQ(grid.values[static_cast<std::size_t>(j * 5 + i)], expected) << i << "," << j;
    }
  }
  EXPECT_EQ(grid.values[0], 2509);  // (-2, -1): 9 + 100 * 25
  EXPECT_EQ(grid.values[13], 400);  // (1, 3): 0 + 100 * 4
}

TEST(LossGrid, UsesDefaultDomainAndMarksUndefinedPointsInfinite) {
  ObjectiveSpec spec;
  spec.name = "expr";
  spec.expr = "log(x)";
  const LossGrid grid = compute_loss_grid(spec, 5, 2);
  EXPECT_EQ(grid.x_min, -2);  // the documented default domain of a formula
  EXPECT_EQ(grid.y_max, 2);
  EXPECT_TRUE(std::isinf(grid.values[0]) && grid.values[0] > 0);  // log(-2)
  EXPECT_TRUE(std::isinf(grid.values[1]) && grid.values[1] > 0);  // log(-1)
  EXPECT_TRUE(std::isinf(grid.values[2]) && grid.values[2] < 0);  // log(0) = -inf
  EXPECT_NEAR(grid.values[4], std::log(2.0), 1e-15);
  EXPECT_THROW(compute_loss_grid(spec, 1, 5), InputError);
}

}  // namespace
}  // namespace trajtool
