// Calendar subscriptions (docs/scheduling.md, "Calendar feeds over HTTP"): a secret URL per user
// or per organisation that calendar clients poll for launches, milestones and posts as iCalendar.
// The URL's token is the credential (clients cannot log in), so only its SHA-256 is stored, it is
// shown once, and revoking it ends the subscription at the next poll.
#include <algorithm>
#include <map>

#include "tutti/base/crypto.h"
#include "tutti/http/api_support.h"
#include "tutti/http/errors.h"
#include "tutti/scheduling/content_calendar.h"
#include "tutti/scheduling/icalendar.h"
#include "tutti/scheduling/plan.h"

namespace tutti::http {
namespace {

using storage::CalendarFeedRecord;

constexpr char kFeedTokenPrefix[] = "tcf_";
constexpr size_t kMaxFeedNameLength = 100;
// Calendar UIDs need a domain-like right-hand side that never changes for an installation, not
// the host name a request happened to use (a new UID is a new event to every client).
constexpr char kUidDomain[] = "tutti.calendar";

Json FeedJson(const CalendarFeedRecord& f) {
  auto or_null = [](const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); };
  return Json{{"id", f.id},
              {"kind", f.kind},
              {"name", f.name},
              {"org_id", f.org_id},
              {"user_id", f.user_id},
              {"created_at", f.created_at},
              {"revoked_at", or_null(f.revoked_at)},
              {"last_used_at", or_null(f.last_used_at)}};
}

std::string FeedUrl(const ApiRequest& r, const std::string& token) {
  auto header = [&r](const char* name) {
    auto it = r.headers.find(name);
    return it == r.headers.end() ? std::string() : it->second;
  };
  std::string scheme = header("x-forwarded-proto") == "https" ? "https" : "http";
  std::string host = header("host");
  if (host.empty()) host = "localhost";
  return scheme + "://" + host + "/feeds/" + token + ".ics";
}

std::string Duration(int64_t seconds) {
  const char* sign = seconds < 0 ? "-" : "";
  int64_t s = seconds < 0 ? -seconds : seconds;
  int64_t days = s / 86400, hours = (s % 86400) / 3600, minutes = (s % 3600) / 60;
  std::string out = sign;
  if (days > 0) out += std::to_string(days) + "d ";
  out += std::to_string(hours) + "h " + std::to_string(minutes) + "m";
  return out;
}

// The events of one activation: each market's launch, each milestone from its earliest start to
// its earliest finish, and the posts (only `only_partner`'s when set). A post a freeze holds
// stays in the calendar as TENTATIVE with "FROZEN" in front: it may still go out once the
// freeze is lifted, so it must not vanish the way a CANCELLED event does in most clients.
void AddActivationEvents(const storage::ActivationRecord& a, const storage::PlanDocuments& docs,
                         const std::vector<storage::FreezeRecord>& freezes,
                         const std::string& only_partner, Instant now,
                         scheduling::CalendarFeed& feed) {
  const std::string name = a.document.value("name", a.id);
  // Every freeze and every lift is a change clients must pick up, like a plan edit.
  int64_t freeze_changes = 0;
  for (const storage::FreezeRecord& f : freezes) freeze_changes += f.active() ? 1 : 2;
  const int sequence =
      static_cast<int>(std::min<int64_t>(docs.version + freeze_changes, INT32_MAX));
  Instant stamp = now;
  if (Result<Instant> updated = ParseInstant(docs.updated_at); updated.ok()) stamp = *updated;
  std::map<std::string, std::string> zones;  // market -> IANA zone
  if (docs.plan) {
    Result<scheduling::Plan> plan = scheduling::ParsePlan(*docs.plan);
    Result<scheduling::Schedule> schedule = plan.ok() ? scheduling::ComputeSchedule(*plan, now)
                                                      : Result<scheduling::Schedule>(plan.status());
    if (schedule.ok()) {
      for (const scheduling::Market& m : plan->launch.markets) zones[m.name] = m.tz;
      for (const auto& [market, at] : schedule->launch) {
        scheduling::CalendarEvent& e = feed.events.emplace_back();
        e.uid = scheduling::StableUid("launch", a.id + "." + market, kUidDomain);
        e.sequence = sequence;
        e.dtstamp = stamp;
        e.start = at;
        if (zones.count(market)) e.zone = zones[market];
        e.summary = "Launch: " + name + (market == "all" ? "" : " (" + market + ")");
        e.categories = {"launch"};
      }
      for (size_t i = 0; i < schedule->milestones.size(); ++i) {
        const scheduling::ScheduledMilestone& m = schedule->milestones[i];
        const scheduling::Milestone& input = plan->milestones[i];
        scheduling::CalendarEvent& e = feed.events.emplace_back();
        e.uid = scheduling::StableUid("milestone", a.id + "." + m.id, kUidDomain);
        e.sequence = sequence;
        e.dtstamp = stamp;
        e.start = m.earliest_start;
        e.end = m.earliest_finish;
        e.summary = m.id + " (" + name + ")" + (m.slack_seconds < 0 ? " - LATE" : "");
        e.description = "Must finish by " + FormatInstantSeconds(m.latest_finish) +
                        (m.slack_seconds < 0 ? "; late by " + Duration(-m.slack_seconds)
                                             : "; slack " + Duration(m.slack_seconds)) +
                        (m.critical ? "; on the critical path" : "") +
                        (input.owner.empty() ? "" : "; owner " + input.owner) + ".";
        e.categories = {"milestone"};
        e.transparency = scheduling::Transparency::kTransparent;
      }
    }
  }
  if (docs.content_calendar && docs.content_calendar->contains("posts")) {
    for (const Json& post : (*docs.content_calendar)["posts"]) {
      if (!post.is_object()) continue;
      const std::string partner = post.value("partner", "");
      if (!only_partner.empty() && partner != only_partner) continue;
      Result<Instant> at = ParseInstant(post.value("at", ""));
      if (!at.ok()) continue;
      const std::string id = post.value("id", "");
      const std::string market = post.value("market", "");
      scheduling::CalendarEvent& e = feed.events.emplace_back();
      e.uid = scheduling::StableUid("post", a.id + "." + id, kUidDomain);
      e.sequence = sequence;
      e.dtstamp = stamp;
      e.start = *at;
      if (zones.count(market)) e.zone = zones[market];
      e.summary =
          "Post " + id + ": " + post.value("platform", "") + " " + market + " (" + name + ")";
      e.categories = {"post"};
      e.transparency = scheduling::Transparency::kTransparent;
      if (const storage::FreezeRecord* freeze = storage::FreezeHolding(freezes, partner)) {
        e.summary = "FROZEN " + e.summary;
        e.description = "Publishing is frozen since " + freeze->created_at + ": " + freeze->reason +
                        ". Nothing goes out until the freeze is lifted.";
        e.status = scheduling::EventStatus::kTentative;
      }
    }
  }
}

Result<std::string> RenderFeed(storage::Store& store, const CalendarFeedRecord& feed) {
  Instant now = store.clock().Now();
  std::string org_id = feed.org_id;
  std::string only_partner;
  scheduling::CalendarFeed out;
  if (feed.kind == "user") {
    // A user's feed follows the user: disabled or moved to another organisation, it goes dark.
    Result<storage::UserRecord> user = store.GetUser(feed.user_id);
    if (!user.ok() || user->disabled || user->org_id != feed.org_id) {
      return NotFound("calendar feed not found");
    }
    out.name = "Tutti: " + feed.name;
    out.description = "Launches, milestones and posts of the activations " + user->name + " sees";
  } else {
    only_partner = feed.org_id;
    out.name = "Tutti: " + feed.name;  // org feeds are named by whoever created them
    out.description = "Launches, milestones and this organisation's posts";
  }
  out.color = "darkorange";
  out.refresh_interval = std::chrono::minutes(15);
  TUTTI_ASSIGN_OR_RETURN(auto activations, store.ListActivationsVisibleTo(org_id));
  for (const storage::ActivationRecord& a : activations) {
    TUTTI_ASSIGN_OR_RETURN(storage::PlanDocuments docs, store.GetPlanDocuments(a.id));
    TUTTI_ASSIGN_OR_RETURN(std::vector<storage::FreezeRecord> freezes, store.ListFreezes(a.id));
    AddActivationEvents(a, docs, freezes, only_partner, now, out);
  }
  return scheduling::WriteICalendar(out);
}

Status RequirePerson(const governance::Principal& p) {
  if (!governance::CanCreateUserFeed(p)) {
    return Forbidden("calendar feeds belong to people: log in as a user to manage them");
  }
  return OkStatus();
}

}  // namespace

