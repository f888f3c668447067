// The phase-gate half of Store (docs/approvals.md, "Storage, HTTP API and CLI"; migration 7):
// the phase an activation is in, each gate's criteria, checklist ticks, sign-offs and go/no-go
// decisions, and the event totals the metric thresholds are measured against. Storage keeps the
// documents as given; the rules are governance/gates.h's, applied by the callers' callbacks
// inside the write transactions. Thread-safe like the rest of Store.
#include "tutti/base/ids.h"
#include "tutti/governance/gates.h"
#include "tutti/storage/store.h"
#include "tutti/storage/store_internal.h"

namespace tutti::storage {
namespace {

using detail::Entry;
using detail::LoadActivation;
using detail::ParseStored;
using governance::AuditEntry;

std::string GateEntityId(const std::string& activation_id, const std::string& phase) {
  return activation_id + ":" + phase;
}

Result<GateBoardRecord> LoadGateBoard(SqlSession& s, const std::string& activation_id) {
  GateBoardRecord board;
  board.activation_id = activation_id;
  board.current_phase = std::string(governance::PhaseName(governance::Phase::kIdeation));
  TUTTI_ASSIGN_OR_RETURN(
      auto phase, s.Query("SELECT phase, since FROM activation_phases WHERE activation_id = ?",
                          {activation_id}));
  if (!phase.empty()) {
    board.current_phase = phase[0].Text(0);
    board.phase_since = phase[0].Text(1);
  }
  TUTTI_ASSIGN_OR_RETURN(auto criteria,
                         s.Query("SELECT phase, version, document, updated_by, updated_at FROM "
                                 "gate_criteria WHERE activation_id = ? ORDER BY phase",
                                 {activation_id}));
  for (const Row& r : criteria) {
    board.criteria.push_back(
        GateCriteriaRecord{r.Text(0), r.Int(1), ParseStored(r.Text(2)), r.Text(3), r.Text(4)});
  }
  TUTTI_ASSIGN_OR_RETURN(auto marks,
                         s.Query("SELECT phase, item_id, checked, changed_by, changed_at FROM "
                                 "gate_checklist WHERE activation_id = ? ORDER BY phase, item_id",
                                 {activation_id}));
  for (const Row& r : marks) {
    board.checklist.push_back(
        GateChecklistMark{r.Text(0), r.Text(1), r.Int(2) != 0, r.Text(3), r.Text(4)});
  }
  TUTTI_ASSIGN_OR_RETURN(
      auto sign_offs,
      s.Query("SELECT phase, user_id, role, party, comment, signed_at FROM gate_sign_offs "
              "WHERE activation_id = ? ORDER BY phase, signed_at, user_id",
              {activation_id}));
  for (const Row& r : sign_offs) {
    board.sign_offs.push_back(
        GateSignOffRecord{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5)});
  }
  TUTTI_ASSIGN_OR_RETURN(
      auto decisions,
      s.Query("SELECT id, seq, phase, verdict, reason, overrides, criteria_version, evaluation, "
              "next_phase, decided_by, decided_at FROM gate_decisions WHERE activation_id = ? "
              "ORDER BY seq",
              {activation_id}));
  for (const Row& r : decisions) {
    GateDecisionRecord d;
    d.id = r.Text(0);
    d.seq = r.Int(1);
    d.phase = r.Text(2);
    d.verdict = r.Text(3);
    d.reason = r.Text(4);
    d.overrides = ParseStored(r.Text(5));
    d.criteria_version = r.Int(6);
    d.evaluation = ParseStored(r.Text(7));
    d.next_phase = r.Text(8);
    d.decided_by = r.Text(9);
    d.decided_at = r.Text(10);
    board.decisions.push_back(std::move(d));
  }
  return board;
}

// The activation (row-locked on PostgreSQL, which serialises the writers of its gates) and its
// gates, for a write transaction.
struct Locked {
  ActivationRecord activation;
  GateBoardRecord board;
};

Result<Locked> LockGates(SqlSession& s, const std::string& activation_id) {
  TUTTI_ASSIGN_OR_RETURN(ActivationRecord a, LoadActivation(s, activation_id, true));
  TUTTI_ASSIGN_OR_RETURN(GateBoardRecord board, LoadGateBoard(s, activation_id));
  return Locked{std::move(a), std::move(board)};
}

// One aggregate over the activation's events. The opt-out condition is the one ForEachEvent
// applies (tests/storage/gates_store_test.cc compares the two), so that a gate and the
// attribution report never count different people. Organisation names are joined to the few
// aggregated rows rather than to every event, which took a third off the query on SQLite.
// Figures against ForEachEvent: docs/approvals.md, "Speed".
Result<MeasuredEvents> LoadMeasuredEvents(SqlSession& s, const std::string& activation_id,
                                          const std::vector<std::string>& excluded_purposes) {
  std::vector<SqlValue> params{activation_id};
  std::string sql =
      "SELECT g.org_id, o.name, g.channel, g.contract_id, g.impressions, g.clicks, "
      "g.engagements, g.conversions, g.spend, g.revenue FROM (SELECT e.org_id, e.channel, "
      "e.contract_id, "
      "SUM(CASE WHEN e.event_type = 'impression' THEN 1 ELSE 0 END) AS impressions, "
      "SUM(CASE WHEN e.event_type = 'click' THEN 1 ELSE 0 END) AS clicks, "
      "SUM(CASE WHEN e.event_type = 'engagement' THEN 1 ELSE 0 END) AS engagements, "
      "SUM(CASE WHEN e.event_type = 'conversion' THEN 1 ELSE 0 END) AS conversions, "
      "SUM(CASE WHEN e.event_type = 'conversion' THEN 0 ELSE e.value_micros END) AS spend, "
      "SUM(CASE WHEN e.event_type = 'conversion' THEN e.value_micros ELSE 0 END) AS revenue "
      "FROM events e WHERE e.activation_id = ?";
  sql += detail::OptedOutExclusionSql(excluded_purposes, params);
  sql +=
      " GROUP BY e.org_id, e.channel, e.contract_id) g JOIN orgs o ON o.id = g.org_id "
      "ORDER BY g.org_id, g.channel, g.contract_id";
  MeasuredEvents out;
  TUTTI_ASSIGN_OR_RETURN(auto rows, s.Query(sql, params));
  for (const Row& r : rows) {
    out.totals.push_back(EventTotals{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), r.Int(5),
                                     r.Int(6), r.Int(7), r.Int(8), r.Int(9)});
  }
  TUTTI_ASSIGN_OR_RETURN(
      auto contracts,
      s.Query("SELECT id, document FROM data_contracts WHERE activation_id = ? ORDER BY id",
              {activation_id}));
  for (const Row& r : contracts)
    out.contract_documents.emplace_back(r.Text(0), ParseStored(r.Text(1)));
  return out;
}

