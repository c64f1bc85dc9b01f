#include "viz/tex/formula_store.h"

#include <map>
#include <mutex>
#include <set>

#include "cache/cache_store.h"
#include "toolkit/core/canonical_json.h"
#include "toolkit/core/error.h"
#include "toolkit/core/digest.h"
#include "viz/tex/tex_batch.h"

namespace trajtool {
namespace {

// Bump when the outline made of the same TeX output changes (the reader, the document's wrapper).
constexpr int kOutlineVersion = 1;

struct Store {
  std::mutex mutex;
  TexSettings settings;
  std::string toolchain;  // tex_toolchain_identity(), found on first use
  std::map<std::string, std::shared_ptr<const FormulaOutline>> outlines;  // by formula text
};

Store& store() {
  static Store s;
  return s;
}

std::string config_json(const Store& s, const std::string& tex) {
  return canonical_dump(Json{{"kind", "formula"},
                             {"tex", tex},
                             {"preamble", std::string(kDefaultTexPreamble) + s.settings.preamble},
                             {"toolchain", s.toolchain},
                             {"outline_version", kOutlineVersion}});
}

const std::string& toolchain(Store& s) {
  if (s.toolchain.empty()) s.toolchain = tex_toolchain_identity();
  return s.toolchain;
}

// The cached outline of `tex`, or null; a corrupt entry counts as absent (it is rewritten).
std::shared_ptr<const FormulaOutline> read_cached(Store& s, const std::string& key) {
  if (s.settings.cache_root.empty()) return nullptr;
  try {
    std::optional<FormulaOutline> f = CacheStore(s.settings.cache_root).read_formula(key);
    if (f) return std::make_shared<const FormulaOutline>(std::move(*f));
  } catch (const CorruptEntry&) {
  }
  return nullptr;
}

// Typesets `todo` (texts not yet known) in one run, caches and remembers them. Caller holds the
// lock.
double typeset_missing(Store& s, const std::vector<FormulaRequest>& todo) {
  std::vector<std::string> texts;
  for (const FormulaRequest& r : todo) texts.push_back(r.tex);
  TexBatch batch;
  try {
    batch = typeset_batch(s.settings.preamble, texts);
  } catch (const TexError& e) {
    const std::string origin =
        e.formula >= 0 ? todo[static_cast<size_t>(e.formula)].origin : s.settings.preamble_origin;
    throw InputError((origin.empty() ? "" : origin + ": ") + e.what());
  }
  for (size_t i = 0; i < todo.size(); ++i) {
    auto outline = std::make_shared<const FormulaOutline>(std::move(batch.outlines[i]));
    if (!s.settings.cache_root.empty()) {
      EntryMeta meta;
      meta.config_json = config_json(s, todo[i].tex);
      meta.key = sha256_hex(meta.config_json);
      meta.label = todo[i].tex;
      meta.wall_seconds = batch.tex_seconds / static_cast<double>(todo.size());
      CacheStore(s.settings.cache_root).write_formula(meta, *outline);
    }
    s.outlines[todo[i].tex] = outline;
  }
  return batch.tex_seconds;
}

}  // namespace

void set_tex_settings(const TexSettings& settings) {
  Store& s = store();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.settings = settings;
  s.outlines.clear();
}

const TexSettings& tex_settings() { return store().settings; }

std::string formula_key(const std::string& tex) {
  Store& s = store();
  std::lock_guard<std::mutex> lock(s.mutex);
  toolchain(s);
  return sha256_hex(config_json(s, tex));
}

TypesetReport typeset_formulas(const std::vector<FormulaRequest>& requests) {
  Store& s = store();
  std::lock_guard<std::mutex> lock(s.mutex);
  toolchain(s);
  TypesetReport report;
  std::vector<FormulaRequest> todo;
  std::set<std::string> seen;
  for (const FormulaRequest& r : requests) {
    if (!seen.insert(r.tex).second) continue;
    ++report.requested;
    if (s.outlines.count(r.tex)) {
      ++report.from_cache;
      continue;
    }
    if (auto cached = read_cached(s, sha256_hex(config_json(s, r.tex)))) {
      s.outlines[r.tex] = cached;
      ++report.from_cache;
      continue;
    }
    todo.push_back(r);
  }
  if (!todo.empty()) {
    report.tex_seconds = typeset_missing(s, todo);
    report.compiled = static_cast<int>(todo.size());
  }
  return report;
}

std::shared_ptr<const FormulaOutline> formula_outline(const std::string& tex) {
  Store& s = store();
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    auto it = s.outlines.find(tex);
    if (it != s.outlines.end()) return it->second;
  }
  typeset_formulas({{tex, ""}});
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.outlines.at(tex);
}

}  // namespace trajtool
