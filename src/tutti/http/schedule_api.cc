// The scheduling routes of an activation (docs/scheduling.md, "HTTP API"): the plan under
// /milestones, the content calendar under /posts (whole, or one post at a time for the partner
// that owns it) and its constraints under /windows. Documents are validated by the engines before
// anything is written and computed again on every read, so a tz database update shows at once.
#include <algorithm>

#include "tutti/http/api_support.h"
#include "tutti/http/errors.h"
#include "tutti/scheduling/content_calendar.h"
#include "tutti/scheduling/plan.h"

namespace tutti::http {
namespace {

using storage::ActivationRecord;
using storage::PlanDocuments;
using storage::PlanDocumentUpdate;

constexpr size_t kMaxPostIdLength = 200;

// The engine's verdict on a stored document that no longer computes (say the tz database moved
// a launch into a DST gap): the error envelope's inner object.
Json EngineError(const Status& status) { return ErrorEnvelope(status)["error"]; }

Result<scheduling::Schedule> ComputeStoredPlan(const Json& document, Instant now) {
  TUTTI_ASSIGN_OR_RETURN(scheduling::Plan plan, scheduling::ParsePlan(document));
  return scheduling::ComputeSchedule(plan, now);
}

// Markets whose launch instant differs from the one recorded when the plan was stored: the tz
// database changed under a local launch time.
Json LaunchChanges(const PlanDocuments& docs, const scheduling::Schedule& schedule) {
  Json changes = Json::array();
  if (!docs.resolved_launch || !docs.plan) return changes;
  const Json& launch = (*docs.plan)["launch"];
  for (const scheduling::LaunchMove& move :
       scheduling::MovedLaunches(*docs.resolved_launch, schedule.launch)) {
    Json change{{"market", move.market},
                {"was", FormatInstantSeconds(move.was)},
                {"now", FormatInstantSeconds(move.now)}};
    if (launch.contains("local")) change["local"] = launch["local"];
    for (const Json& m : launch.value("markets", Json::array())) {
      if (m.value("name", "") == move.market) change["tz"] = m.value("tz", "");
    }
    changes.push_back(std::move(change));
  }
  return changes;
}

// GET and PUT .../milestones: the stored plan and its schedule computed at `now`.
Json MilestonesJson(const PlanDocuments& docs, Instant now) {
  Json out{{"plan", docs.plan ? *docs.plan : Json(nullptr)},
           {"version", docs.version},
           {"updated_at", docs.updated_at.empty() ? Json(nullptr) : Json(docs.updated_at)},
           {"schedule", nullptr},
           {"launch_changes", Json::array()},
           {"computed_at", FormatInstantSeconds(now)}};
  if (!docs.plan) return out;
  Result<scheduling::Schedule> schedule = ComputeStoredPlan(*docs.plan, now);
  if (schedule.ok()) {
    out["schedule"] = scheduling::ScheduleToJson(*schedule);
    out["launch_changes"] = LaunchChanges(docs, *schedule);
  } else {
    out["error"] = EngineError(schedule.status());
  }
  return out;
}

// The calendar as the engine checks it: its own launches, or else the stored plan's.
struct CheckedCalendar {
  std::vector<scheduling::Finding> findings;
  std::vector<scheduling::LaunchInstant> launches;
  const char* launches_from = "none";  // "calendar", "plan" or "none"
};

Result<CheckedCalendar> CheckCalendar(const Json& calendar_document,
                                      const std::optional<Json>& plan_document) {
  TUTTI_ASSIGN_OR_RETURN(scheduling::ContentCalendar calendar,
                         scheduling::ParseContentCalendar(calendar_document));
  CheckedCalendar out;
  if (!calendar.launches.empty()) {
    out.launches_from = "calendar";
  } else if (plan_document) {
    // A plan that no longer computes is reported under /milestones; here it only means that
    // refresh constraints have no launches to check.
    Result<scheduling::Plan> plan = scheduling::ParsePlan(*plan_document);
    if (plan.ok()) {
      Result<std::vector<std::pair<std::string, Instant>>> launch =
          scheduling::ResolveLaunch(plan->launch);
      if (launch.ok()) {
        for (const auto& [market, at] : *launch) calendar.launches.push_back({market, at});
        out.launches_from = "plan";
      }
    }
  }
  TUTTI_ASSIGN_OR_RETURN(out.findings, scheduling::DetectConflicts(calendar));
  out.launches = std::move(calendar.launches);
  return out;
}

// GET and PUT .../posts: the stored content calendar and its findings.
Json PostsJson(const PlanDocuments& docs) {
  Json out{{"content_calendar", docs.content_calendar ? *docs.content_calendar : Json(nullptr)},
           {"version", docs.version},
           {"updated_at", docs.updated_at.empty() ? Json(nullptr) : Json(docs.updated_at)},
           {"findings", scheduling::ConflictsToJson({})},
           {"launches", Json::array()},
           {"launches_from", "none"}};
  if (!docs.content_calendar) return out;
  Result<CheckedCalendar> checked = CheckCalendar(*docs.content_calendar, docs.plan);
  if (!checked.ok()) {
    out["findings"] = nullptr;
    out["error"] = EngineError(checked.status());
    return out;
  }
  out["findings"] = scheduling::ConflictsToJson(checked->findings);
  for (const scheduling::LaunchInstant& l : checked->launches) {
    out["launches"].push_back(Json{{"market", l.market}, {"at", FormatInstantSeconds(l.at)}});
  }
  out["launches_from"] = checked->launches_from;
  return out;
}

constexpr std::array<const char*, 4> kWindowKeys = {"release_windows", "peak_windows", "blackouts",
                                                    "rules"};

// GET and PUT .../windows: the part of the content calendar that constrains posts.
Json WindowsJson(const PlanDocuments& docs) {
  const Json empty = Json::object();
  const Json& calendar =
      docs.content_calendar && docs.content_calendar->is_object() ? *docs.content_calendar : empty;
  Json out{{"version", docs.version},
           {"updated_at", docs.updated_at.empty() ? Json(nullptr) : Json(docs.updated_at)}};
  for (const char* key : kWindowKeys) {
    out[key] = calendar.value(key, std::string(key) == "rules" ? Json::object() : Json::array());
  }
  return out;
}

bool TakesPart(const ActivationRecord& a, const std::string& org_id) {
  return org_id == a.host_org_id || a.FindParticipant(org_id) != nullptr;
}

// Posts, peak windows and blackouts name partners by organisation id, so that a partner's own
// posts can be told from the others': each must be the host or a participant.
Status CheckCalendarPartners(const Json& calendar, const ActivationRecord& a) {
  for (const char* list : {"posts", "peak_windows", "blackouts"}) {
    const Json& items = calendar.value(list, Json::array());
    for (size_t i = 0; i < items.size(); ++i) {
      if (!items[i].is_object() || !items[i].contains("partner")) continue;
      const Json& partner = items[i]["partner"];
      if (partner.is_string() && TakesPart(a, partner.get<std::string>())) continue;
      return InvalidArgument(
          "partner must be the id of an organisation in this activation (its host or a "
          "participant), got " +
              partner.dump(),
          JoinPath(JoinPath(list, i), "partner"), "unknown_partner");
    }
  }
  return OkStatus();
}

std::optional<size_t> FindPost(const Json& calendar, const std::string& post_id) {
  const Json& posts = calendar.value("posts", Json::array());
  for (size_t i = 0; i < posts.size(); ++i) {
    if (posts[i].is_object() && posts[i].value("id", "") == post_id) return i;
  }
  return std::nullopt;
}

Result<std::string> PostIdFrom(const ApiRequest& r) {
  const std::string& id = r.PathParam("post_id");
  if (id.empty() || id.size() > kMaxPostIdLength) {
    return InvalidArgument("post ids are 1 to 200 bytes", "post_id", "invalid_id");
  }
  return id;
}

// One post as sent to PUT .../posts/{post_id}: checked on its own first, so that its errors
// name its own fields ("at") rather than its place in the whole calendar ("posts[7].at").
Status CheckOnePost(const Json& post) {
  Result<scheduling::ContentCalendar> alone =
      scheduling::ParseContentCalendar(Json{{"posts", Json::array({post})}});
  if (alone.ok()) return OkStatus();
  Status status = alone.status();
  std::string field = status.field();
  const std::string prefix = "posts[0]";
  if (field.starts_with(prefix)) {
    field = field.substr(prefix.size());
    if (field.starts_with(".")) field = field.substr(1);
  }
  return Status(status.code(), status.message(), field, status.reason());
}

}  // namespace

std::vector<Route> ScheduleRoutes(storage::Store& store) {
  std::vector<Route> routes;
  auto add = [&](std::string method, std::string path,
                 std::function<Result<ApiResponse>(ApiRequest&)> handler) {
    routes.push_back(Route{std::move(method), std::move(path), true, std::move(handler)});
  };

  add("GET", "/api/v1/activations/{activation_id}/milestones",
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(auto docs, store.GetPlanDocuments(a.id));
        return Ok(MilestonesJson(docs, store.clock().Now()));
      });

