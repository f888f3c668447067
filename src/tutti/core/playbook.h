// Playbooks: an activation saved as a reusable template, and the plan for replicating it. The
// template keeps what transfers between campaigns (objective, brief text, audiences, markets,
// metrics with their targets, the workstream structure and, per partner role, the agreement
// terms) and drops what does not (budget, the partners themselves, people). Later capabilities
// add their parts (milestones, gates, approval thresholds) under their own keys. Pure.
#pragma once

#include <vector>

#include "tutti/base/json.h"

namespace tutti::core {

// `document` is an activation document (brief.h); `workstreams` items carry "kind" and "name";
// `agreements_by_role` maps a partner role to the agreement to reuse for that role.
Json MakePlaybookTemplate(const Json& document, const std::vector<Json>& workstreams,
                          const Json& agreements_by_role);

// The activation document a playbook instance starts from, named `name`.
Json ActivationDocumentFromTemplate(const Json& playbook_template, const std::string& name);

}  // namespace tutti::core
