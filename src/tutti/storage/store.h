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
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tutti/base/clock.h"
#include "tutti/base/json.h"
#include "tutti/governance/access.h"
#include "tutti/governance/approvals.h"
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

// What became of the events handed to an IngestBatch's sink.
struct IngestCounts {
  int64_t stored = 0;      // new to the feed
  int64_t duplicates = 0;  // the feed already had the event id (also from earlier in the batch)
  int64_t erased = 0;      // the user key was erased: never stored again
};

// Takes the events of one IngestBatch. Events are written a few hundred per statement, so what
// became of one is known only at the next Flush. Used by the one thread running the batch.
class EventSink {
 public:
  virtual ~EventSink() = default;
  // Queues the event (and the consent it carries) for the batch; may write what is queued.
  // An error (a failed statement) fails the batch.
  virtual Status Put(const StoredEvent& event) = 0;
  // Writes what is queued; returns the counts of every event put so far in the batch.
  virtual Result<IngestCounts> Flush() = 0;
};

// The digest that identifies a batch's request for Idempotency-Key replays. A function, because
// the digest of a streamed upload is known only once the upload has been read to its end.
using RequestDigest = std::function<Result<std::string>()>;

struct IngestOutcome {
  std::string batch_id;
  Json report;            // what `produce` returned, stored for Idempotency-Key replays
  bool replayed = false;  // the same key and request were seen before: nothing was done now
};

// A unit of background work (service/job_runner.h): due at run_at, leased by one runner at a
// time. A job runs at most once: its effect commits in the same transaction that marks it done,
// and only while its runner still holds the lease (Store::CompleteJob).
struct JobRecord {
  std::string id;
  std::string kind;
  std::string dedupe_key;  // one job per key, ever: scheduling it again returns the first
  Json payload;
  Instant run_at;
  std::string state;  // "queued", "running", "done" or "failed"
  int64_t attempts = 0;
  std::string lease_owner;  // "" unless running
  std::optional<Instant> lease_until;
  std::string last_error;
  std::string created_at;
  std::string finished_at;  // "" until done or failed
};

// The proof that a runner holds a job: what CompleteJob and FailJob check.
struct JobLease {
  std::string job_id;
  std::string owner;
};

struct ConsentRecord {
  std::string user_key;
  std::string purpose;  // "measurement" or "sharing"
  std::string region;   // ISO 3166 code, or "*" for everywhere
  bool granted = false;
  std::string source;  // "api", "cli", "event", "gpc"
  std::string updated_at;
};

// ---- phase gates (docs/approvals.md, "Storage, HTTP API and CLI"; store_gates.cc) ----
// Phases and verdicts are the names of governance/gates.h; a criteria document is what ParseGate
// reads, validated by the caller (storage keeps it as given).
struct GateCriteriaRecord {
  std::string phase;
  int64_t version = 0;  // 1, 2… per (activation, phase)
  Json document;
  std::string updated_by;
  std::string updated_at;
};

// The last change of one checklist item: unticking is recorded too, with who and when.
struct GateChecklistMark {
  std::string phase;
  std::string item_id;
  bool checked = false;
  std::string changed_by;
  std::string changed_at;
};

// A sign-off counting towards a gate's required approvals, with the role and side ("host" or
// "partner") its user held when signing: a later role change does not rewrite what was signed.
struct GateSignOffRecord {
  std::string phase;
  std::string user_id;
  std::string role;
  std::string party;
  std::string comment;
  std::string signed_at;
};

struct GateDecisionRecord {
  std::string id;
  int64_t seq = 0;  // 1, 2… per activation, in the order decided
  std::string phase;
  std::string verdict;             // "go" or "no_go"
  std::string reason;              // why
  Json overrides = Json::array();  // [{"criterion", "reason"}]
  int64_t criteria_version = 0;    // of the gate decided on; 0 when it had no stored criteria
  Json evaluation;                 // the criteria as they stood (GateEvaluationToJson)
  std::string next_phase;          // where a go moved the activation; "" otherwise
  std::string decided_by;
  std::string decided_at;
};

// Everything stored about one activation's gates.
struct GateBoardRecord {
  std::string activation_id;
  std::string current_phase = "ideation";    // until a go moves it
  std::string phase_since;                   // when it entered current_phase; "" for the first
  std::vector<GateCriteriaRecord> criteria;  // the phases with criteria stored
  std::vector<GateChecklistMark> checklist;
  std::vector<GateSignOffRecord> sign_offs;
  std::vector<GateDecisionRecord> decisions;  // by seq
  const GateCriteriaRecord* FindCriteria(const std::string& phase) const;
};

