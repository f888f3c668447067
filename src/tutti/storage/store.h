// The Store: Tutti's domain objects kept in a Database. Every method is one transaction; every
// mutation appends its audit entry (hash-chained, see governance/audit_chain.h) in that same
// transaction, so there is never a change without its record nor a record without its change.
// Mutations of an activation take an `authorize` callback that runs inside the transaction on
// the freshly read activation, so a permission check cannot race with a membership change.
//
// Errors: kNotFound for missing objects, kAlreadyExists for taken names/emails/memberships,
// kAborted ("conflict") for a stale version, kUnavailable when the database is unreachable or
// busy, and whatever `authorize` returns. Thread-safe (each call borrows its own connection).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tutti/base/clock.h"
#include "tutti/base/json.h"
#include "tutti/governance/access.h"
#include "tutti/governance/audit_chain.h"
#include "tutti/storage/database.h"

namespace tutti::storage {

// Who made a change, as the audit trail records it ("cli" for operator commands).
struct Actor {
  std::string id;
  std::string org_id;
};

struct OrgRecord {
  std::string id;
  std::string name;
  std::string kind;
  std::string created_at;
  Json ToJson() const;
};

struct UserRecord {
  std::string id;
  std::string org_id;
  std::string org_name;
  std::string org_kind;
  std::string email;
  std::string name;
  std::string role;
  std::string password_hash;  // never leaves the server; ToJson omits it
  bool disabled = false;
  std::string created_at;
  std::string updated_at;
  Json ToJson() const;
};

struct ApiKeyRecord {
  std::string id;
  std::string org_id;
  std::string org_kind;
  std::string name;
  std::string token_hint;  // first characters of the token, to recognise it in a list
  std::vector<std::string> scopes;
  std::string created_by;
  std::string created_at;
  std::optional<std::string> expires_at;
  std::optional<std::string> last_used_at;
  std::optional<std::string> revoked_at;
  Json ToJson() const;
};

struct ParticipationRecord {
  std::string activation_id;
  std::string org_id;
  std::string org_name;
  std::string role;
  bool facilitator = false;
  std::optional<Json> contribution;  // Money
  std::string notes;
  std::optional<Json> agreement;
  std::string created_at;
  std::string updated_at;
};

struct ActivationRecord {
  std::string id;
  std::string host_org_id;
  std::string host_org_name;
  Json document;  // core/brief.h
  int64_t version = 0;
  std::optional<std::string> playbook_id;
  std::string created_by;
  std::string created_at;
  std::string updated_at;
  std::vector<ParticipationRecord> participants;
  governance::ActivationAccess Access() const;
  const ParticipationRecord* FindParticipant(const std::string& org_id) const;
};

struct WorkstreamRecord {
  std::string id;
  std::string activation_id;
  std::string kind;
  std::string name;
  std::string primary_owner_id;
  Json raci;  // [{"user_id","responsibility"}]
  std::string created_at;
  std::string updated_at;
};

struct PlaybookRecord {
  std::string id;
  std::string org_id;
  std::string name;
  std::string source_activation_id;
  Json template_document;
  std::string created_by;
  std::string created_at;
};

// The scheduling documents of an activation (docs/scheduling.md): the plan that ParsePlan reads
// and the content calendar that ParseContentCalendar reads (posts, windows, blackouts, rules).
// Stored as given, validated by the caller; storage does not know the engines. `version` counts
// changes to either document (0 and both absent while none was ever stored).
struct PlanDocuments {
  std::string activation_id;
  std::optional<Json> plan;
  std::optional<Json> content_calendar;
  int64_t version = 0;
  std::string updated_at;  // empty while version is 0
  // The plan's launch instants as resolved when it was stored, {"US": "2026-06-01T13:00:00Z"};
  // absent when never recorded. Written by the caller, who knows the engine.
  std::optional<Json> resolved_launch;
};

// What an edit of a scheduling document produces: the new document, the plan's resolved launch
// (plans only; nullopt clears it) and the audit action ("updated", "launch_rederived").
struct PlanDocumentUpdate {
  Json document;
  std::optional<Json> resolved_launch;
  std::string audit_action = "updated";
};
// Runs inside the write transaction with the activation and its current documents, so what it
// decides (access included: its error aborts) is about exactly what it replaces.
using PlanDocumentEdit =
    std::function<Result<PlanDocumentUpdate>(const ActivationRecord&, const PlanDocuments&)>;

// A calendar subscription: a secret URL whose token's SHA-256 is stored. kind "user": the
// events of every activation its user sees; "org": those of the organisation's activations.
struct CalendarFeedRecord {
  std::string id;
  std::string kind;
  std::string org_id;
  std::string user_id;
  std::string name;
  std::string created_at;
  std::string revoked_at;    // empty while active
  std::string last_used_at;  // empty until first fetched
};

// A partner feed's data contract (docs/ingest.md), as ingest/contract.h reads it; storage keeps
// the document and its versions without interpreting them.
struct DataContractRecord {
  std::string id;
  std::string activation_id;
  std::string org_id;
  std::string org_name;
  std::string feed;
  int64_t version = 0;
  Json document;
  std::string created_at;
  std::string updated_at;
  std::string last_delivery_at;  // empty until the first batch
};

// An event that passed its contract: the user key is already pseudonymous.
struct StoredEvent {
  std::string event_id;
  std::string user_key;
  int64_t ts_ms = 0;
  std::string event_type;
  std::string channel;
  int64_t value_micros = 0;
  Json attributes = Json::object();
  // The record's consent field (measurement and sharing, every region), and Global Privacy
  // Control on the request (an opt-out of sharing): recorded with the event, same transaction.
  std::optional<bool> consent;
  bool gpc = false;
};

// What one stored event row says, for engines that read events back (attribution).
struct EventRow {
  std::string event_id;
  std::string org_id;
  std::string org_name;
  std::string user_key;
  int64_t ts_ms = 0;
  std::string event_type;
  std::string channel;
  int64_t value_micros = 0;
};

// Stores one event inside IngestBatch: "stored" when new, "duplicate" when the feed already has
// its event id, "erased" when its user key was erased (never stored again).
enum class EventDisposition { kStored, kDuplicate, kErased };
using EventSink = std::function<Result<EventDisposition>(const StoredEvent&)>;

struct IngestOutcome {
  std::string batch_id;
  Json report;            // what `produce` returned, stored for Idempotency-Key replays
  bool replayed = false;  // the same key and request were seen before: nothing was done now
};

struct ConsentRecord {
  std::string user_key;
  std::string purpose;  // "measurement" or "sharing"
  std::string region;   // ISO 3166 code, or "*" for everywhere
  bool granted = false;
  std::string source;  // "api", "cli", "event", "gpc"
  std::string updated_at;
};

struct SessionRecord {
  UserRecord user;
  std::string expires_at;
  std::string idle_expires_at;
};

struct AuditQuery {
  std::string entity_type;  // with entity_id
  std::string entity_id;
  std::string activation_id;  // every entry about the activation and its parts
  int64_t after_seq = 0;
  int64_t limit = 500;
};

using Authorize = std::function<Status(const ActivationRecord&)>;

class Store {
 public:
  Store(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Database& database() { return db_; }
  const Clock& clock() const { return clock_; }

  // Organisations and users.
  Result<OrgRecord> CreateOrg(const std::string& name, const std::string& kind, const Actor& actor);
  Result<OrgRecord> GetOrg(const std::string& id);
  Result<OrgRecord> FindOrgByName(const std::string& name);
  Result<std::vector<OrgRecord>> ListOrgs();
  Result<UserRecord> CreateUser(const std::string& org_id, const std::string& email,
                                const std::string& name, const std::string& role,
                                const std::string& password_hash, const Actor& actor);
  Result<UserRecord> GetUser(const std::string& id);
  // Emails are matched case-insensitively (stored lower-cased).
  Result<UserRecord> FindUserByEmail(const std::string& email);
  Result<std::vector<UserRecord>> ListUsers(const std::string& org_id);
  // Applies {"name","role","disabled"} (validated by the caller); a role change is audited as
  // "role_changed". `authorize` sees the user before the change.
  Result<UserRecord> UpdateUser(const std::string& id, const Json& patch, const Actor& actor,
                                const std::function<Status(const UserRecord&)>& authorize);
  // Not audited with the hash itself: only that the hash was upgraded.
  Status ReplacePasswordHash(const std::string& user_id, const std::string& password_hash);

  // Authentication state.
  Status RecordLogin(const UserRecord& user, const std::string& token_digest, Instant expires_at,
                     Instant idle_expires_at, const std::string& address);
  Result<SessionRecord> FindSession(const std::string& token_digest);
  Status TouchSession(const std::string& token_digest, Instant idle_expires_at);
  Status DeleteSession(const std::string& token_digest, const Actor& actor);
  // Failed log-ins are kept per subject ("email:…", "ip:…") for throttling; RecordLoginFailure
  // also audits the failure against the user when the email exists.
  Status RecordLoginFailure(const std::vector<std::string>& subjects,
                            const std::optional<UserRecord>& user, const std::string& address);
  // Failures of `subject` since `since`, oldest first (their instants).
  Result<std::vector<std::string>> LoginFailuresSince(const std::string& subject, Instant since);
  Status ClearLoginFailures(const std::string& subject);

  Result<ApiKeyRecord> CreateApiKey(const std::string& org_id, const std::string& name,
                                    const std::vector<std::string>& scopes,
                                    const std::string& token_digest, const std::string& token_hint,
                                    std::optional<Instant> expires_at, const Actor& actor);
  // A live (not revoked, not expired) key by its token digest; records last use.
  Result<ApiKeyRecord> UseApiKey(const std::string& token_digest);
  Result<std::vector<ApiKeyRecord>> ListApiKeys(const std::string& org_id);
  Status RevokeApiKey(const std::string& org_id, const std::string& key_id, const Actor& actor);

  // Activations.
  Result<ActivationRecord> CreateActivation(const std::string& host_org_id, const Json& document,
                                            const std::optional<std::string>& playbook_id,
                                            const Actor& actor);
  Result<ActivationRecord> GetActivation(const std::string& id);
  // Activations hosted by or shared with `org_id`, newest first.
  Result<std::vector<ActivationRecord>> ListActivationsVisibleTo(const std::string& org_id);
  // Overlays `patch` (validated by core) on the document; `expected_version` guards against
  // lost updates (kAborted when stale).
  Result<ActivationRecord> UpdateActivation(const std::string& id, const Json& patch,
                                            std::optional<int64_t> expected_version,
                                            const Actor& actor, const Authorize& authorize);

  // The activation's scheduling documents; an activation without any yields empty documents at
  // version 0. kNotFound only when the activation itself does not exist.
  Result<PlanDocuments> GetPlanDocuments(const std::string& activation_id);
  // Replaces one document, `which` = "plan" or "content_calendar" (kInvalidArgument otherwise),
  // keeping the other, and bumps the version. `expected_version` guards against lost updates
  // (kAborted when stale; 0 means "none stored yet"). Audited as entity `which`, id the
  // activation, action "updated", before/after the document.
  Result<PlanDocuments> PutPlanDocument(const std::string& activation_id, const std::string& which,
                                        const Json& document,
                                        std::optional<int64_t> expected_version, const Actor& actor,
                                        const Authorize& authorize);
  // The general form: `edit` makes the new document from the current ones (and authorizes).
  // Keeps the stored resolved launch when `which` is the content calendar.
  Result<PlanDocuments> EditPlanDocument(const std::string& activation_id, const std::string& which,
                                         std::optional<int64_t> expected_version,
                                         const Actor& actor, const PlanDocumentEdit& edit);
  // Every activation's documents that has a plan, by activation id (for tz database checks).
  Result<std::vector<PlanDocuments>> ListStoredPlans();

  // ---- measurement (docs/ingest.md) ----
  // Creates the contract of (org_id, feed) at version 1, or stores `document` as its next version
  // (the activation cannot change). Audited as entity data_contract.
  Result<DataContractRecord> PutDataContract(const std::string& activation_id,
                                             const std::string& org_id, const std::string& feed,
                                             const Json& document, const Actor& actor,
                                             const Authorize& authorize);
  // kNotFound when the organisation has no such feed.
  Result<DataContractRecord> FindDataContract(const std::string& org_id, const std::string& feed);
  Result<std::vector<DataContractRecord>> ListDataContracts(const std::string& activation_id);
  // Every contract of every activation, for late-feed checks.
  Result<std::vector<DataContractRecord>> ListAllDataContracts();
  // One ingest batch in one write transaction: `produce` reads and validates the records and
  // hands each good event to the sink; what it stored commits with the batch, or nothing does.
  // With an idempotency key already used on this contract: the stored report is returned
  // (replayed) when `request_hash` matches, and kAlreadyExists (reason "idempotency_key_reused")
  // otherwise. Stamps the contract's last delivery.
  Result<IngestOutcome> IngestBatch(const DataContractRecord& contract,
                                    const std::optional<std::string>& idempotency_key,
                                    const std::string& request_hash, const Actor& actor,
                                    const std::function<Result<Json>(const EventSink&)>& produce);
  // The activation's events whose user key has not opted out of `excluded_purposes` (any
  // region) and was not erased, in no particular order.
  Status ForEachEvent(const std::string& activation_id,
                      const std::vector<std::string>& excluded_purposes,
                      const std::function<void(const EventRow&)>& visit);
  // Upserts the consent of (user_key, purpose, region); audited with the key's SHA-256 only.
  Status PutConsent(const ConsentRecord& consent, const Actor& actor);
  Result<std::vector<ConsentRecord>> ListConsents(const std::string& user_key);
  // Removes the key's events and consents everywhere and keeps only its SHA-256, so that events
  // sent later are refused; audited without the key. Returns the number of events removed.
  Result<int64_t> EraseUserKey(const std::string& user_key, const Actor& actor);

  // Calendar feeds. `token_hash` is TokenDigest of the secret; audited (entity calendar_feed,
  // visible to the feed's organisation).
  Result<CalendarFeedRecord> CreateCalendarFeed(const std::string& kind, const std::string& org_id,
                                                const std::string& user_id, const std::string& name,
                                                const std::string& token_hash, const Actor& actor);
  // Active or revoked; kNotFound when unknown.
  Result<CalendarFeedRecord> GetCalendarFeed(const std::string& id);
  // The active feed with this token, stamping last_used_at (at most once a minute); kNotFound
  // when none (unknown or revoked).
  Result<CalendarFeedRecord> UseCalendarFeed(const std::string& token_hash);
  // Feeds of the user, plus the organisation feeds of `org_id` when `include_org_feeds`.
  Result<std::vector<CalendarFeedRecord>> ListCalendarFeeds(const std::string& user_id,
                                                            const std::string& org_id,
                                                            bool include_org_feeds);
  // Idempotent; `authorize` decides on the feed inside the transaction.
  Result<CalendarFeedRecord> RevokeCalendarFeed(
      const std::string& id, const Actor& actor,
      const std::function<Status(const CalendarFeedRecord&)>& authorize);

  Result<ParticipationRecord> AddParticipant(const std::string& activation_id,
                                             const std::string& org_id, const std::string& role,
                                             const std::optional<Json>& agreement,
                                             const Actor& actor, const Authorize& authorize);
  // Applies {"role","facilitator","contribution","notes"}; setting facilitator on one partner
  // clears it on the others (one rotating seat).
  Result<ParticipationRecord> UpdateParticipant(const std::string& activation_id,
                                                const std::string& org_id, const Json& patch,
                                                const Actor& actor, const Authorize& authorize);
  Result<ParticipationRecord> PutAgreement(const std::string& activation_id,
                                           const std::string& org_id, const Json& agreement,
                                           const Actor& actor, const Authorize& authorize);

  Result<WorkstreamRecord> CreateWorkstream(const std::string& activation_id, const Json& fields,
                                            const Actor& actor, const Authorize& authorize);
  Result<std::vector<WorkstreamRecord>> ListWorkstreams(const std::string& activation_id);
  Result<WorkstreamRecord> GetWorkstream(const std::string& activation_id,
                                         const std::string& workstream_id);
  // `authorize_workstream` sees the activation and the workstream before the change.
  Result<WorkstreamRecord> UpdateWorkstream(
      const std::string& activation_id, const std::string& workstream_id, const Json& patch,
      const Actor& actor,
      const std::function<Status(const ActivationRecord&, const WorkstreamRecord&)>& authorize);

  Result<PlaybookRecord> SavePlaybook(const std::string& activation_id, const std::string& name,
                                      const Actor& actor, const Authorize& authorize);
  Result<PlaybookRecord> GetPlaybook(const std::string& id);
  Result<std::vector<PlaybookRecord>> ListPlaybooks(const std::string& org_id);
  // Creates an activation of `host_org_id` from the playbook, with its workstreams owned by
  // `owner_user_id` until reassigned.
  Result<ActivationRecord> InstantiatePlaybook(const PlaybookRecord& playbook,
                                               const std::string& name,
                                               const std::string& owner_user_id,
                                               const Actor& actor);

  // Audit trail.
  Result<std::vector<governance::AuditEntry>> ListAudit(const AuditQuery& query);
  // Streams every entry in seq order (for verification), `page` entries per transaction.
  Status ForEachAuditEntry(const std::function<void(const governance::AuditEntry&)>& visit,
                           int64_t page = 5000);
  // Appends an entry outside any other change (e.g. a CLI decision). Within Store methods the
  // append joins the mutation's own transaction.
  Status AppendAudit(const governance::AuditEntry& partial);

 private:
  Status Append(SqlSession& s, governance::AuditEntry entry);
  // Inserts a workstream and appends its "created" entry (kAlreadyExists on a taken name).
  Status InsertWorkstream(SqlSession& s, const WorkstreamRecord& w, const Actor& actor);
  std::string Now() const { return FormatInstant(clock_.Now()); }

  Database& db_;
  const Clock& clock_;
};

// A user-facing account name is an email; this lower-cases and trims it.
std::string NormaliseEmail(const std::string& email);

}  // namespace tutti::storage
