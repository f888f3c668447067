// `tutti freeze` and `tutti unfreeze`: see freeze_cmd.h.
#include "tutti/cli/freeze_cmd.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "tutti/cli/cli_support.h"

namespace tutti::cli {
namespace {

struct FreezeOptions {
  std::string activation;
  std::string partner;  // an organisation id or name
  bool all = false;
  std::string freeze_id;
  std::string reason;
};

// An operator types names; the store keeps ids.
std::string OrgId(storage::Store& store, const std::string& id_or_name) {
  Result<storage::OrgRecord> by_id = store.GetOrg(id_or_name);
  if (by_id.ok()) return by_id->id;
  Result<storage::OrgRecord> by_name = store.FindOrgByName(id_or_name);
  if (by_name.ok()) return by_name->id;
  throw Failure{NotFound("no organisation with id or name \"" + id_or_name + "\"", "--partner")};
}

// An operator at the shell acts with the database's own authority, like every CLI command.
Status Anyone(const storage::ActivationRecord&, const storage::FreezeRecord&) { return OkStatus(); }

void Freeze(const std::string& db_url, const FreezeOptions& o) {
  auto db = OpenAndMigrate(db_url);
  storage::Store store(*db, SystemClock::Get());
  const std::string org = o.all ? std::string() : OrgId(store, o.partner);
  storage::FreezeRecord f = Check(store.CreateFreeze(o.activation, o.all ? "activation" : "partner",
                                                     org, o.reason, kCliActor, &Anyone));
  std::cout << "frozen " << f.id << ": every scheduled post of "
            << (o.all ? "activation " + o.activation
                      : "organisation " + org + " in " + o.activation)
            << " (" << f.reason << ")\n";
}

void Unfreeze(const std::string& db_url, const FreezeOptions& o) {
  auto db = OpenAndMigrate(db_url);
  storage::Store store(*db, SystemClock::Get());
  storage::FreezeRecord f =
      Check(store.LiftFreeze(o.activation, o.freeze_id, o.reason, kCliActor, &Anyone));
  std::cout << "lifted " << f.id << " at " << f.lifted_at << " (" << f.lift_reason << ")\n";
}

}  // namespace

void AddFreezeCommands(CLI::App& app, std::string* db_url) {
  auto options = std::make_shared<FreezeOptions>();
  auto* freeze = app.add_subcommand(
      "freeze",
      "Stop every scheduled post of an activation (--all) or of one partner (--partner) until "
      "lifted; for a crisis when the web is down");
  freeze->add_option("--db", *db_url, "Database URL: sqlite:PATH or postgresql://…")
      ->capture_default_str();
  freeze->add_option("--activation", options->activation, "Activation id")->required();
  auto* partner =
      freeze->add_option("--partner", options->partner, "Organisation (id or name) to freeze");
  auto* all = freeze->add_flag("--all", options->all, "Freeze the whole activation");
  partner->excludes(all);
  freeze->add_option("--reason", options->reason, "Why (kept in the audit trail)")->required();
  freeze->callback([db_url, options, partner, all] {
    if (partner->count() == 0 && all->count() == 0) {
      throw CLI::RequiredError("--partner or --all");
    }
    Freeze(*db_url, *options);
  });

  auto* unfreeze = app.add_subcommand("unfreeze", "Lift a freeze");
  unfreeze->add_option("--db", *db_url, "Database URL: sqlite:PATH or postgresql://…")
      ->capture_default_str();
  unfreeze->add_option("--activation", options->activation, "Activation id")->required();
  unfreeze->add_option("--freeze", options->freeze_id, "Freeze id (frz_…)")->required();
  unfreeze->add_option("--reason", options->reason, "Why it is lifted")->required();
  unfreeze->callback([db_url, options] { Unfreeze(*db_url, *options); });
}

}  // namespace tutti::cli