// What the trail keeps of a decision: every criterion's outcome but not the measured values,
// which the gate board withholds from partners (money, other organisations' figures) while the
// trail is visible to everyone in the activation. The full snapshot stays in gate_decisions.
Json DecisionAuditJson(const GateDecisionRecord& d) {
  Json outcomes = Json::array();
  if (d.evaluation.is_object() && d.evaluation.contains("criteria")) {
    for (const Json& c : d.evaluation["criteria"]) {
      Json outcome = Json::object();
      for (const char* key : {"id", "outcome"}) {
        if (auto it = c.find(key); it != c.end()) outcome[key] = *it;
      }
      outcomes.push_back(std::move(outcome));
    }
  }
  return Json{{"phase", d.phase},
              {"verdict", d.verdict},
              {"reason", d.reason},
              {"overrides", d.overrides},
              {"criteria_version", d.criteria_version},
              {"criteria", std::move(outcomes)},
              {"next_phase", d.next_phase.empty() ? Json(nullptr) : Json(d.next_phase)},
              {"decided_by", d.decided_by}};
}

}  // namespace

const GateCriteriaRecord* GateBoardRecord::FindCriteria(const std::string& phase) const {
  for (const GateCriteriaRecord& c : criteria) {
    if (c.phase == phase) return &c;
  }
  return nullptr;
}

