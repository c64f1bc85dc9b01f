#pragma once
// What every generator does around an entry: load it from the cache unless told to recompute (a
// corrupt or stale entry reads as missing, and the outcome's note says why it is remade), and the
// meta attributes a newly made entry is written with. Header-only (a template).
#include <optional>
#include <string>

#include "cache/cache_store.h"
#include "toolkit/pipeline/cache_key.h"
#include "toolkit/pipeline/generate.h"

namespace trajtool {

// What the entry records of how it was made; the writer adds the schema and trajtool's version and
// the creation time. `torch_version`: LibTorch's, for entries it computed; null otherwise.
inline EntryMeta entry_meta(const std::string& label, const EntryIdentity& id, double wall_seconds,
                            const char* torch_version = nullptr) {
  EntryMeta meta;
  meta.key = id.key;
  meta.config_json = id.json;
  meta.label = label;
  meta.torch_version = torch_version ? torch_version : "";
  meta.wall_seconds = wall_seconds;
  return meta;
}

// `read()` (an optional record) unless `force`; nothing when it is missing, stale or corrupt, with
// out.note saying which.
template <class Read>
auto try_load(bool force, Read read, GenerateOutcome& out) -> decltype(read()) {
  if (force) return std::nullopt;
  try {
    return read();
  } catch (const StaleEntry& e) {
    out.note = std::string("was stale (") + e.what() + "); regenerated";
    return std::nullopt;
  } catch (const CorruptEntry& e) {
    out.note = std::string("was corrupt (") + e.what() + "); regenerated";
    return std::nullopt;
  }
}

}  // namespace trajtool
