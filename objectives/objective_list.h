#pragma once
// The machinery shared by the double registry (registry.cc) and the LibTorch evaluation
// (torch_objective.cc): a type list of objective structs, and the mapping of a spec's parameter
// map onto an objective's Params struct. Torch-free.
//
// An objective is a struct with:
//   struct Params { double a = 1; ... };                  // member initializers are the defaults
//   static constexpr const char* kName, kTitle;           // registry name, display name
//   static constexpr int kDim;                            // 2, or 1 for objectives of x alone
//   static std::vector<ParamField<Params>> params();      // names and meanings of Params' fields
//   static std::string formula(const Params&);            // display formula (LaTeX math)
//   static Domain domain(const Params&);                  // default plotting domain
//   static std::vector<KnownMinimum> minima(const Params&);
//   static std::vector<double> start(const Params&);      // kDim coordinates
//   template <class T> static T value(const T& x, const T& y, const Params&);
#include <map>
#include <string>
#include <vector>

#include "objectives/objective.h"
#include "toolkit/core/error.h"

namespace trajtool {

// One named parameter of an objective, bound to a field of its Params struct.
template <class P>
struct ParamField {
  const char* name;     // config key
  double P::*member;    // the field it sets
  const char* meaning;  // one line for error messages and docs
};

// Tag carrying an objective type through a generic lambda.
template <class O>
struct ObjectiveTag {
  using type = O;
};

// The registered objectives, in registration order.
template <class... Os>
struct ObjectiveList {
  // Registry names, in order.
  static std::vector<std::string> names() { return {Os::kName...}; }

  // Calls f(ObjectiveTag<O>{}) for the objective named `name`; false when there is none.
  template <class F>
  static bool visit(const std::string& name, F&& f) {
    return ((name == Os::kName ? (f(ObjectiveTag<Os>{}), true) : false) || ...);
  }
};

// "a, b" from a list of names, "none" when empty.
std::string join_names(const std::vector<std::string>& names);

// The parameter descriptions of objective O, with the defaults of O::Params.
template <class O>
std::vector<ObjectiveParam> param_descriptions() {
  const typename O::Params defaults{};
  std::vector<ObjectiveParam> out;
  for (const auto& field : O::params()) {
    out.push_back({field.name, defaults.*(field.member), field.meaning});
  }
  return out;
}

// O::Params from a spec's parameter map: given values override the defaults. Throws InputError
// for a key that is not a parameter of O.
template <class O>
typename O::Params resolve_params(const std::map<std::string, double>& given) {
  typename O::Params p{};
  const auto fields = O::params();
  for (const auto& [key, value] : given) {
    bool known = false;
    for (const auto& field : fields) {
      if (key == field.name) {
        p.*(field.member) = value;
        known = true;
      }
    }
    if (!known) {
      std::vector<std::string> names;
      for (const auto& field : fields) names.emplace_back(field.name);
      throw InputError("objective '" + std::string(O::kName) + "' has no parameter '" + key +
                       "' (known: " + join_names(names) + ")");
    }
  }
  return p;
}

}  // namespace trajtool
