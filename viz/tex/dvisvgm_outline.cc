#include "viz/tex/dvisvgm_outline.h"

#include <cctype>
#include <cstdlib>
#include <map>

#include "toolkit/core/error.h"

namespace trajtool {
namespace {

[[noreturn]] void fail(const std::string& what) { throw RuntimeFailure("dvisvgm's SVG: " + what); }

// One start tag (or end tag) of the document: its name and attributes.
struct Tag {
  std::string name;                          // "path", "use", "g", "/g", ...
  std::map<std::string, std::string> attrs;  // attribute values, entities left as written
  bool self_closing = false;                 // <x ... />
};

// Reads the tag starting at text[pos] == '<'; pos moves past its '>'.
Tag read_tag(const std::string& text, size_t& pos) {
  Tag tag;
  size_t i = pos + 1;
  if (text.compare(i, 3, "!--") == 0) {  // comment
    const size_t end = text.find("-->", i);
    if (end == std::string::npos) fail("unterminated comment");
    pos = end + 3;
    tag.name = "!--";
    return tag;
  }
  const size_t name_start = i;
  while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])) && text[i] != '>' &&
         !(text[i] == '/' && i > name_start))
    ++i;
  tag.name = text.substr(name_start, i - name_start);
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= text.size()) break;
    if (text[i] == '>') {
      pos = i + 1;
      return tag;
    }
    if (text[i] == '/' || text[i] == '?') {
      tag.self_closing = true;
      ++i;
      continue;
    }
    const size_t key_start = i;
    while (i < text.size() && text[i] != '=' && text[i] != '>' &&
           !std::isspace(static_cast<unsigned char>(text[i])))
      ++i;
    const std::string key = text.substr(key_start, i - key_start);
    if (i >= text.size() || text[i] != '=') fail("attribute '" + key + "' without a value");
    ++i;
    if (i >= text.size() || (text[i] != '\'' && text[i] != '"')) fail("unquoted attribute");
    const char quote = text[i++];
    const size_t end = text.find(quote, i);
    if (end == std::string::npos) fail("unterminated attribute");
    tag.attrs[key] = text.substr(i, end - i);
    i = end + 1;
  }
  fail("unterminated tag <" + tag.name);
}

double number_attr(const Tag& tag, const char* name) {
  auto it = tag.attrs.find(name);
  if (it == tag.attrs.end()) return 0;  // SVG's default for x, y
  char* end = nullptr;
  const double v = std::strtod(it->second.c_str(), &end);
  if (end == it->second.c_str()) fail("<" + tag.name + "> " + name + "='" + it->second + "'");
  return v;
}

// "#f00" or "#ff0000" as r, g, b in [0, 1]; anything else is not what dvisvgm writes.
void parse_fill(const std::string& fill, double rgb[3]) {
  auto hex = [&](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    fail("fill '" + fill + "'");
  };
  if (fill.size() == 4 && fill[0] == '#') {
    for (int k = 0; k < 3; ++k) rgb[k] = hex(fill[static_cast<size_t>(1 + k)]) * 17 / 255.0;
  } else if (fill.size() == 7 && fill[0] == '#') {
    for (int k = 0; k < 3; ++k) {
      rgb[k] = (hex(fill[static_cast<size_t>(1 + 2 * k)]) * 16 +
                hex(fill[static_cast<size_t>(2 + 2 * k)])) /
               255.0;
    }
  } else {
    fail("fill '" + fill + "' (expected #rgb or #rrggbb)");
  }
}

// An SVG path's data as absolute moves, lines, cubics and closes.
struct PathOps {
  std::vector<int64_t> ops;
  std::vector<double> points;
};