// Sums of an activation's stored events for one (organisation, channel, feed), over the events a
// computation may use (opt-outs and erasures left out, as Store::ForEachEvent does). Values
// follow docs/ingest.md: a touchpoint's (impression, click, engagement) is its spend, a
// conversion's its revenue.
struct EventTotals {
  std::string org_id;
  std::string org_name;
  std::string channel;  // "" when the feed has none
  std::string contract_id;
  int64_t impressions = 0;
  int64_t clicks = 0;
  int64_t engagements = 0;
  int64_t conversions = 0;
  int64_t spend_micros = 0;
  int64_t revenue_micros = 0;
};

// The totals, and the contract documents of the feeds behind them (which say whether a feed
// reports spend or revenue at all: a sum of 0 from a feed without the field is not measured).
struct MeasuredEvents {
  std::vector<EventTotals> totals;
  // (contract id, document) of every feed contract of the activation, its latest version.
  std::vector<std::pair<std::string, Json>> contract_documents;
};

// What a gate decision callback returns for the Store to record.
struct GateDecisionDraft {
  std::string verdict;
  std::string reason;
  Json overrides = Json::array();
  Json evaluation;
  std::string next_phase;  // "" to stay in the current phase
};

// Both run inside the write transaction on freshly read state; an error aborts the change.
using GateAuthorize = std::function<Status(const ActivationRecord&, const GateBoardRecord&)>;
using GateDecide = std::function<Result<GateDecisionDraft>(
    const ActivationRecord&, const GateBoardRecord&, const MeasuredEvents&)>;

// ---- asset library (docs/assets.md, "Storage, HTTP API and CLI"; store_assets.cc) ----
// The activation's naming template, brand and platform-spec document ({"specs": [...]}), as the
// caller validated them; version 0 and empty fields while none were stored.
struct AssetSettingsRecord {
  std::string activation_id;
  std::string naming_template;  // "" while unset: names are not held to a convention
  std::string brand;            // fills {brand} in expected names; "" unknown
  Json platform_specs = Json{{"specs", Json::array()}};
  int64_t version = 0;
  std::string updated_by;
  std::string updated_at;
};

// One immutable version of an asset: a content-addressed file (hex SHA-256 under the blob
// store) with what its header said (media) and the spec check it passed.
struct AssetVersionRecord {
  int64_t version = 0;  // 1, 2… per asset
  std::string sha256;
  int64_t bytes = 0;
  std::string file_name;
  Json media;       // {"format","mime_type","width","height","frames","animated","duration_ms"}
  Json spec_check;  // {"placement", "violations": []}, or null when no placement was named
  std::string created_by;
  std::string created_at;
};

// A localization variant's state (assets/variants.h names).
struct AssetVariantStateRecord {
  int64_t master_version = 1;
  std::string translation = "pending";
  std::string review = "pending";
  bool stale = false;
  std::string updated_by;
  std::string updated_at;
};

struct AssetRecord {
  std::string id;
  std::string activation_id;
  std::string org_id;  // the owner: whose draft it is
  std::string org_name;
  std::string name_stem;        // the first version's file name without its extension
  std::string kind = "master";  // "master" or "variant"
  std::string master_asset_id;  // variants only
  std::string locale;           // "" unknown
  std::string platform;         // the placement it was checked against; "" none
  std::vector<std::string> tags;
  // Visible to every organisation of the activation, not only the owner and the host.
  bool shared = false;
  int64_t latest_version = 0;
  std::string created_by;
  std::string created_at;
  std::string updated_at;
  std::vector<AssetVersionRecord> versions;        // oldest first (GetAsset, AddAssetVersion)
  std::optional<AssetVariantStateRecord> variant;  // variants only
  const AssetVersionRecord* FindVersion(int64_t version) const;
};

// An upload to record: a new asset (asset_id empty) or a new version of asset_id.
struct NewAssetVersion {
  std::string asset_id;
  // The latest version the caller checked the upload against (0 for a new asset): a concurrent
  // upload in between is kAborted "conflict", since the name carried the version number.
  int64_t expected_latest_version = 0;
  std::string org_id;  // new assets: the owner
  std::string name_stem;
  std::string master_asset_id;  // new variants: their master
  std::string locale;
  std::string platform;
  std::vector<std::string> tags;  // added to the asset's
  bool share = false;             // shares the asset (never unshares)
  AssetVersionRecord version;     // version number, created_by and created_at are filled in
};

struct AssetQuery {
  std::string tag;              // "" any
  std::string platform;         // "" any
  std::string locale;           // "" any
  std::string master_asset_id;  // "" any: with it, that master's variants
};

// Run inside the write transaction on the fresh activation, the asset before the change (null
// for a new one) and the master (null unless the asset is or becomes a variant).
using AssetAuthorize = std::function<Status(const ActivationRecord&, const AssetRecord* asset,
                                            const AssetRecord* master)>;
// Decides a variant's next state from the fresh variant and its master (latest version known).
using VariantTransition = std::function<Result<AssetVariantStateRecord>(
    const ActivationRecord&, const AssetRecord& variant, const AssetRecord& master)>;

