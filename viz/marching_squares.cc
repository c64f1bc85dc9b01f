#include "viz/marching_squares.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <unordered_map>

namespace trajtool {
namespace {

// Edges are numbered globally so that neighbouring cells name a shared edge alike: horizontal
// edges (i, j)-(i+1, j) first, then vertical edges (i, j)-(i, j+1).
class EdgeIndex {
 public:
  EdgeIndex(int64_t nx, int64_t ny)
      : nx_(nx), horizontal_(ny * (nx - 1)), count_(horizontal_ + (ny - 1) * nx) {}
  int64_t horizontal(int64_t i, int64_t j) const { return j * (nx_ - 1) + i; }
  int64_t vertical(int64_t i, int64_t j) const { return horizontal_ + j * nx_ + i; }
  int64_t count() const { return count_; }

 private:
  int64_t nx_;
  int64_t horizontal_;
  int64_t count_;
};

struct Segment {
  int64_t a;  // edge id of one end
  int64_t b;  // edge id of the other end
};

}  // namespace

std::vector<IsoLine> iso_lines(const LossGrid& grid, double level) {
  std::vector<IsoLine> lines;
  const int64_t nx = grid.nx;
  const int64_t ny = grid.ny;
  if (nx < 2 || ny < 2 || static_cast<int64_t>(grid.values.size()) != nx * ny ||
      !std::isfinite(level)) {
    return lines;
  }
  const double dx = (grid.x_max - grid.x_min) / static_cast<double>(nx - 1);
  const double dy = (grid.y_max - grid.y_min) / static_cast<double>(ny - 1);
  auto value = [&](int64_t i, int64_t j) { return grid.values[j * nx + i]; };
  const EdgeIndex edges(nx, ny);

  // Crossing points, computed once per edge so both cells sharing it agree exactly. Only crossed
  // edges get a slot (a compact id): dense per-edge arrays cost two 8 MB allocations per level on
  // a 512 x 512 grid, which page faults made the slowest part of a scene's set-up (measured).
  std::unordered_map<int64_t, int64_t> slot_of_edge;
  std::vector<Vec2> point;
  std::vector<std::array<int64_t, 2>> touching;  // the (at most two) segments at each slot
  auto slot_for = [&](int64_t e) {
    auto [it, inserted] = slot_of_edge.try_emplace(e, static_cast<int64_t>(point.size()));
    if (inserted) {
      point.emplace_back();
      touching.push_back({-1, -1});
    }
    return it->second;
  };
  auto crossing = [&](double va, double vb) {
    const double t = (level - va) / (vb - va);
    return std::isfinite(t) ? std::fmin(std::fmax(t, 0.0), 1.0) : 0.5;
  };
  auto set_horizontal = [&](int64_t i, int64_t j) {
    const int64_t e = slot_for(edges.horizontal(i, j));
    const double t = crossing(value(i, j), value(i + 1, j));
    point[static_cast<size_t>(e)] = {grid.x_min + (static_cast<double>(i) + t) * dx,
                                     grid.y_min + static_cast<double>(j) * dy};
    return e;
  };
  auto set_vertical = [&](int64_t i, int64_t j) {
    const int64_t e = slot_for(edges.vertical(i, j));
    const double t = crossing(value(i, j), value(i, j + 1));
    point[static_cast<size_t>(e)] = {grid.x_min + static_cast<double>(i) * dx,
                                     grid.y_min + (static_cast<double>(j) + t) * dy};
    return e;
  };

  std::vector<Segment> segments;
  for (int64_t j = 0; j + 1 < ny; ++j) {
    for (int64_t i = 0; i + 1 < nx; ++i) {
      // Corners counter-clockwise from bottom-left; edges: bottom, right, top, left.
      const std::array<double, 4> v = {value(i, j), value(i + 1, j), value(i + 1, j + 1),
                                       value(i, j + 1)};
      if (!std::isfinite(v[0]) || !std::isfinite(v[1]) || !std::isfinite(v[2]) ||
          !std::isfinite(v[3])) {
        continue;
      }
      const std::array<bool, 4> up = {v[0] >= level, v[1] >= level, v[2] >= level, v[3] >= level};
      // Edge k joins corner k and corner k + 1 (mod 4).
      std::array<int64_t, 4> edge = {-1, -1, -1, -1};
      if (up[0] != up[1]) edge[0] = set_horizontal(i, j);
      if (up[1] != up[2]) edge[1] = set_vertical(i + 1, j);
      if (up[3] != up[2]) edge[2] = set_horizontal(i, j + 1);
      if (up[0] != up[3]) edge[3] = set_vertical(i, j);
      int crossings = 0;
      for (int64_t e : edge) crossings += e >= 0;
      if (crossings == 2) {
        int64_t first = -1;
        for (int64_t e : edge) {
          if (e < 0) continue;
          if (first < 0) {
            first = e;
          } else {
            segments.push_back({first, e});
          }
        }
      } else if (crossings == 4) {
        // Saddle: the centre decides whether the corners of `up[0]`'s kind connect diagonally.
        const double centre = (v[0] + v[1] + v[2] + v[3]) / 4;
        const bool centre_up = centre >= level;
        if (centre_up == up[0]) {
          // Corners 0 and 2 connect through the centre: cut off corners 1 and 3.
          segments.push_back({edge[0], edge[1]});
          segments.push_back({edge[2], edge[3]});
        } else {
          // Corners 1 and 3 connect: cut off corners 0 and 2.
          segments.push_back({edge[3], edge[0]});
          segments.push_back({edge[1], edge[2]});
        }
      }
    }
  }
  if (segments.empty()) return lines;

  // Each edge touches at most two segments (the two cells beside it).
  for (size_t s = 0; s < segments.size(); ++s) {
    for (int64_t e : {segments[s].a, segments[s].b}) {
      auto& slot = touching[static_cast<size_t>(e)];
      (slot[0] < 0 ? slot[0] : slot[1]) = static_cast<int64_t>(s);
    }
  }
  std::vector<bool> used(segments.size(), false);

  // Walks from segment `s`, entering it through edge `from`, until the chain ends or closes.
  // Consecutive equal points (a corner exactly at the level lies on two edges) are kept once.
  auto append = [&](IsoLine& line, int64_t edge) {
    const Vec2 p = point[static_cast<size_t>(edge)];
    if (line.points.empty() || line.points.back().x != p.x || line.points.back().y != p.y) {
      line.points.push_back(p);
    }
  };
  auto trace = [&](size_t s, int64_t from, IsoLine& line) {
    append(line, from);
    const int64_t start_edge = from;
    int64_t current = static_cast<int64_t>(s);
    int64_t edge = from;
    while (current >= 0 && !used[static_cast<size_t>(current)]) {
      used[static_cast<size_t>(current)] = true;
      const Segment& seg = segments[static_cast<size_t>(current)];
      edge = seg.a == edge ? seg.b : seg.a;
      if (edge == start_edge) {
        line.closed = true;
        const Vec2 a = line.points.front(), b = line.points.back();
        if (line.points.size() > 1 && a.x == b.x && a.y == b.y) line.points.pop_back();
        return;
      }
      append(line, edge);
      const auto& slot = touching[static_cast<size_t>(edge)];
      current = slot[0] == current ? slot[1] : slot[0];
    }
  };

  // Open curves start at an edge that only one segment touches.
  for (size_t s = 0; s < segments.size(); ++s) {
    if (used[s]) continue;
    for (int64_t end : {segments[s].a, segments[s].b}) {
      if (used[s]) break;
      if (touching[static_cast<size_t>(end)][1] < 0) {
        IsoLine line;
        trace(s, end, line);
        lines.push_back(std::move(line));
      }
    }
  }
  // What remains are closed loops.
  for (size_t s = 0; s < segments.size(); ++s) {
    if (used[s]) continue;
    IsoLine line;
    trace(s, segments[s].a, line);
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace trajtool
