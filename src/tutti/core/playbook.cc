#include "tutti/core/playbook.h"

#include "tutti/core/brief.h"

namespace tutti::core {

Json MakePlaybookTemplate(const Json& document, const std::vector<Json>& workstreams,
                          const Json& agreements_by_role) {
  Json brief = Json::object();
  for (const char* key : {"objective", "description", "audiences", "markets", "primary_metric",
                          "supporting_metrics"}) {
    brief[key] = document.at(key);
  }
  Json streams = Json::array();
  for (const Json& ws : workstreams) {
    streams.push_back(Json{{"kind", ws.at("kind")}, {"name", ws.at("name")}});
  }
  return Json{{"brief", std::move(brief)},
              {"workstreams", std::move(streams)},
              {"agreements_by_role", agreements_by_role}};
}

Json ActivationDocumentFromTemplate(const Json& playbook_template, const std::string& name) {
  Json document = ApplyActivationPatch(EmptyActivationDocument(), playbook_template.at("brief"));
  document["name"] = name;
  return document;
}

}  // namespace tutti::core