// ---- approval workflows (docs/approvals.md, "Storage, jobs and HTTP API") ----
// The job kind that records an approval's SLA breaches and escalations (service/approvals.h).
inline constexpr char kApprovalEscalationJob[] = "approval_escalation";
// A step's turnaround when neither the workflow nor the owner's agreement gives one (host items).
inline constexpr int64_t kDefaultApprovalTurnaroundHours = 48;

struct ApprovalRoundRecord {
  int64_t round = 0;  // 1, 2…
  std::string started_at;
  std::string started_by;
  std::string comment;  // what the resubmission says changed; "" for round 1
};

// One decision, with the approver's role and side as resolved when deciding, so that the round
// replays the same after a role change.
struct ApprovalDecisionRecord {
  int64_t round = 0;
  int64_t seq = 0;  // 1, 2… within the round, in the order recorded
  std::string step;
  std::string user_id;
  std::string role;      // core::RoleName
  std::string party;     // "host", "partner" (the item's partner) or "" (anyone else)
  std::string decision;  // governance::DecisionKindName
  std::string comment;
  std::string at;
};

struct ApprovalRecord {
  std::string id;
  std::string activation_id;
  std::string host_org_id;  // the activation's host
  std::string org_id;       // whose item it is (the host or a partner)
  std::string org_name;
  std::string subject_kind;
  std::string subject_id;
  std::string title;
  Json workflow;  // governance::WorkflowToJson, every default filled in
  int64_t round = 1;
  std::string round_started_at;
  std::string state;  // governance::RoundStateName of the current round
  int64_t version = 0;
  std::string created_by;
  std::string created_at;
  std::string updated_at;
  std::vector<ApprovalRoundRecord> rounds;        // by round
  std::vector<ApprovalDecisionRecord> decisions;  // every round's, by (round, seq)

  // The stored workflow, parsed (it needs no defaults: they were filled in when it was stored).
  Result<governance::ApprovalWorkflow> ParsedWorkflow() const;
  // `round` (1…this->round) evaluated at `now`: kInvalidArgument for a round that does not exist
  // or a stored history the rules refuse.
  Result<governance::ApprovalEvaluation> Evaluate(const governance::ApprovalWorkflow& workflow,
                                                  int64_t round, Instant now) const;
};

// An SLA event the job runner recorded: level 0 is the breach of a step's turnaround, level k
// the k-th escalation. `notified` is {"users": [ids], "roles": [names], "contact": "…"}, the
// users being every named user and every holder of a named role when it was recorded.
struct ApprovalBreachRecord {
  std::string approval_id;
  std::string activation_id;
  std::string org_id;  // the item's organisation
  std::string title;
  int64_t round = 0;
  std::string step;
  int64_t level = 0;
  std::string due_at;       // the step's deadline
  std::string breached_at;  // when the level was reached (due_at for level 0)
  std::string recorded_at;
  Json notified;
};

struct NewApprovalRequest {
  std::string org_id;        // whose item: the host or a participating partner
  std::string subject_kind;  // validated by the caller
  std::string subject_id;
  std::string title;
  // governance::ParseWorkflow's document; nullopt for the default workflow (one step, "host
  // review", by the host's owners or facilitators).
  std::optional<Json> workflow;
};

struct ApprovalDecisionRequest {
  std::string step;
  governance::DecisionKind kind = governance::DecisionKind::kApprove;
  std::string comment;
};

// Run inside the write transaction on the request as freshly read: an error aborts the change.
// The resolver answers who the caller is as an approver of this request (role and side).
using ApprovalAuthorize = std::function<Status(const ActivationRecord&, const ApprovalRecord&)>;
using ApprovalActorResolver =
    std::function<Result<governance::Actor>(const ActivationRecord&, const ApprovalRecord&)>;

// ---- archive: crisis templates, incident roster, retention, legal holds (docs/archive.md;
// store_archive.cc) ----
// One immutable version of a crisis-response template, with its pre-approval (empty until a
// host owner or facilitator approved exactly this version).
struct CrisisTemplateVersionRecord {
  int64_t version = 0;  // 1, 2… per template
  std::string title;
  std::string situation;  // what it answers, e.g. "product recall"
  std::string body;
  std::vector<std::string> channels;
  std::string created_by;
  std::string created_at;
  std::string approved_by;  // "" while not approved
  std::string approved_at;
};

struct CrisisTemplateRecord {
  std::string id;
  std::string activation_id;
  int64_t latest_version = 0;
  std::string created_by;
  std::string created_at;
  std::string updated_at;
  std::vector<CrisisTemplateVersionRecord> versions;  // oldest first
  // The latest version; a stored template always has one.
  const CrisisTemplateVersionRecord& Latest() const { return versions.back(); }
  // Pre-approved: its latest version is approved (a new version voids an earlier approval).
  bool PreApproved() const { return !versions.empty() && !Latest().approved_at.empty(); }
};

