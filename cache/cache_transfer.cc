#include "cache/cache_transfer.h"

#include <algorithm>
#include <iterator>

#include "toolkit/core/digest.h"

namespace trajtool {
namespace {

constexpr size_t kKeyDigits = 64;

}  // namespace

std::string without_dot_slash(std::string name) {
  while (name.rfind("./", 0) == 0) name.erase(0, 2);
  return name;
}

EntryMeta verify_transferable(const CacheStore& store, const EntryRef& entry,
                              const std::string& path) {
  EntryMeta meta = store.verify_file(entry.kind, path, entry.key);
  const std::string hashed = sha256_hex(meta.config_json);
  if (hashed != entry.key) {
    throw CorruptEntry(path + ": its config_json hashes to " + hashed +
                       ", not to its key (renamed or edited?)");
  }
  return meta;
}

std::string archive_member_name(const EntryRef& entry) {
  return std::string(entry_kind_folder(entry.kind)) + "/" + entry.key + ".h5";
}

std::optional<EntryRef> parse_member_name(const std::string& name) {
  const std::string path = without_dot_slash(name);
  const size_t slash = path.find('/');
  if (slash == std::string::npos) return std::nullopt;
  const std::string folder = path.substr(0, slash);
  const std::string file = path.substr(slash + 1);
  const auto kind = std::find_if(std::begin(kAllKinds), std::end(kAllKinds),
                                 [&](EntryKind k) { return folder == entry_kind_folder(k); });
  if (kind == std::end(kAllKinds)) return std::nullopt;
  if (file.size() != kKeyDigits + 3 || file.compare(kKeyDigits, 3, ".h5") != 0) return std::nullopt;
  const std::string key = file.substr(0, kKeyDigits);
  const bool hex = std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
  if (!hex) return std::nullopt;
  return EntryRef{*kind, key};
}

std::vector<UnusableEntry> find_unusable_entries(const CacheStore& store,
                                                 const std::vector<EntryRef>& entries) {
  std::vector<UnusableEntry> unusable;
  for (const EntryRef& entry : entries) {
    if (!store.contains(entry.kind, entry.key)) {
      unusable.push_back({entry, true, store.entry_path(entry.kind, entry.key)});
      continue;
    }
    try {
      verify_transferable(store, entry, store.entry_path(entry.kind, entry.key));
    } catch (const CorruptEntry& e) {
      unusable.push_back({entry, false, e.what()});
    }
  }
  return unusable;
}

}  // namespace trajtool