std::vector<Route> FeedRoutes(storage::Store& store) {
  std::vector<Route> routes;

  routes.push_back(
      Route{"GET", "/api/v1/calendar-feeds", true, [&store](ApiRequest& r) -> Result<ApiResponse> {
              const governance::Principal& p = Caller(r);
              TUTTI_RETURN_IF_ERROR(RequirePerson(p));
              TUTTI_ASSIGN_OR_RETURN(
                  auto feeds, store.ListCalendarFeeds(p.user_id, p.org_id,
                                                      governance::CanManageOrgFeeds(p, p.org_id)));
              Json items = Json::array();
              for (const CalendarFeedRecord& f : feeds) items.push_back(FeedJson(f));
              return Ok(Json{{"feeds", items}});
            }});

  routes.push_back(Route{
      "POST", "/api/v1/calendar-feeds", true, [&store](ApiRequest& r) -> Result<ApiResponse> {
        const governance::Principal& p = Caller(r);
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"kind", "name"}));
        if (!body.contains("kind")) return InvalidArgument("is required", "kind", "required");
        TUTTI_ASSIGN_OR_RETURN(std::string kind, ReadString(body["kind"], "kind", 1, 16));
        if (kind != "user" && kind != "org") {
          return InvalidArgument(
              "must be \"user\" (your own feed) or \"org\" (your organisation's)", "kind",
              "invalid_enum");
        }
        std::string name;
        if (body.contains("name")) {
          TUTTI_ASSIGN_OR_RETURN(name, ReadString(body["name"], "name", 1, kMaxFeedNameLength));
        }
        TUTTI_RETURN_IF_ERROR(RequirePerson(p));
        if (kind == "org" && !governance::CanManageOrgFeeds(p, p.org_id)) {
          return Forbidden("only your organisation's owners and partner admins create its feeds");
        }
        if (name.empty()) name = kind == "user" ? p.display_name : "Organisation calendar";
        std::string token = NewSecretToken(kFeedTokenPrefix);
        TUTTI_ASSIGN_OR_RETURN(CalendarFeedRecord feed,
                               store.CreateCalendarFeed(kind, p.org_id, p.user_id, name,
                                                        TokenDigest(token), ActorOf(r)));
        std::string url = FeedUrl(r, token);
        std::string webcal = "webcal" + url.substr(url.find("://"));
        return Ok(
            Json{{"feed", FeedJson(feed)}, {"token", token}, {"url", url}, {"webcal_url", webcal}},
            201);
      }});

  routes.push_back(Route{
      "DELETE", "/api/v1/calendar-feeds/{feed_id}", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        const governance::Principal& p = Caller(r);
        const std::string& id = r.PathParam("feed_id");
        TUTTI_RETURN_IF_ERROR(CheckId(id, "feed", "calendar feed"));
        TUTTI_RETURN_IF_ERROR(RequirePerson(p));
        TUTTI_ASSIGN_OR_RETURN(
            CalendarFeedRecord feed,
            store.RevokeCalendarFeed(id, ActorOf(r), [&p](const CalendarFeedRecord& f) -> Status {
              bool mine = f.kind == "user" && f.user_id == p.user_id;
              bool ours = f.kind == "org" && governance::CanManageOrgFeeds(p, f.org_id);
              if (!mine && !ours) return NotVisible("calendar feed");
              return OkStatus();
            }));
        return Ok(Json{{"feed", FeedJson(feed)}});
      }});

  routes.push_back(Route{
      "GET", "/feeds/{feed_token}.ics", false, [&store](ApiRequest& r) -> Result<ApiResponse> {
        const std::string& token = r.PathParam("feed_token");
        if (!token.starts_with(kFeedTokenPrefix)) return NotFound("calendar feed not found");
        TUTTI_ASSIGN_OR_RETURN(CalendarFeedRecord feed, store.UseCalendarFeed(TokenDigest(token)));
        TUTTI_ASSIGN_OR_RETURN(std::string ics, RenderFeed(store, feed));
        ApiResponse out;
        out.raw_body = std::move(ics);
        out.content_type = "text/calendar; charset=utf-8";
        // The URL is a credential: keep the answer out of shared caches (the server already
        // sends Referrer-Policy: no-referrer everywhere).
        out.headers = {{"Cache-Control", "private, max-age=300"}};
        return out;
      }});

  return routes;
}

}  // namespace tutti::http