// What a template's version says, as the caller validated it.
struct CrisisTemplateContent {
  std::string title;
  std::string situation;
  std::string body;
  std::vector<std::string> channels;
};

struct IncidentRosterEntry {
  std::string duty;  // e.g. "incident lead", "legal", "social desk"
  std::string user_id;
  std::string backup_user_id;  // "" none
  std::string phone;           // "" none
  int64_t order = 0;           // who is called first: lower first
};

// Version 0 and no entries while none was stored.
struct IncidentRosterRecord {
  std::string activation_id;
  std::vector<IncidentRosterEntry> entries;  // by order, then duty
  int64_t version = 0;
  std::string updated_by;
  std::string updated_at;
};

// The policy document governance::ParseRetentionPolicy reads; version 0 and the default policy
// ({"default_months": 24}) while none was stored.
struct RetentionPolicyRecord {
  std::string activation_id;
  Json document = Json{{"default_months", 24}, {"by_kind", Json::object()}};
  int64_t version = 0;
  std::string updated_by;
  std::string updated_at;
};

struct LegalHoldRecord {
  std::string id;
  std::string activation_id;
  std::string reason;
  std::string placed_by;
  std::string placed_at;
  std::string released_by;  // "" while active
  std::string released_at;
  std::string release_reason;
  bool active() const { return released_at.empty(); }
};

struct RetentionCounts {
  int64_t keep = 0;
  int64_t remove = 0;  // kDelete: deleted, or would be on a dry run
  int64_t hold = 0;
};

// What one retention sweep of one activation found and did.
struct RetentionSweepRecord {
  std::string activation_id;
  bool on_legal_hold = false;
  bool dry_run = false;
  std::map<std::string, RetentionCounts> by_kind;  // retained kinds (governance/retention.h)
  // Digests of asset files that no stored version names any more since this sweep: the blob
  // store may drop them (after checking again, as an upload may have come in between).
  std::vector<std::string> unreferenced_blobs;
};

// ---- compliant publishing (docs/publishing.md, "Posts in the product"; store_publishing.cc) ----
// One version of an activation's UTM taxonomy: publishing::ParseTaxonomy's document, validated by
// the caller. Every version is kept; version 0 and a null document while none was stored.
struct UtmTaxonomyRecord {
  std::string activation_id;
  Json document;
  int64_t version = 0;
  std::string updated_by;
  std::string updated_at;
};

// One immutable version of a calendar post's content (the post itself, its partner, platform and
// time, stays in the content calendar). `content` is {"copy", "format", "paid", "partner",
// "platform", "platform_flag", "media_disclosure", "asset_ids"}; `links` are the links as tagged
// or validated; `disclosure` is the check as it stood when written ({"ok", "field", "reason",
// "message", "markers"}).
struct PostContentRecord {
  std::string activation_id;
  std::string post_id;
  int64_t version = 0;  // 1, 2… per post
  std::string org_id;   // the post's organisation when this version was written
  Json content;
  Json links;
  Json disclosure;
  int64_t taxonomy_version = 0;  // of the taxonomy the links were checked against; 0 none
  std::string created_by;
  std::string created_at;
};

// What a content write reads in its transaction and hands to the caller's compose callback.
struct PostContentContext {
  Json post;                                       // the calendar post (id, partner, platform…)
  UtmTaxonomyRecord taxonomy;                      // the latest; version 0 when none
  std::optional<PostContentRecord> latest;         // the post's latest content version
  std::vector<std::optional<AssetRecord>> assets;  // the asked asset ids, in order; nullopt unknown
};

// What the caller composed on that state: the next version's content, links and disclosure.
struct PostContentDraft {
  Json content;
  Json links = Json::array();
  Json disclosure;
  int64_t taxonomy_version = 0;
};
// Runs inside the write transaction (access included: its error aborts the write).
using PostContentCompose =
    std::function<Result<PostContentDraft>(const ActivationRecord&, const PostContentContext&)>;

// A publication confirmation: who recorded that the post went live, when, where and at which URL,
// and the approved content version and request it went live under.
struct PublicationRecord {
  std::string id;
  std::string activation_id;
  std::string post_id;
  std::string org_id;  // the post's organisation
  std::string platform;
  std::string live_url;
  std::string published_at;
  int64_t content_version = 0;
  std::string approval_id;
  std::string recorded_by;
  std::string recorded_at;
};

struct NewPublication {
  std::string post_id;
  std::string platform;      // "" for the post's own
  std::string live_url;      // checked by the caller (publishing::ParseUrl)
  std::string published_at;  // FormatInstant; "" for now
};

