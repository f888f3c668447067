// The demo's approval requests (docs/approvals.md): four items in different states so that the
// inbox, its time left and the SLA report have something true to show the moment `tutti serve`
// starts: StreamCo's press release past its 48-hour turnaround (the job runner records the breach
// and the escalation to Felix when the server starts), Nova Sports' quote sheet through its own
// legal step and waiting for the brand, Lumen's disclosure guide back for a second round after a
// request for changes, and the host's brief sign-off that one partner of three has given. Each
// change goes through the Store at the instant it happened (a clock set back), so deadlines,
// escalation jobs and the audit trail are what the real flow would have written. Not
// thread-safe (run once, by `tutti demo`).
#include <memory>
#include <ostream>

#include "tutti/cli/cli.h"
#include "tutti/service/approvals.h"

namespace tutti::cli {
namespace {

using std::chrono::hours;

const storage::Authorize kAllow = [](const storage::ActivationRecord&) { return OkStatus(); };
const storage::ApprovalAuthorize kAllowRequest =
    [](const storage::ActivationRecord&, const storage::ApprovalRecord&) { return OkStatus(); };

struct DemoPerson {
  std::string user_id;
  std::string org_id;
  core::OrgKind org_kind = core::OrgKind::kPartner;
  core::Role role = core::Role::kPartnerAdmin;

  storage::Actor AsActor() const { return storage::Actor{user_id, org_id}; }
  // Who decides: the approvals service resolves the person's role and side, as the API does.
  storage::ApprovalActorResolver AsApprover() const {
    governance::Principal principal;
    principal.user_id = user_id;
    principal.org_id = org_id;
    principal.org_kind = org_kind;
    principal.role = role;
    return [principal](const storage::ActivationRecord& activation,
                       const storage::ApprovalRecord& approval) -> Result<governance::Actor> {
      return service::ApprovalActor(principal, activation.host_org_id, approval.org_id);
    };
  }
};

// The store as it was `ago` before now: the same database, a clock set back.
class PastStore {
 public:
  PastStore(storage::Store& store, Instant now) : store_(store), now_(now) {}
  storage::Store& At(hours ago) {
    clock_ = std::make_unique<ManualClock>(now_ - ago);
    past_ = std::make_unique<storage::Store>(store_.database(), *clock_);
    return *past_;
  }

