// Workstreams of an activation and their RACI matrix. Rules: one primary owner per workstream,
// who is its single Accountable ("A"); each person appears at most once in the matrix. Whether
// the people exist and belong to the activation is checked by the caller, which has storage.
// Pure; thread-safe.
#pragma once

#include "tutti/base/json.h"

namespace tutti::core {

// Validates {"kind","name","primary_owner_id","raci":[{"user_id","responsibility"}]}; with
// `creating` false any subset may be given. The result's raci (always present when creating,
// else when the patch has one) is normalised: the primary owner (from the patch, else
// `current_owner_id`) is added as "A" when missing.
Result<Json> ValidateWorkstreamPatch(const Json& patch, bool creating,
                                     const std::string& current_owner_id);

}  // namespace tutti::core

namespace tutti::core {

// When ownership moves without a new matrix: the old owner becomes Responsible, the new owner
// becomes the single Accountable.
Json ReassignAccountable(const Json& raci, const std::string& old_owner,
                         const std::string& new_owner);

}  // namespace tutti::core