PathOps parse_path_data(const std::string& d) {
  PathOps out;
  size_t i = 0;
  char command = 0;
  double cx = 0, cy = 0;            // current point
  double sx = 0, sy = 0;            // subpath start
  double last_cx = 0, last_cy = 0;  // last control point (for S and T)
  char last_command = 0;
  auto skip = [&] {
    while (i < d.size() && (std::isspace(static_cast<unsigned char>(d[i])) || d[i] == ',')) ++i;
  };
  auto number = [&]() -> double {
    skip();
    char* end = nullptr;
    const double v = std::strtod(d.c_str() + i, &end);
    if (end == d.c_str() + i)
      fail("path data '" + d.substr(0, 40) + "...' at " + std::to_string(i));
    i = static_cast<size_t>(end - d.c_str());
    return v;
  };
  auto add = [&](OutlineOp op, std::initializer_list<double> pts) {
    out.ops.push_back(static_cast<int64_t>(op));
    out.points.insert(out.points.end(), pts);
  };
  auto cubic = [&](double x1, double y1, double x2, double y2, double x, double y) {
    add(OutlineOp::kCurve, {x1, y1, x2, y2, x, y});
    last_cx = x2;
    last_cy = y2;
    cx = x;
    cy = y;
  };
  for (;;) {
    skip();
    if (i >= d.size()) break;
    if (std::isalpha(static_cast<unsigned char>(d[i])) && d[i] != 'e' && d[i] != 'E') {
      command = d[i++];
    } else if (command == 0) {
      fail("path data starts with a number");
    }
    const bool rel = std::islower(static_cast<unsigned char>(command));
    const double ox = rel ? cx : 0, oy = rel ? cy : 0;
    const char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(command)));
    switch (upper) {
      case 'M': {
        const double x = ox + number(), y = oy + number();
        add(OutlineOp::kMove, {x, y});
        cx = sx = x;
        cy = sy = y;
        command = rel ? 'l' : 'L';  // further pairs are lines
        break;
      }
      case 'L': {
        const double x = ox + number(), y = oy + number();
        add(OutlineOp::kLine, {x, y});
        cx = x;
        cy = y;
        break;
      }
      case 'H': {
        cx = ox + number();
        add(OutlineOp::kLine, {cx, cy});
        break;
      }
      case 'V': {
        cy = oy + number();
        add(OutlineOp::kLine, {cx, cy});
        break;
      }
      case 'C': {
        const double x1 = ox + number(), y1 = oy + number();
        const double x2 = ox + number(), y2 = oy + number();
        const double x = ox + number(), y = oy + number();
        cubic(x1, y1, x2, y2, x, y);
        break;
      }
      case 'S': {
        const bool smooth = last_command == 'C' || last_command == 'S';
        const double x1 = smooth ? 2 * cx - last_cx : cx, y1 = smooth ? 2 * cy - last_cy : cy;
        const double x2 = ox + number(), y2 = oy + number();
        const double x = ox + number(), y = oy + number();
        cubic(x1, y1, x2, y2, x, y);
        break;
      }
      case 'Q':
      case 'T': {
        const bool smooth = upper == 'T' && (last_command == 'Q' || last_command == 'T');
        double qx, qy;
        if (upper == 'Q') {
          qx = ox + number();
          qy = oy + number();
        } else {
          qx = smooth ? 2 * cx - last_cx : cx;
          qy = smooth ? 2 * cy - last_cy : cy;
        }
        const double x = ox + number(), y = oy + number();
        // The quadratic as a cubic: control points 2/3 of the way to the quadratic's.
        const double x0 = cx, y0 = cy;
        add(OutlineOp::kCurve, {x0 + 2.0 / 3 * (qx - x0), y0 + 2.0 / 3 * (qy - y0),
                                x + 2.0 / 3 * (qx - x), y + 2.0 / 3 * (qy - y), x, y});
        last_cx = qx;
        last_cy = qy;
        cx = x;
        cy = y;
        break;
      }
      case 'Z':
        add(OutlineOp::kClose, {});
        cx = sx;
        cy = sy;
        break;
      default:
        fail(std::string("path command '") + command + "'");
    }
    last_command = upper;
  }
  return out;
}

}  // namespace