// A stop on every scheduled post of the activation (scope "activation", org_id "") or of one
// organisation (scope "partner"). Lifted once, with who, when and why; never deleted.
struct FreezeRecord {
  std::string id;
  std::string activation_id;
  std::string scope;
  std::string org_id;
  std::string reason;
  std::string created_by;
  std::string created_at;
  std::string lifted_by;  // "" while active
  std::string lifted_at;
  std::string lift_reason;
  bool active() const { return lifted_at.empty(); }
};

// Run inside the write transaction: the post's organisation for publications; the freeze (new,
// or before its lift) for freezes.
using PublicationAuthorize =
    std::function<Status(const ActivationRecord&, const std::string& post_org_id)>;
using FreezeAuthorize = std::function<Status(const ActivationRecord&, const FreezeRecord&)>;

// The one rule for "is this post frozen": the oldest active freeze of `freezes` (one
// activation's) that covers the whole activation or `post_org_id`; null when none does.
const FreezeRecord* FreezeHolding(const std::vector<FreezeRecord>& freezes,
                                  const std::string& post_org_id);

// The content version a post's approvals cover: for each request about the post (subject "post",
// its id) whose current round is approved, the latest of `versions` created at or before that
// round started; the newest such version, or nullopt when none. A post may go live only when this
// is its latest version.
std::optional<int64_t> ApprovedContentVersion(const std::vector<PostContentRecord>& versions,
                                              const std::vector<ApprovalRecord>& approvals);