 private:
  storage::Store& store_;
  Instant now_;
  std::unique_ptr<ManualClock> clock_;
  std::unique_ptr<storage::Store> past_;
};

storage::NewApprovalRequest Document(const std::string& org_id, const char* id, const char* title,
                                     std::optional<Json> workflow = std::nullopt) {
  return storage::NewApprovalRequest{org_id, "document", id, title, std::move(workflow)};
}

Status Decide(storage::Store& store, const storage::ApprovalRecord& approval, const char* step,
              governance::DecisionKind kind, const char* comment, const DemoPerson& who) {
  return store
      .DecideApproval(approval.activation_id, approval.id,
                      storage::ApprovalDecisionRequest{step, kind, comment}, std::nullopt,
                      who.AsActor(), who.AsApprover())
      .status();
}

}  // namespace

Status SeedDemoApprovals(storage::Store& store, std::ostream& out) {
  TUTTI_ASSIGN_OR_RETURN(storage::OrgRecord host, store.FindOrgByName("Acme Beverages"));
  TUTTI_ASSIGN_OR_RETURN(std::vector<storage::ActivationRecord> activations,
                         store.ListActivationsVisibleTo(host.id));
  if (activations.empty()) return NotFound("the demo activation is missing", "activation");
  const std::string activation_id = activations.front().id;
  TUTTI_ASSIGN_OR_RETURN(std::vector<storage::ApprovalRecord> existing,
                         store.ListApprovals(activation_id));
  if (!existing.empty()) return OkStatus();

  auto person = [&](const char* email, core::Role role) -> Result<DemoPerson> {
    TUTTI_ASSIGN_OR_RETURN(storage::UserRecord user, store.FindUserByEmail(email));
    return DemoPerson{user.id, user.org_id,
                      user.org_id == host.id ? core::OrgKind::kHost : core::OrgKind::kPartner,
                      role};
  };
  TUTTI_ASSIGN_OR_RETURN(const DemoPerson olivia,
                         person("olivia@acme.example", core::Role::kOwner));
  TUTTI_ASSIGN_OR_RETURN(const DemoPerson felix,
                         person("felix@acme.example", core::Role::kFacilitator));
  TUTTI_ASSIGN_OR_RETURN(const DemoPerson sam,
                         person("sam@streamco.example", core::Role::kPartnerAdmin));
  TUTTI_ASSIGN_OR_RETURN(const DemoPerson nina,
                         person("nina@novasports.example", core::Role::kPartnerAdmin));
  TUTTI_ASSIGN_OR_RETURN(const DemoPerson leo,
                         person("leo@lumen.example", core::Role::kPartnerAdmin));
  PastStore past(store, store.clock().Now());
  using governance::DecisionKind;

  // Overdue: the default host review under StreamCo's 48-hour turnaround, asked 52 hours ago.
  TUTTI_RETURN_IF_ERROR(past.At(hours(52))
                            .CreateApproval(activation_id,
                                            Document(sam.org_id, "press-release-launch",
                                                     "Press release: Summer Splash launch night"),
                                            sam.AsActor(), kAllow)
                            .status());

  // Through Nova's own legal step, now with the brand (72 hours from that approval).
  TUTTI_ASSIGN_OR_RETURN(
      storage::ApprovalRecord quotes,
      past.At(hours(20)).CreateApproval(
          activation_id,
          Document(
              nina.org_id, "athlete-quote-sheet", "Athlete quote sheet for the kit reveal",
              Json{{"steps",
                    Json::array(
                        {Json{{"name", "nova legal"},
                              {"approvers", {{"users", Json::array({nina.user_id})}}}},
                         Json{{"name", "brand"},
                              {"approvers",
                               {{"roles", Json::array({"host:owner", "host:facilitator"})}}}}})}}),
          nina.AsActor(), kAllow));
  TUTTI_RETURN_IF_ERROR(Decide(past.At(hours(18)), quotes, "nova legal", DecisionKind::kApprove,
                               "Cleared with both athletes' agents.", nina));

  // Changes requested, then a second round under Lumen's 24-hour turnaround.
  TUTTI_ASSIGN_OR_RETURN(
      storage::ApprovalRecord guide,
      past.At(hours(30)).CreateApproval(
          activation_id,
          Document(leo.org_id, "creator-disclosure-guide", "Creator guide: #ad disclosures"),
          leo.AsActor(), kAllow));
  TUTTI_RETURN_IF_ERROR(Decide(past.At(hours(26)), guide, "host review",
                               DecisionKind::kRequestChanges,
                               "Put #ad in the first line, before the hook, and never in a row "
                               "of hashtags.",
                               felix));
  TUTTI_RETURN_IF_ERROR(past.At(hours(2))
                            .ResubmitApproval(activation_id, guide.id,
                                              "#ad now opens every sample caption.", std::nullopt,
                                              leo.AsActor(), kAllowRequest)
                            .status());

  // The host's item: every partner signs the brief; StreamCo already has.
  TUTTI_ASSIGN_OR_RETURN(
      storage::ApprovalRecord brief,
      past.At(hours(10)).CreateApproval(
          activation_id,
          storage::NewApprovalRequest{
              olivia.org_id, "brief_version", "3", "Joint brief v3: partner sign-off",
              Json{{"steps", Json::array({Json{{"name", "partners"},
                                               {"approvers",
                                                {{"users", Json::array({sam.user_id, nina.user_id,
                                                                        leo.user_id})}}},
                                               {"quorum", "all"},
                                               {"turnaround_hours", 24}}})}}},
          olivia.AsActor(), kAllow));
  TUTTI_RETURN_IF_ERROR(Decide(past.At(hours(7)), brief, "partners", DecisionKind::kApprove,
                               "StreamCo's inventory matches the brief.", sam));
  out << "Demo approvals: 4 requests waiting (one past its turnaround).\n";
  return OkStatus();
}

}  // namespace tutti::cli