  add("PUT", "/api/v1/activations/{activation_id}/milestones",
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        const std::string& id = r.PathParam("activation_id");
        TUTTI_RETURN_IF_ERROR(CheckId(id, "act", "activation"));
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_ASSIGN_OR_RETURN(std::optional<int64_t> version, ExpectedVersion(r, body, 0));
        // A plan is accepted only if it computes now: cycles and DST gaps are refused here, not
        // discovered by the next reader.
        Instant now = store.clock().Now();
        TUTTI_ASSIGN_OR_RETURN(scheduling::Schedule schedule, ComputeStoredPlan(body, now));
        const governance::Principal& caller = Caller(r);
        TUTTI_ASSIGN_OR_RETURN(
            auto docs,
            store.EditPlanDocument(
                id, "plan", version, ActorOf(r),
                [&](const ActivationRecord& a, const PlanDocuments&) -> Result<PlanDocumentUpdate> {
                  TUTTI_RETURN_IF_ERROR(
                      Require(caller, &governance::CanEditBrief,
                              "only those who edit the brief change the plan")(a));
                  return PlanDocumentUpdate{body, scheduling::LaunchToJson(schedule.launch)};
                }));
        return Ok(MilestonesJson(docs, now));
      });

  add("POST", "/api/v1/activations/{activation_id}/milestones/what-if",
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"delay"}));
        if (!body.contains("delay")) return InvalidArgument("is required", "delay", "required");
        const Json& delay = body["delay"];
        TUTTI_RETURN_IF_ERROR(RequireObject(delay, "delay"));
        TUTTI_RETURN_IF_ERROR(RejectUnknownFields(delay, {"id", "by"}, "delay"));
        for (const char* key : {"id", "by"}) {
          if (!delay.contains(key)) {
            return InvalidArgument("is required", JoinPath("delay", key), "required");
          }
        }
        TUTTI_ASSIGN_OR_RETURN(std::string milestone, ReadString(delay["id"], "delay.id", 1, 200));
        TUTTI_ASSIGN_OR_RETURN(std::string by_text, ReadString(delay["by"], "delay.by", 1, 32));
        Result<scheduling::PlanDuration> by = scheduling::ParseDuration(by_text);
        if (!by.ok()) return std::move(Status(by.status())).WithField("delay.by");
        TUTTI_ASSIGN_OR_RETURN(auto docs, store.GetPlanDocuments(a.id));
        if (!docs.plan) {
          return Status(StatusCode::kFailedPrecondition,
                        "this activation has no plan yet; PUT one to its milestones first", {},
                        "no_plan");
        }
        TUTTI_ASSIGN_OR_RETURN(scheduling::Plan plan, scheduling::ParsePlan(*docs.plan));
        Result<scheduling::DelayImpact> impact =
            scheduling::DelayMilestone(plan, store.clock().Now(), milestone, *by);
        if (impact.status().code() == StatusCode::kNotFound) {
          return InvalidArgument("the plan has no milestone \"" + milestone + "\"", "delay.id",
                                 "unknown_milestone");
        }
        if (!impact.ok()) return impact.status();
        return Ok(Json{{"schedule", scheduling::ScheduleToJson(impact->schedule)},
                       {"pushed_past_launch", impact->pushed_past_launch},
                       {"markets_missed", impact->markets_missed}});
      });

  add("GET", "/api/v1/activations/{activation_id}/posts",
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(auto docs, store.GetPlanDocuments(a.id));
        TUTTI_ASSIGN_OR_RETURN(Json out, MarkFrozenPosts(store, a, PostsJson(docs)));
        return Ok(std::move(out));
      });

  add("PUT", "/api/v1/activations/{activation_id}/posts",
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        const std::string& id = r.PathParam("activation_id");
        TUTTI_RETURN_IF_ERROR(CheckId(id, "act", "activation"));
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_ASSIGN_OR_RETURN(std::optional<int64_t> version, ExpectedVersion(r, body, 0));
        TUTTI_RETURN_IF_ERROR(scheduling::ParseContentCalendar(body).status());
        const governance::Principal& caller = Caller(r);
        TUTTI_ASSIGN_OR_RETURN(
            auto docs,
            store.EditPlanDocument(
                id, "content_calendar", version, ActorOf(r),
                [&](const ActivationRecord& a, const PlanDocuments&) -> Result<PlanDocumentUpdate> {
                  TUTTI_RETURN_IF_ERROR(
                      Require(caller, &governance::CanEditBrief,
                              "only those who edit the brief change the whole content calendar; "
                              "partners change their own posts one at a time")(a));
                  TUTTI_RETURN_IF_ERROR(CheckCalendarPartners(body, a));
                  return PlanDocumentUpdate{body, std::nullopt};
                }));
        return Ok(PostsJson(docs));
      });

  add("PUT", "/api/v1/activations/{activation_id}/posts/{post_id}",
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto visible, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(std::string post_id, PostIdFrom(r));
        TUTTI_ASSIGN_OR_RETURN(Json post, Body(r));
        TUTTI_ASSIGN_OR_RETURN(std::optional<int64_t> version, ExpectedVersion(r, post, 0));
        if (post.contains("id") && post["id"] != post_id) {
          return InvalidArgument("the post's id is the one in the path; leave it out", "id",
                                 "id_mismatch");
        }
        post["id"] = post_id;
        const governance::Principal& caller = Caller(r);
        if (!post.contains("partner")) post["partner"] = caller.org_id;
        TUTTI_RETURN_IF_ERROR(CheckOnePost(post));
        const std::string partner = post["partner"].get<std::string>();
        bool created = false;
        TUTTI_ASSIGN_OR_RETURN(
            auto docs,
            store.EditPlanDocument(
                visible.id, "content_calendar", version, ActorOf(r),
                [&](const ActivationRecord& a,
                    const PlanDocuments& current) -> Result<PlanDocumentUpdate> {
                  if (!governance::CanViewActivation(caller, a.Access())) {
                    return NotVisible("activation");
                  }
                  Json calendar = current.content_calendar.value_or(Json::object());
                  if (!calendar.contains("posts")) calendar["posts"] = Json::array();
                  std::optional<size_t> index = FindPost(calendar, post_id);
                  if (index) {
                    std::string owner = calendar["posts"][*index].value("partner", "");
                    if (!governance::CanWritePartnerPosts(caller, a.Access(), owner)) {
                      return Forbidden("this post belongs to another partner");
                    }
                  }
                  if (!TakesPart(a, partner)) {
                    return InvalidArgument(
                        "partner must be the id of an organisation in this activation", "partner",
                        "unknown_partner");
                  }
                  if (!governance::CanWritePartnerPosts(caller, a.Access(), partner)) {
                    return Forbidden(
                        "you may schedule posts for your own organisation only; those who edit "
                        "the brief schedule for everyone");
                  }
                  created = !index.has_value();
                  if (index) {
                    calendar["posts"][*index] = post;
                  } else {
                    calendar["posts"].push_back(post);
                  }
                  TUTTI_RETURN_IF_ERROR(scheduling::ParseContentCalendar(calendar).status());
                  return PlanDocumentUpdate{std::move(calendar), std::nullopt};
                }));
        return Ok(PostsJson(docs), created ? 201 : 200);
      });

  add("DELETE", "/api/v1/activations/{activation_id}/posts/{post_id}",
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto visible, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(std::string post_id, PostIdFrom(r));
        Json no_body = Json::object();
        TUTTI_ASSIGN_OR_RETURN(std::optional<int64_t> version, ExpectedVersion(r, no_body, 1));
        const governance::Principal& caller = Caller(r);
        TUTTI_ASSIGN_OR_RETURN(
            auto docs, store.EditPlanDocument(
                           visible.id, "content_calendar", version, ActorOf(r),
                           [&](const ActivationRecord& a,
                               const PlanDocuments& current) -> Result<PlanDocumentUpdate> {
                             if (!governance::CanViewActivation(caller, a.Access())) {
                               return NotVisible("activation");
                             }
                             std::optional<size_t> index;
                             if (current.content_calendar)
                               index = FindPost(*current.content_calendar, post_id);
                             if (!index)
                               return NotFound("the calendar has no post \"" + post_id + "\"");
                             Json calendar = *current.content_calendar;
                             std::string owner = calendar["posts"][*index].value("partner", "");
                             if (!governance::CanWritePartnerPosts(caller, a.Access(), owner)) {
                               return Forbidden("this post belongs to another partner");
                             }
                             calendar["posts"].erase(*index);
                             return PlanDocumentUpdate{std::move(calendar), std::nullopt};
                           }));
        return Ok(PostsJson(docs));
      });

  add("GET", "/api/v1/activations/{activation_id}/windows",
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
        TUTTI_ASSIGN_OR_RETURN(auto docs, store.GetPlanDocuments(a.id));
        return Ok(WindowsJson(docs));
      });

  add("PUT", "/api/v1/activations/{activation_id}/windows",
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        const std::string& id = r.PathParam("activation_id");
        TUTTI_RETURN_IF_ERROR(CheckId(id, "act", "activation"));
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_ASSIGN_OR_RETURN(std::optional<int64_t> version, ExpectedVersion(r, body, 0));
        TUTTI_RETURN_IF_ERROR(
            RejectUnknownFields(body, {"release_windows", "peak_windows", "blackouts", "rules"}));
        TUTTI_RETURN_IF_ERROR(scheduling::ParseContentCalendar(body).status());
        const governance::Principal& caller = Caller(r);
        TUTTI_ASSIGN_OR_RETURN(
            auto docs,
            store.EditPlanDocument(
                id, "content_calendar", version, ActorOf(r),
                [&](const ActivationRecord& a,
                    const PlanDocuments& current) -> Result<PlanDocumentUpdate> {
                  TUTTI_RETURN_IF_ERROR(
                      Require(caller, &governance::CanEditBrief,
                              "only those who edit the brief change windows and blackouts")(a));
                  TUTTI_RETURN_IF_ERROR(CheckCalendarPartners(body, a));
                  Json calendar = current.content_calendar.value_or(Json::object());
                  for (const char* key : kWindowKeys) {
                    if (body.contains(key)) {
                      calendar[key] = body[key];
                    } else {
                      calendar.erase(key);
                    }
                  }
                  // Posts that the new windows invalidate are findings, not errors; only a
                  // calendar the engine cannot read is refused.
                  TUTTI_RETURN_IF_ERROR(scheduling::ParseContentCalendar(calendar).status());
                  return PlanDocumentUpdate{std::move(calendar), std::nullopt};
                }));
        return Ok(WindowsJson(docs));
      });

  return routes;
}

}  // namespace tutti::http