Result<GateBoardRecord> Store::GetGateBoard(const std::string& activation_id) {
  return detail::ReadInActivation(db_, activation_id,
                                  [&](SqlSession& s) { return LoadGateBoard(s, activation_id); });
}

Result<MeasuredEvents> Store::MeasureEvents(const std::string& activation_id,
                                            const std::vector<std::string>& excluded_purposes) {
  Result<MeasuredEvents> out = NotFound("activation not found");
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kRead, [&](SqlSession& s) -> Status {
    out = LoadMeasuredEvents(s, activation_id, excluded_purposes);
    return out.status();
  }));
  return out;
}

Result<GateCriteriaRecord> Store::PutGateCriteria(const std::string& activation_id,
                                                  const std::string& phase, const Json& document,
                                                  std::optional<int64_t> expected_version,
                                                  const Actor& actor,
                                                  const GateAuthorize& authorize) {
  GateCriteriaRecord out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(Locked locked, LockGates(s, activation_id));
    TUTTI_RETURN_IF_ERROR(authorize(locked.activation, locked.board));
    const GateCriteriaRecord* before = locked.board.FindCriteria(phase);
    const int64_t current = before == nullptr ? 0 : before->version;
    TUTTI_RETURN_IF_ERROR(detail::CheckExpectedVersion(expected_version, current,
                                                       "the " + phase + " gate's criteria were"));
    const std::string now = Now();
    if (before == nullptr) {
      TUTTI_RETURN_IF_ERROR(
          s.Execute("INSERT INTO gate_criteria (activation_id, phase, version, document, "
                    "updated_by, updated_at) VALUES (?, ?, 1, ?, ?, ?)",
                    {activation_id, phase, document.dump(), actor.id, now})
              .status());
    } else {
      TUTTI_RETURN_IF_ERROR(
          s.Execute("UPDATE gate_criteria SET version = version + 1, document = ?, "
                    "updated_by = ?, updated_at = ? WHERE activation_id = ? AND phase = ?",
                    {document.dump(), actor.id, now, activation_id, phase})
              .status());
    }
    out = GateCriteriaRecord{phase, current + 1, document, actor.id, now};
    AuditEntry e = Entry(actor, "gate", GateEntityId(activation_id, phase),
                         before == nullptr ? "created" : "updated");
    e.activation_id = activation_id;
    if (before != nullptr) e.before = before->document.dump();
    e.after = document.dump();
    return Append(s, std::move(e));
  }));
  return out;
}

Result<GateChecklistMark> Store::MarkGateChecklistItem(const std::string& activation_id,
                                                       const std::string& phase,
                                                       const std::string& item_id, bool checked,
                                                       const Actor& actor,
                                                       const GateAuthorize& authorize) {
  GateChecklistMark out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(Locked locked, LockGates(s, activation_id));
    TUTTI_RETURN_IF_ERROR(authorize(locked.activation, locked.board));
    const GateChecklistMark* before = nullptr;
    for (const GateChecklistMark& m : locked.board.checklist) {
      if (m.phase == phase && m.item_id == item_id) before = &m;
    }
    if (before != nullptr && before->checked == checked) {
      out = *before;
      return OkStatus();
    }
    // An item never touched is unticked: unticking it records nothing either.
    if (before == nullptr && !checked) {
      out = GateChecklistMark{phase, item_id, false, "", ""};
      return OkStatus();
    }
    const std::string now = Now();
    TUTTI_RETURN_IF_ERROR(
        s.Execute("INSERT INTO gate_checklist (activation_id, phase, item_id, checked, "
                  "changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (activation_id, "
                  "phase, item_id) DO UPDATE SET checked = excluded.checked, changed_by = "
                  "excluded.changed_by, changed_at = excluded.changed_at",
                  {activation_id, phase, item_id, int64_t{checked ? 1 : 0}, actor.id, now})
            .status());
    out = GateChecklistMark{phase, item_id, checked, actor.id, now};
    AuditEntry e =
        Entry(actor, "gate_checklist", GateEntityId(activation_id, phase) + ":" + item_id,
              checked ? "checked" : "unchecked");
    e.activation_id = activation_id;
    e.before = Json{{"checked", before != nullptr && before->checked}}.dump();
    e.after = Json{{"phase", phase}, {"item_id", item_id}, {"checked", checked}}.dump();
    return Append(s, std::move(e));
  }));
  return out;
}