FormulaOutline read_dvisvgm_page(const std::string& svg, double box_height_bp) {
  FormulaOutline out;
  std::map<std::string, PathOps> glyphs;  // <defs> paths by id
  struct Fill {
    bool own = false;  // a colour set by this <g> or one around it
    double rgb[3] = {0, 0, 0};
  };
  std::vector<Fill> fills{Fill{}};  // one per open <g> (and the page)
  bool in_defs = false;
  auto add_piece = [&](const PathOps& ops, double dx, double dy) {
    out.piece_start.push_back(static_cast<int64_t>(out.ops.size()));
    out.ops.insert(out.ops.end(), ops.ops.begin(), ops.ops.end());
    for (size_t k = 0; k < ops.points.size(); k += 2) {
      out.points.push_back(ops.points[k] + dx);
      out.points.push_back(ops.points[k + 1] + dy - box_height_bp);
    }
    const Fill& f = fills.back();
    out.piece_rgba.insert(out.piece_rgba.end(), {f.rgb[0], f.rgb[1], f.rgb[2], f.own ? 1.0 : -1.0});
  };
  size_t pos = 0;
  while ((pos = svg.find('<', pos)) != std::string::npos) {
    const Tag tag = read_tag(svg, pos);
    const std::string& name = tag.name;
    if (name == "defs") {
      in_defs = !tag.self_closing;
    } else if (name == "/defs") {
      in_defs = false;
    } else if (name == "path") {
      auto d = tag.attrs.find("d");
      if (d == tag.attrs.end()) fail("<path> without d");
      if (tag.attrs.count("transform")) fail("<path transform> (scaled or rotated material)");
      PathOps ops = parse_path_data(d->second);
      if (in_defs) {
        glyphs[tag.attrs.count("id") ? tag.attrs.at("id") : ""] = std::move(ops);
      } else {
        add_piece(ops, 0, 0);
      }
    } else if (name == "use") {
      if (tag.attrs.count("transform")) fail("<use transform> (scaled or rotated material)");
      auto href = tag.attrs.find("xlink:href");
      if (href == tag.attrs.end()) href = tag.attrs.find("href");
      if (href == tag.attrs.end() || href->second.empty() || href->second[0] != '#') {
        fail("<use> without a local href");
      }
      auto glyph = glyphs.find(href->second.substr(1));
      if (glyph == glyphs.end()) fail("<use> of unknown '" + href->second + "'");
      add_piece(glyph->second, number_attr(tag, "x"), number_attr(tag, "y"));
    } else if (name == "rect") {
      const double x = number_attr(tag, "x"), y = number_attr(tag, "y");
      const double w = number_attr(tag, "width"), h = number_attr(tag, "height");
      PathOps rect;
      rect.ops = {0, 1, 1, 1, 3};
      rect.points = {x, y, x + w, y, x + w, y + h, x, y + h};
      add_piece(rect, 0, 0);
    } else if (name == "g") {
      if (tag.attrs.count("transform")) fail("<g transform> (scaled or rotated material)");
      Fill f = fills.back();
      auto fill = tag.attrs.find("fill");
      if (fill != tag.attrs.end()) {
        parse_fill(fill->second, f.rgb);
        f.own = true;
      }
      if (!tag.self_closing) fills.push_back(f);
    } else if (name == "/g") {
      if (fills.size() <= 1) fail("</g> without <g>");
      fills.pop_back();
    } else if (name == "image" || name == "text" || name == "line" || name == "polyline" ||
               name == "polygon" || name == "circle" || name == "ellipse") {
      fail("<" + name + "> (only glyphs, rules and colours are drawn)");
    }
  }
  return out;
}

std::vector<std::string> split_svg_documents(const std::string& text) {
  std::vector<std::string> pages;
  size_t pos = 0;
  while ((pos = text.find("<svg", pos)) != std::string::npos) {
    size_t end = text.find("</svg>", pos);
    if (end == std::string::npos) fail("a page without </svg>");
    end += 6;
    pages.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return pages;
}

}  // namespace trajtool