// publishing::CheckDisclosure on a stored content document: OK when it needs none or carries one;
// otherwise the engine's status (kFailedPrecondition naming "copy" or "media_disclosure").
Status CheckPostDisclosure(const Json& content);

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
  // One ingest batch in one write transaction: `produce` reads and validates the records, puts
  // each good event into the sink and flushes it for the counts of its report; what it stored
  // commits with the batch, or nothing does (an error from produce or the sink rolls it all
  // back). An event id seen twice, in the feed or in the batch, is stored once. `request_digest`
  // is called once, after produce (its digest is kept with the batch) or, when
  // `idempotency_key` was already used on this contract, instead of produce: the stored report
  // is returned (replayed) when the digests match, kAlreadyExists (reason
  // "idempotency_key_reused") otherwise. Stamps the contract's last delivery.
  Result<IngestOutcome> IngestBatch(const DataContractRecord& contract,
                                    const std::optional<std::string>& idempotency_key,
                                    const RequestDigest& request_digest, const Actor& actor,
                                    const std::function<Result<Json>(EventSink&)>& produce);
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

  // Background jobs (store_jobs.cc). Schedules `kind` at `run_at` unless a job with `dedupe_key`
  // exists, which is then returned unchanged (so "escalate step 2 of approval X at level 1" is
  // scheduled once however often it is asked for).
  Result<JobRecord> ScheduleJob(const std::string& kind, const std::string& dedupe_key,
                                const Json& payload, Instant run_at);
  // Leases the most overdue job (queued and due, or running with an expired lease) to `owner`
  // until now + `ttl`; nullopt when none is due. Two runners, in one process or in two on one
  // database, never hold the same job at once: the claim is a compare-and-set on the row
  // (PostgreSQL also skips rows another transaction has locked).
  Result<std::optional<JobRecord>> LeaseNextJob(const std::string& owner, std::chrono::seconds ttl);
  // Marks the job done while `lease` still holds (the job is running under that owner, even if
  // the lease expired without another runner taking it); kAborted (reason "lease_lost")
  // otherwise. A job whose effect is a write of the Store takes a JobLease in that write instead,
  // so that the effect and the completion commit together (detail::CompleteLeasedJob).
  Status CompleteJob(const JobLease& lease);
  // Records the error; the job is queued again at `retry_at`, or fails for good when nullopt.
  // kAborted when the lease no longer holds.
  Status FailJob(const JobLease& lease, const std::string& error, std::optional<Instant> retry_at);
  Result<JobRecord> GetJob(const std::string& id);
  // Jobs in `state` ("" for all), oldest run_at first, at most `limit`.
  Result<std::vector<JobRecord>> ListJobs(const std::string& state, int64_t limit);

  // Approval workflows (store_approvals.cc). Each change evaluates the round with the engine of
  // governance/approvals.h at the store's clock and, in its own transaction, schedules one
  // kApprovalEscalationJob per (round, step, level) the round's active steps can reach.
  // CreateApproval: round 1 starts now. The workflow's missing turnarounds and escalation paths
  // come from the owner's partner agreement (kDefaultApprovalTurnaroundHours when it has none);
  // named users must belong to the host or a participating partner. kInvalidArgument names the
  // field under "workflow". Audited as entity approval "created", visible to the host and the
  // owner.
  Result<ApprovalRecord> CreateApproval(const std::string& activation_id,
                                        const NewApprovalRequest& request, const Actor& actor,
                                        const Authorize& authorize);
  // kNotFound unless the request exists in that activation.
  Result<ApprovalRecord> GetApproval(const std::string& activation_id,
                                     const std::string& approval_id);
  // Oldest first.
  Result<std::vector<ApprovalRecord>> ListApprovals(const std::string& activation_id);
  // Pending requests of every activation hosted by or shared with `org_id`, for inboxes.
  Result<std::vector<ApprovalRecord>> ListPendingApprovalsVisibleTo(const std::string& org_id);
  // Records a decision in the current round after governance::CheckDecision accepted it on the
  // fresh state (its errors as they are: kPermissionDenied not_an_approver, kFailedPrecondition
  // round_closed…). `expected_version` guards against lost updates (kAborted when stale).
  // Audited as "decided".
  Result<ApprovalRecord> DecideApproval(const std::string& activation_id,
                                        const std::string& approval_id,
                                        const ApprovalDecisionRequest& decision,
                                        std::optional<int64_t> expected_version, const Actor& actor,
                                        const ApprovalActorResolver& resolve);
  // Starts the next round now, after a reject or a request for changes (kFailedPrecondition
  // "round_open" while pending, "already_approved" once approved). Audited as "resubmitted".
  Result<ApprovalRecord> ResubmitApproval(const std::string& activation_id,
                                          const std::string& approval_id,
                                          const std::string& comment,
                                          std::optional<int64_t> expected_version,
                                          const Actor& actor, const ApprovalAuthorize& authorize);
  // The activation's recorded breaches and escalations, by breached_at.
  Result<std::vector<ApprovalBreachRecord>> ListApprovalBreaches(const std::string& activation_id);
  // The escalation job's effect, under its lease: evaluates `round` of the request at the store's
  // clock and records every event governance::DueEscalations lists that is not recorded yet, each
  // with its audit entry ("approval_breached" for level 0, "approval_escalated" naming who is
  // notified), then completes the job, all in one transaction. A job whose events are not due
  // (the step was decided in time) completes without effect. Returns what was recorded now;
  // kAborted "lease_lost" (nothing recorded) when another runner owns the job.
  Result<std::vector<ApprovalBreachRecord>> RecordDueApprovalEscalations(
      const std::string& approval_id, int64_t round, const JobLease& lease);

  // ---- phase gates (store_gates.cc) ----
  // The activation's gates as stored; an activation with none yet is in "ideation" with empty
  // lists. kNotFound only when the activation does not exist.
  Result<GateBoardRecord> GetGateBoard(const std::string& activation_id);
  // The activation's event totals without the user keys opted out of `excluded_purposes` (any
  // region) or erased, in one aggregate query, and its data contracts.
  Result<MeasuredEvents> MeasureEvents(const std::string& activation_id,
                                       const std::vector<std::string>& excluded_purposes);
  // Stores `document` as the criteria of `phase`'s gate (version 1, or the next). kAborted when
  // `expected_version` is stale (0 means "none stored yet"). Audited as entity "gate", id
  // "ACTIVATION:PHASE", action "created" or "updated", with before and after.
  Result<GateCriteriaRecord> PutGateCriteria(const std::string& activation_id,
                                             const std::string& phase, const Json& document,
                                             std::optional<int64_t> expected_version,
                                             const Actor& actor, const GateAuthorize& authorize);
  // Ticks or unticks a checklist item (which `authorize` should check the gate has). Setting the
  // state it already has changes nothing and appends nothing. Audited as entity
  // "gate_checklist", id "ACTIVATION:PHASE:ITEM", action "checked" or "unchecked".
  Result<GateChecklistMark> MarkGateChecklistItem(const std::string& activation_id,
                                                  const std::string& phase,
                                                  const std::string& item_id, bool checked,
                                                  const Actor& actor,
                                                  const GateAuthorize& authorize);
  // Records `sign_off` (its phase, user, role, party and comment; the time is now). A user signs
  // a gate once: signing again returns the first sign-off and appends nothing. Audited as entity
  // "gate_sign_off", id "ACTIVATION:PHASE", action "signed_off".
  Result<GateSignOffRecord> SignOffGate(const std::string& activation_id,
                                        const GateSignOffRecord& sign_off, const Actor& actor,
                                        const GateAuthorize& authorize);
  // Records a go/no-go on `phase`'s gate: `decide` sees the activation, its gates and the event
  // totals (MeasureEvents with `excluded_purposes`) as of this transaction and returns what to
  // record; a next_phase moves the activation there. Audited as entity "gate_decision", id the
  // decision's, action the verdict, after the whole decision (reason and overrides included).
  Result<GateDecisionRecord> RecordGateDecision(const std::string& activation_id,
                                                const std::string& phase,
                                                const std::vector<std::string>& excluded_purposes,
                                                const Actor& actor, const GateDecide& decide);

  // ---- asset library (store_assets.cc) ----
  // The settings as stored (version 0 when none). kNotFound only when the activation is missing.
  Result<AssetSettingsRecord> GetAssetSettings(const std::string& activation_id);
  // Replaces the settings (validated by the caller). kAborted when `expected_version` is stale
  // (0: none stored yet). Audited as entity "asset_settings", id the activation, with before and
  // after.
  Result<AssetSettingsRecord> PutAssetSettings(const AssetSettingsRecord& settings,
                                               std::optional<int64_t> expected_version,
                                               const Actor& actor, const Authorize& authorize);
  // Records an upload: a new asset (version 1; a variant starts translation pending, made from
  // its master's latest version) or the next version of an existing one. A new master version
  // marks every variant made from an older one stale (assets::MarkStaleOnNewMaster), in the
  // same transaction. Errors: kNotFound for an unknown asset or master (in this activation),
  // kInvalidArgument (field "master") when the master is itself a variant, kAborted "conflict"
  // when the latest version is not `expected_latest_version`, kAlreadyExists (field "name") when
  // another asset of the activation has the name stem, and what `authorize` returns. Audited as
  // entity "asset", action "created" or "version_added", visible to the owner and the host
  // until shared. Returns the asset with its versions and variant state.
  Result<AssetRecord> AddAssetVersion(const std::string& activation_id,
                                      const NewAssetVersion& upload, const Actor& actor,
                                      const AssetAuthorize& authorize);
  // With versions and variant state; kNotFound unless the asset is in that activation.
  Result<AssetRecord> GetAsset(const std::string& activation_id, const std::string& asset_id);
  // Assets matching every non-empty field of `query`, oldest first, with versions.
  Result<std::vector<AssetRecord>> ListAssets(const std::string& activation_id,
                                              const AssetQuery& query);
  // Replaces a variant's state with what `transition` returns on the fresh state. kNotFound
  // unless `variant_id` is a variant of `master_id` in the activation. Audited as entity
  // "asset_variant", action "state_changed", before and after.
  Result<AssetRecord> UpdateVariantState(const std::string& activation_id,
                                         const std::string& master_id,
                                         const std::string& variant_id, const Actor& actor,
                                         const VariantTransition& transition);

  // ---- archive (store_archive.cc) ----
  // Crisis templates. Create stores version 1; Revise stores the next version (kAborted when
  // `expected_version` is not the latest), which is unapproved until approved again. Approve
  // records who and when on the latest version (kAborted when `version` is given and is not the
  // latest; approving an approved version changes nothing and appends nothing). kNotFound unless
  // the template is in the activation. Audited as entity "crisis_template", actions "created",
  // "revised", "approved".
  Result<CrisisTemplateRecord> CreateCrisisTemplate(const std::string& activation_id,
                                                    const CrisisTemplateContent& content,
                                                    const Actor& actor, const Authorize& authorize);
  Result<CrisisTemplateRecord> ReviseCrisisTemplate(const std::string& activation_id,
                                                    const std::string& template_id,
                                                    const CrisisTemplateContent& content,
                                                    std::optional<int64_t> expected_version,
                                                    const Actor& actor, const Authorize& authorize);
  Result<CrisisTemplateRecord> ApproveCrisisTemplate(const std::string& activation_id,
                                                     const std::string& template_id,
                                                     std::optional<int64_t> version,
                                                     const Actor& actor,
                                                     const Authorize& authorize);
  Result<CrisisTemplateRecord> GetCrisisTemplate(const std::string& activation_id,
                                                 const std::string& template_id);
  // Oldest first, with versions.
  Result<std::vector<CrisisTemplateRecord>> ListCrisisTemplates(const std::string& activation_id);

  // The roster as stored (version 0 when none). Put replaces it after checking, inside the
  // transaction, that every user and backup exists, is enabled and belongs to the host or a
  // participating organisation (kInvalidArgument naming "entries[i].user_id"). kAborted when
  // `expected_version` is stale (0: none stored yet). Audited as entity "incident_roster".
  Result<IncidentRosterRecord> GetIncidentRoster(const std::string& activation_id);
  Result<IncidentRosterRecord> PutIncidentRoster(const std::string& activation_id,
                                                 const std::vector<IncidentRosterEntry>& entries,
                                                 std::optional<int64_t> expected_version,
                                                 const Actor& actor, const Authorize& authorize);

  // The retention policy (the default while none is stored). Put stores `document` after
  // governance::ParseRetentionPolicy accepted it (its errors as they are); kAborted when stale.
  // Audited as entity "retention_policy".
  Result<RetentionPolicyRecord> GetRetentionPolicy(const std::string& activation_id);
  Result<RetentionPolicyRecord> PutRetentionPolicy(const std::string& activation_id,
                                                   const Json& document,
                                                   std::optional<int64_t> expected_version,
                                                   const Actor& actor, const Authorize& authorize);

  // Legal holds: while one is active nothing of the activation is deleted. Release: kNotFound
  // unless the hold is in the activation; kFailedPrecondition ("already_released") when it was
  // released before. Audited as entity "legal_hold", actions "placed" and "released", visible to
  // the host only.
  Result<LegalHoldRecord> PlaceLegalHold(const std::string& activation_id,
                                         const std::string& reason, const Actor& actor,
                                         const Authorize& authorize);
  Result<LegalHoldRecord> ReleaseLegalHold(const std::string& activation_id,
                                           const std::string& hold_id, const std::string& reason,
                                           const Actor& actor, const Authorize& authorize);
  // Every hold, active or released, oldest first.
  Result<std::vector<LegalHoldRecord>> ListLegalHolds(const std::string& activation_id);

  // One retention sweep of one activation at the store's clock, in one transaction: reads the
  // retained items (asset versions, approval decisions, resubmission comments, gate decisions,
  // approval breaches, post content versions and publications), asks governance::ApplyRetention
  // with the activation's policy and its legal holds, and deletes exactly the kDelete ones (a
  // comment is blanked: its round stays). Appends one audit entry (entity "retention", action
  // "swept", the counts, never the content) when it deleted anything. `dry_run` reads only.
  // kNotFound for an unknown activation.
  Result<RetentionSweepRecord> SweepRetention(const std::string& activation_id, bool dry_run,
                                              const Actor& actor);
  // Every activation's id, oldest first (for the sweep).
  Result<std::vector<std::string>> ListActivationIds();
  // The activation's post content versions and publications as stored (publishing, migration
  // 9), for the export: {"posts": [...], "publications": [...]}, oldest first.
  Result<Json> ListPublishingArchive(const std::string& activation_id);
  // Whether any stored asset version names the file `sha256`.
  Result<bool> IsBlobReferenced(const std::string& sha256);

  // ---- compliant publishing (store_publishing.cc) ----
  // The latest taxonomy (version 0 when none). kNotFound only when the activation is missing.
  Result<UtmTaxonomyRecord> GetUtmTaxonomy(const std::string& activation_id);
  // Stores `document` (validated by the caller) as the next version; earlier versions stay.
  // kAborted when `expected_version` is stale (0: none stored yet). Audited as entity
  // "utm_taxonomy", id the activation, "created" or "updated", with before and after.
  Result<UtmTaxonomyRecord> PutUtmTaxonomy(const std::string& activation_id, const Json& document,
                                           std::optional<int64_t> expected_version,
                                           const Actor& actor, const Authorize& authorize);
  // Adds the next content version of calendar post `post_id`: reads the post (kNotFound
  // "post not found" when the calendar has none), the latest taxonomy, the latest content and
  // the assets named by `asset_ids`, then records what `compose` returns. kAborted when the
  // latest version is not `expected_version` (0: none yet). Audited as entity "post_content", id
  // "ACTIVATION:POST", "created" or "version_added", visible to the host and the post's
  // organisation (a draft is theirs).
  Result<PostContentRecord> AddPostContent(const std::string& activation_id,
                                           const std::string& post_id,
                                           const std::vector<std::string>& asset_ids,
                                           std::optional<int64_t> expected_version,
                                           const Actor& actor, const PostContentCompose& compose);
  // Every version of the post's content, oldest first (empty when none).
  Result<std::vector<PostContentRecord>> ListPostContents(const std::string& activation_id,
                                                          const std::string& post_id);
  // Records that the post went live. In the transaction, after `authorize`: kNotFound when the
  // calendar has no such post; kFailedPrecondition "frozen" (naming the freeze) while a freeze
  // holds the post (FreezeHolding); kFailedPrecondition "not_approved" unless the post has
  // content and ApprovedContentVersion is its latest version. Audited as entity "publication",
  // action "published".
  Result<PublicationRecord> RecordPublication(const std::string& activation_id,
                                              const NewPublication& publication, const Actor& actor,
                                              const PublicationAuthorize& authorize);
  // The post's publications, oldest first.
  Result<std::vector<PublicationRecord>> ListPublications(const std::string& activation_id,
                                                          const std::string& post_id);
  // Freezes the activation's posts (scope "activation") or those of `org_id` (scope "partner",
  // the host or a participant: kInvalidArgument "unknown_partner" otherwise). Audited as entity
  // "freeze", action "frozen".
  Result<FreezeRecord> CreateFreeze(const std::string& activation_id, const std::string& scope,
                                    const std::string& org_id, const std::string& reason,
                                    const Actor& actor, const FreezeAuthorize& authorize);
  // Lifts an active freeze (kNotFound unless it is the activation's; kFailedPrecondition
  // "already_lifted"). Audited as entity "freeze", action "lifted".
  Result<FreezeRecord> LiftFreeze(const std::string& activation_id, const std::string& freeze_id,
                                  const std::string& reason, const Actor& actor,
                                  const FreezeAuthorize& authorize);
  // Active and lifted, oldest first.
  Result<std::vector<FreezeRecord>> ListFreezes(const std::string& activation_id);

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