Result<GateSignOffRecord> Store::SignOffGate(const std::string& activation_id,
                                             const GateSignOffRecord& sign_off, const Actor& actor,
                                             const GateAuthorize& authorize) {
  GateSignOffRecord out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(Locked locked, LockGates(s, activation_id));
    TUTTI_RETURN_IF_ERROR(authorize(locked.activation, locked.board));
    for (const GateSignOffRecord& existing : locked.board.sign_offs) {
      if (existing.phase == sign_off.phase && existing.user_id == sign_off.user_id) {
        out = existing;
        return OkStatus();
      }
    }
    out = sign_off;
    out.signed_at = Now();
    TUTTI_RETURN_IF_ERROR(
        s.Execute("INSERT INTO gate_sign_offs (activation_id, phase, user_id, role, party, "
                  "comment, signed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  {activation_id, out.phase, out.user_id, out.role, out.party, out.comment,
                   out.signed_at})
            .status());
    AuditEntry e =
        Entry(actor, "gate_sign_off", GateEntityId(activation_id, out.phase), "signed_off");
    e.activation_id = activation_id;
    e.after = Json{{"phase", out.phase},
                   {"user_id", out.user_id},
                   {"role", out.role},
                   {"party", out.party},
                   {"comment", out.comment}}
                  .dump();
    return Append(s, std::move(e));
  }));
  return out;
}

Result<GateDecisionRecord> Store::RecordGateDecision(
    const std::string& activation_id, const std::string& phase,
    const std::vector<std::string>& excluded_purposes, const Actor& actor,
    const GateDecide& decide) {
  GateDecisionRecord out;
  TUTTI_RETURN_IF_ERROR(db_.Transact(TransactionMode::kWrite, [&](SqlSession& s) -> Status {
    TUTTI_ASSIGN_OR_RETURN(Locked locked, LockGates(s, activation_id));
    TUTTI_ASSIGN_OR_RETURN(MeasuredEvents measured,
                           LoadMeasuredEvents(s, activation_id, excluded_purposes));
    TUTTI_ASSIGN_OR_RETURN(GateDecisionDraft draft,
                           decide(locked.activation, locked.board, measured));
    const std::string now = Now();
    const GateCriteriaRecord* criteria = locked.board.FindCriteria(phase);
    out.id = NewId("gd");
    out.seq = locked.board.decisions.empty() ? 1 : locked.board.decisions.back().seq + 1;
    out.phase = phase;
    out.verdict = draft.verdict;
    out.reason = draft.reason;
    out.overrides = draft.overrides;
    out.criteria_version = criteria == nullptr ? 0 : criteria->version;
    out.evaluation = draft.evaluation;
    out.next_phase = draft.next_phase;
    out.decided_by = actor.id;
    out.decided_at = now;
    TUTTI_RETURN_IF_ERROR(
        s.Execute("INSERT INTO gate_decisions (id, activation_id, seq, phase, verdict, reason, "
                  "overrides, criteria_version, evaluation, next_phase, decided_by, decided_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  {out.id, activation_id, out.seq, out.phase, out.verdict, out.reason,
                   out.overrides.dump(), out.criteria_version, out.evaluation.dump(),
                   out.next_phase.empty() ? Null() : SqlValue(out.next_phase), out.decided_by,
                   out.decided_at})
            .status());
    if (!out.next_phase.empty()) {
      TUTTI_RETURN_IF_ERROR(
          s.Execute("INSERT INTO activation_phases (activation_id, phase, since) VALUES (?, ?, ?) "
                    "ON CONFLICT (activation_id) DO UPDATE SET phase = excluded.phase, "
                    "since = excluded.since",
                    {activation_id, out.next_phase, now})
              .status());
    }
    AuditEntry e = Entry(actor, "gate_decision", out.id, out.verdict);
    e.activation_id = activation_id;
    e.before = Json{{"phase", locked.board.current_phase}}.dump();
    e.after = DecisionAuditJson(out).dump();
    return Append(s, std::move(e));
  }));
  return out;
}

}  // namespace tutti::storage
