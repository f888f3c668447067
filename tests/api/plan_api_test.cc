// The scheduling documents of an activation through the API (issue 3): the plan under
// /milestones (validated by the engine before it is stored, computed again on every read against
// the server's clock), its what-if, and the content calendar under /posts and /windows with its
// findings. Checks decision rights, optimistic concurrency and that every change (and only a
// change) is audited with before and after.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <string>

#include "support/test_server.h"

namespace tutti::testing {
namespace {

// The plan of issue 3: one local launch hour in New York and Tokyo.
Json IssuePlan() {
  return Json::parse(R"({"launch": {"local": "2026-06-01T09:00",
      "markets": [{"name": "US", "tz": "America/New_York"}, {"name": "JP", "tz": "Asia/Tokyo"}],
      "on_gap": "shift_forward", "on_overlap": "earliest"},
    "milestones": [{"id": "brief", "duration": "3d", "buffer": "1d", "owner": "ana"},
                   {"id": "qa", "duration": "36h", "after": ["brief", {"id": "legal", "lag": "4h"}]},
                   {"id": "legal", "duration": "90m"}]})");
}

Json CyclicPlan() {
  return Json::parse(R"({"launch": {"at": "2026-06-01T13:00:00Z"},
    "milestones": [{"id": "qa", "duration": "1d", "after": ["legal"]},
                   {"id": "legal", "duration": "1d", "after": ["qa"]}]})");
}

// 02:30 on 8 March 2026 does not exist in New York (clocks jump from 02:00 to 03:00).
Json DstGapPlan() {
  return Json::parse(R"({"launch": {"local": "2026-03-08T02:30",
      "markets": [{"name": "US", "tz": "America/New_York"}]},
    "milestones": [{"id": "qa", "duration": "1d"}]})");
}

// Two StreamCo Instagram posts an hour apart (the default spacing is 4 h), and a blackout.
Json CloseCalendar(const std::string& streamco) {
  Json calendar = Json::parse(R"({"posts": [
      {"id": "ig-1", "platform": "instagram", "market": "US", "at": "2026-06-01T13:00:00Z"},
      {"id": "ig-2", "platform": "instagram", "market": "US", "at": "2026-06-01T14:00:00Z"}],
    "blackouts": [{"name": "Memorial Day", "start": "2026-05-25T00:00:00Z",
                   "end": "2026-05-26T00:00:00Z"}]})");
  for (Json& post : calendar["posts"]) post["partner"] = streamco;
  return calendar;
}

class PlanApi : public ::testing::Test {
 protected:
  // The demo activation comes with a plan and a calendar; these tests start from an activation
  // without either, shared with StreamCo and Nova Sports.
  void SetUp() override {
    Status started = server_.Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
    Reply created = http().Post("/api/v1/activations", token(demo::kOlivia),
                                Json{{"name", "Plan test"}, {"objective", "lead_generation"}});
    ASSERT_EQ(created.status, 201) << created;
    activation_ = created.json["id"];
    Reply joined =
        http().Post("/api/v1/activations/" + activation_ + "/partners", token(demo::kOlivia),
                    Json{{"org_id", demo().streamco}, {"role", "media"}});
    ASSERT_EQ(joined.status, 201) << joined;
    Reply nova =
        http().Post("/api/v1/activations/" + activation_ + "/partners", token(demo::kOlivia),
                    Json{{"org_id", demo().nova}, {"role", "co_brand"}});
    ASSERT_EQ(nova.status, 201) << nova;
  }
  HttpClient& http() { return server_.client(); }
  const DemoWorld& demo() { return server_.demo(); }
  const std::string& token(const std::string& email) { return server_.Token(email); }
  std::string DemoPath(const std::string& rest) {
    return "/api/v1/activations/" + activation_ + rest;
  }
  Reply PutPlan(const Json& plan, const std::string& who = demo::kOlivia) {
    return http().Put(DemoPath("/milestones"), token(who), plan);
  }

  TestServer server_;
  std::string activation_;
};

TEST_F(PlanApi, StoredPlanIsComputedAgainstTheServersClock) {
  Reply empty = http().Get(DemoPath("/milestones"), token(demo::kOlivia));
  ASSERT_EQ(empty.status, 200) << empty;
  EXPECT_TRUE(empty.json["plan"].is_null()) << empty;
  EXPECT_TRUE(empty.json["schedule"].is_null()) << empty;
  EXPECT_EQ(empty.json["version"], 0) << empty;

  Reply put = PutPlan(IssuePlan());
  ASSERT_EQ(put.status, 200) << put;
  EXPECT_EQ(put.json["version"], 1) << put;
  EXPECT_EQ(put.json["schedule"]["launch"]["US"], "2026-06-01T13:00:00Z") << put;

  server_.clock().Advance(std::chrono::minutes(20));  // sessions idle out after 30 min
  Reply got = http().Get(DemoPath("/milestones"), token(demo::kOlivia));
  ASSERT_EQ(got.status, 200) << got;
  EXPECT_EQ(got.json["plan"], IssuePlan()) << got;
  EXPECT_EQ(got.json["version"], 1);
  EXPECT_EQ(got.json["computed_at"], "2026-05-04T09:20:00Z") << got;
  const Json& schedule = got.json["schedule"];
  EXPECT_EQ(schedule["launch"]["US"], "2026-06-01T13:00:00Z") << got;
  EXPECT_EQ(schedule["launch"]["JP"], "2026-06-01T00:00:00Z") << got;
  ASSERT_EQ(schedule["milestones"].size(), 3u) << got;
  EXPECT_EQ(schedule["milestones"][0]["id"], "brief");
  EXPECT_EQ(schedule["milestones"][0]["earliest_start"], "2026-05-04T09:20:00Z")
      << "the forward pass starts at the server's now";
  EXPECT_EQ(schedule["at_risk"], false) << got;
  EXPECT_FALSE(got.json.contains("error")) << got;
}

TEST_F(PlanApi, CyclicPlanIsRefusedNamingTheCycleAndChangesNothing) {
  ASSERT_EQ(PutPlan(IssuePlan()).status, 200);
  Reply before = http().Get(DemoPath("/milestones"), token(demo::kOlivia));
  int64_t entries = server_.AuditCount();

  Reply cyclic = PutPlan(CyclicPlan());
  EXPECT_EQ(cyclic.status, 422) << cyclic;
  EXPECT_EQ(cyclic.ErrorCode(), "cycle") << cyclic;
  std::string message = cyclic.json["error"]["message"].get<std::string>();
  EXPECT_NE(message.find("qa"), std::string::npos) << message;
  EXPECT_NE(message.find("legal"), std::string::npos) << message;
  EXPECT_TRUE(cyclic.ErrorField().starts_with("milestones[")) << cyclic;

  EXPECT_EQ(server_.AuditCount(), entries) << "a refused plan must leave no audit entry";
  Reply after = http().Get(DemoPath("/milestones"), token(demo::kOlivia));
  EXPECT_EQ(after.json, before.json) << after;
}

TEST_F(PlanApi, LaunchInADstGapIsRefused) {
  Reply gap = PutPlan(DstGapPlan());
  EXPECT_EQ(gap.status, 422) << gap;
  EXPECT_EQ(gap.ErrorCode(), "dst_gap") << gap;
  EXPECT_EQ(gap.ErrorField(), "launch.local") << gap;
  EXPECT_EQ(http().Get(DemoPath("/milestones"), token(demo::kOlivia)).json["version"], 0);
}

TEST_F(PlanApi, UnknownFieldsAndNonObjectsAreRefused) {
  Json plan = IssuePlan();
  plan["lanch"] = true;
  Reply unknown = PutPlan(plan);
  EXPECT_EQ(unknown.status, 422) << unknown;
  EXPECT_EQ(unknown.ErrorCode(), "unknown_field") << unknown;
  Reply array = http().SendRaw("PUT", DemoPath("/milestones"),
                               {{"Authorization", "Bearer " + token(demo::kOlivia)}}, "[]",
                               "application/json");
  EXPECT_EQ(array.status, 422) << array;
}

TEST_F(PlanApi, StaleVersionIsAConflictAndChangesNothing) {
  ASSERT_EQ(PutPlan(IssuePlan()).status, 200);
  Json next = IssuePlan();
  next["milestones"][2]["duration"] = "2h";
  next["version"] = 1;
  Reply fresh = PutPlan(next);
  ASSERT_EQ(fresh.status, 200) << fresh;
  EXPECT_EQ(fresh.json["version"], 2);
  EXPECT_FALSE(fresh.json["plan"].contains("version")) << "the version is not part of the plan";

  int64_t entries = server_.AuditCount();
  Json stale = IssuePlan();
  stale["version"] = 1;
  Reply conflict = PutPlan(stale);
  EXPECT_EQ(conflict.status, 409) << conflict;
  EXPECT_EQ(conflict.ErrorCode(), "conflict") << conflict;
  EXPECT_EQ(conflict.ErrorField(), "version") << conflict;
  EXPECT_EQ(server_.AuditCount(), entries);
  Reply got = http().Get(DemoPath("/milestones"), token(demo::kOlivia));
  EXPECT_EQ(got.json["plan"]["milestones"][2]["duration"], "2h") << got;
}

TEST_F(PlanApi, PartnersReadButOnlyBriefEditorsWriteAndOutsidersSeeNothing) {
  ASSERT_EQ(PutPlan(IssuePlan()).status, 200);
  Reply sam_reads = http().Get(DemoPath("/milestones"), token(demo::kSam));
  EXPECT_EQ(sam_reads.status, 200) << sam_reads;
  EXPECT_EQ(sam_reads.json["plan"], IssuePlan());
  Reply sam_writes = PutPlan(IssuePlan(), demo::kSam);
  EXPECT_EQ(sam_writes.status, 403) << sam_writes;
  Reply sam_posts =
      http().Put(DemoPath("/posts"), token(demo::kSam), CloseCalendar(demo().streamco));
  EXPECT_EQ(sam_posts.status, 403) << sam_posts;

  for (const char* rest : {"/milestones", "/posts", "/windows"}) {
    Reply una = http().Get(DemoPath(rest), token(demo::kUna));
    EXPECT_EQ(una.status, 404) << rest << " " << una;
  }
  EXPECT_EQ(PutPlan(IssuePlan(), demo::kUna).status, 404);
  Reply una_what_if = http().Post(DemoPath("/milestones/what-if"), token(demo::kUna),
                                  Json{{"delay", {{"id", "qa"}, {"by", "2d"}}}});
  EXPECT_EQ(una_what_if.status, 404) << una_what_if;
}

TEST_F(PlanApi, EveryChangeIsAuditedWithBeforeAndAfter) {
  ASSERT_EQ(PutPlan(IssuePlan()).status, 200);
  Json next = IssuePlan();
  next["milestones"][2]["duration"] = "2h";
  ASSERT_EQ(PutPlan(next).status, 200);

  Reply audit =
      http().Get("/api/v1/audit?entity_type=plan&entity_id=" + activation_, token(demo::kSam));
  ASSERT_EQ(audit.status, 200) << audit;
  const Json& items = audit.json["items"];
  ASSERT_EQ(items.size(), 2u) << audit;
  EXPECT_EQ(items[0]["action"], "updated");
  EXPECT_EQ(items[0]["activation_id"], activation_);
  EXPECT_EQ(items[0]["actor_id"], demo().User(demo::kOlivia));
  EXPECT_TRUE(items[0]["before"].is_null()) << audit;
  EXPECT_EQ(items[0]["after"], IssuePlan());
  EXPECT_EQ(items[1]["before"], IssuePlan());
  EXPECT_EQ(items[1]["after"], next);

  Reply verify = http().Get("/api/v1/audit/verify", token(demo::kVictor));
  EXPECT_EQ(verify.json["ok"], true) << verify;
}

TEST_F(PlanApi, WhatIfReportsTheDamageAndChangesNothing) {
  ASSERT_EQ(PutPlan(IssuePlan()).status, 200);
  int64_t entries = server_.AuditCount();

  Reply small = http().Post(DemoPath("/milestones/what-if"), token(demo::kVictor),
                            Json{{"delay", {{"id", "qa"}, {"by", "2d"}}}});
  ASSERT_EQ(small.status, 200) << small;
  EXPECT_TRUE(small.json["pushed_past_launch"].empty()) << small;

  Reply big = http().Post(DemoPath("/milestones/what-if"), token(demo::kVictor),
                          Json{{"delay", {{"id", "brief"}, {"by", "4w"}}}});
  ASSERT_EQ(big.status, 200) << big;
  const Json& pushed = big.json["pushed_past_launch"];
  EXPECT_NE(std::find(pushed.begin(), pushed.end(), Json("brief")), pushed.end()) << big;
  EXPECT_EQ(big.json["markets_missed"], Json::array({"JP"})) << big;
  EXPECT_EQ(big.json["schedule"]["at_risk"], true) << big;

  Reply unknown = http().Post(DemoPath("/milestones/what-if"), token(demo::kVictor),
                              Json{{"delay", {{"id", "nope"}, {"by", "2d"}}}});
  EXPECT_EQ(unknown.status, 422) << unknown;
  EXPECT_EQ(unknown.ErrorField(), "delay.id") << unknown;
  Reply bad_duration = http().Post(DemoPath("/milestones/what-if"), token(demo::kVictor),
                                   Json{{"delay", {{"id", "qa"}, {"by", "two days"}}}});
  EXPECT_EQ(bad_duration.status, 422) << bad_duration;
  EXPECT_EQ(bad_duration.ErrorField(), "delay.by") << bad_duration;

  EXPECT_EQ(server_.AuditCount(), entries) << "a what-if must not be audited";
  EXPECT_EQ(http().Get(DemoPath("/milestones"), token(demo::kOlivia)).json["plan"], IssuePlan());
}

TEST_F(PlanApi, WhatIfWithoutAPlanIsAConflict) {
  Reply reply = http().Post(DemoPath("/milestones/what-if"), token(demo::kVictor),
                            Json{{"delay", {{"id", "qa"}, {"by", "2d"}}}});
  EXPECT_EQ(reply.status, 409) << reply;
  EXPECT_EQ(reply.ErrorCode(), "no_plan") << reply;
}

TEST_F(PlanApi, StoredPlanThatNoLongerComputesReportsTheEngineError) {
  // Stored behind the API's back, as a tz database update could leave a once-valid plan.
  const storage::Actor olivia{demo().User(demo::kOlivia), demo().host_org};
  ASSERT_TRUE(server_.store()
                  .PutPlanDocument(activation_, "plan", CyclicPlan(), std::nullopt, olivia,
                                   [](const storage::ActivationRecord&) { return OkStatus(); })
                  .ok());
  Reply got = http().Get(DemoPath("/milestones"), token(demo::kOlivia));
  ASSERT_EQ(got.status, 200) << got;
  EXPECT_TRUE(got.json["schedule"].is_null()) << got;
  EXPECT_EQ(got.json["error"]["code"], "cycle") << got;
  EXPECT_EQ(got.json["plan"], CyclicPlan());
}

TEST_F(PlanApi, PostsAreStoredWithTheirFindingsAndWindowsAreReadable) {
  Reply empty = http().Get(DemoPath("/posts"), token(demo::kSofia));
  ASSERT_EQ(empty.status, 200) << empty;
  EXPECT_TRUE(empty.json["content_calendar"].is_null()) << empty;
  EXPECT_TRUE(empty.json["findings"]["findings"].empty()) << empty;

  Reply put = http().Put(DemoPath("/posts"), token(demo::kFelix), CloseCalendar(demo().streamco));
  ASSERT_EQ(put.status, 200) << put;
  EXPECT_EQ(put.json["version"], 1);
  const Json& findings = put.json["findings"]["findings"];
  ASSERT_EQ(findings.size(), 1u) << put;
  EXPECT_EQ(findings[0]["kind"], "too_close");
  EXPECT_EQ(findings[0]["post_ids"], Json::array({"ig-1", "ig-2"}));
  EXPECT_EQ(put.json["findings"]["counts"]["warning"], 1);

  Reply got = http().Get(DemoPath("/posts"), token(demo::kSofia));
  ASSERT_EQ(got.status, 200) << got;
  EXPECT_EQ(got.json["content_calendar"], CloseCalendar(demo().streamco));
  EXPECT_EQ(got.json["findings"], put.json["findings"]);

  Reply windows = http().Get(DemoPath("/windows"), token(demo::kSofia));
  ASSERT_EQ(windows.status, 200) << windows;
  EXPECT_EQ(windows.json["blackouts"], CloseCalendar(demo().streamco)["blackouts"]) << windows;
  EXPECT_TRUE(windows.json["release_windows"].empty()) << windows;

  Json invalid = CloseCalendar(demo().streamco);
  invalid["posts"][1]["id"] = "ig-1";
  int64_t entries = server_.AuditCount();
  Reply duplicate = http().Put(DemoPath("/posts"), token(demo::kFelix), invalid);
  EXPECT_EQ(duplicate.status, 422) << duplicate;
  EXPECT_EQ(duplicate.ErrorField(), "posts[1].id") << duplicate;
  EXPECT_EQ(server_.AuditCount(), entries);

  Reply audit = http().Get("/api/v1/audit?entity_type=content_calendar&entity_id=" + activation_,
                           token(demo::kFelix));
  ASSERT_EQ(audit.json["items"].size(), 1u) << audit;
  EXPECT_EQ(audit.json["items"][0]["after"], CloseCalendar(demo().streamco));
}

TEST_F(PlanApi, PlanAndCalendarShareOneVersion) {
  ASSERT_EQ(PutPlan(IssuePlan()).status, 200);
  Json calendar = CloseCalendar(demo().streamco);
  calendar["version"] = 0;
  Reply stale = http().Put(DemoPath("/posts"), token(demo::kFelix), calendar);
  EXPECT_EQ(stale.status, 409) << stale;
  calendar["version"] = 1;
  Reply fresh = http().Put(DemoPath("/posts"), token(demo::kFelix), calendar);
  ASSERT_EQ(fresh.status, 200) << fresh;
  EXPECT_EQ(fresh.json["version"], 2);
  EXPECT_EQ(http().Get(DemoPath("/milestones"), token(demo::kFelix)).json["plan"], IssuePlan())
      << "writing the calendar keeps the plan";
}

TEST_F(PlanApi, CalendarPartnersMustTakePartInTheActivation) {
  Json calendar = CloseCalendar(demo().streamco);
  calendar["posts"][1]["partner"] = "streamco";
  Reply refused = http().Put(DemoPath("/posts"), token(demo::kFelix), calendar);
  EXPECT_EQ(refused.status, 422) << refused;
  EXPECT_EQ(refused.ErrorCode(), "unknown_partner") << refused;
  EXPECT_EQ(refused.ErrorField(), "posts[1].partner") << refused;
  calendar["posts"][1]["partner"] = demo().orbit;  // a real organisation, but not in this one
  EXPECT_EQ(http().Put(DemoPath("/posts"), token(demo::kFelix), calendar).ErrorCode(),
            "unknown_partner");
  EXPECT_EQ(http().Get(DemoPath("/posts"), token(demo::kFelix)).json["version"], 0)
      << "nothing stored";
}

TEST_F(PlanApi, PartnersScheduleTheirOwnPostsOneAtATime) {
  const Json post{{"platform", "tiktok"}, {"market", "US"}, {"at", "2026-06-01T15:00:00Z"}};
  Reply created = http().Put(DemoPath("/posts/sc-1"), token(demo::kSofia), post);
  ASSERT_EQ(created.status, 201) << created;
  const Json& stored = created.json["content_calendar"]["posts"][0];
  EXPECT_EQ(stored["id"], "sc-1");
  EXPECT_EQ(stored["partner"], demo().streamco) << "the partner defaults to the caller's org";
  EXPECT_EQ(created.json["version"], 1);

  Json moved = post;
  moved["at"] = "2026-06-01T16:00:00Z";
  moved["version"] = 1;
  Reply replaced = http().Put(DemoPath("/posts/sc-1"), token(demo::kSam), moved);
  ASSERT_EQ(replaced.status, 200) << replaced;
  EXPECT_EQ(replaced.json["content_calendar"]["posts"].size(), 1u);
  EXPECT_EQ(replaced.json["content_calendar"]["posts"][0]["at"], "2026-06-01T16:00:00Z");
  moved["version"] = 1;
  EXPECT_EQ(http().Put(DemoPath("/posts/sc-1"), token(demo::kSam), moved).status, 409)
      << "a stale version is refused";

  // Another partner can neither take over, move nor delete StreamCo's post, nor post as StreamCo.
  int64_t entries = server_.AuditCount();
  Reply nina_moves = http().Put(DemoPath("/posts/sc-1"), token(demo::kNina), post);
  EXPECT_EQ(nina_moves.status, 403) << nina_moves;
  Json as_streamco = post;
  as_streamco["partner"] = demo().streamco;
  EXPECT_EQ(http().Put(DemoPath("/posts/nova-1"), token(demo::kNina), as_streamco).status, 403);
  EXPECT_EQ(http().Delete(DemoPath("/posts/sc-1"), token(demo::kNina)).status, 403);
  EXPECT_EQ(http().Put(DemoPath("/posts/v-1"), token(demo::kVictor), post).status, 403)
      << "viewers schedule nothing";
  EXPECT_EQ(http().Put(DemoPath("/posts/u-1"), token(demo::kUna), post).status, 404);
  EXPECT_EQ(server_.AuditCount(), entries) << "refusals change nothing";

  // The host's brief editors schedule for anyone in the activation.
  Json for_nova = post;
  for_nova["partner"] = demo().nova;
  Reply felix = http().Put(DemoPath("/posts/nova-1"), token(demo::kFelix), for_nova);
  ASSERT_EQ(felix.status, 201) << felix;
  EXPECT_EQ(felix.json["content_calendar"]["posts"].size(), 2u);
  // sc-1 (16:00) and nova-1 (15:00) are different partners: no spacing finding between them.
  EXPECT_TRUE(felix.json["findings"]["findings"].empty()) << felix;

  Reply deleted = http().Delete(DemoPath("/posts/sc-1"), token(demo::kSofia));
  ASSERT_EQ(deleted.status, 200) << deleted;
  ASSERT_EQ(deleted.json["content_calendar"]["posts"].size(), 1u);
  EXPECT_EQ(deleted.json["content_calendar"]["posts"][0]["id"], "nova-1");
  EXPECT_EQ(http().Delete(DemoPath("/posts/sc-1"), token(demo::kSofia)).status, 404);
}

TEST_F(PlanApi, OnePostIsValidatedOnItsOwnWithItsOwnFieldNames) {
  int64_t entries = server_.AuditCount();
  Reply bad_time = http().Put(DemoPath("/posts/sc-1"), token(demo::kSam),
                              Json{{"platform", "x"}, {"market", "US"}, {"at", "tomorrow"}});
  EXPECT_EQ(bad_time.status, 422) << bad_time;
  EXPECT_EQ(bad_time.ErrorField(), "at") << bad_time;
  Reply mismatch = http().Put(
      DemoPath("/posts/sc-1"), token(demo::kSam),
      Json{{"id", "sc-2"}, {"platform", "x"}, {"market", "US"}, {"at", "2026-06-01T15:00:00Z"}});
  EXPECT_EQ(mismatch.ErrorCode(), "id_mismatch") << mismatch;
  Reply unknown = http().Put(
      DemoPath("/posts/sc-1"), token(demo::kSam),
      Json{{"platform", "x"}, {"market", "US"}, {"at", "2026-06-01T15:00:00Z"}, {"colour", 1}});
  EXPECT_EQ(unknown.ErrorCode(), "unknown_field") << unknown;
  EXPECT_EQ(unknown.ErrorField(), "colour") << unknown;
  EXPECT_EQ(server_.AuditCount(), entries);
}

TEST_F(PlanApi, WindowsAreReplacedByBriefEditorsAndKeepThePosts) {
  ASSERT_EQ(
      http().Put(DemoPath("/posts"), token(demo::kFelix), CloseCalendar(demo().streamco)).status,
      200);
  Json windows{{"release_windows", Json::array({Json{{"platform", "instagram"},
                                                     {"market", "US"},
                                                     {"start", "2026-06-01T14:00:00Z"},
                                                     {"end", "2026-06-02T00:00:00Z"}}})}};
  EXPECT_EQ(http().Put(DemoPath("/windows"), token(demo::kSam), windows).status, 403);
  Reply put = http().Put(DemoPath("/windows"), token(demo::kFelix), windows);
  ASSERT_EQ(put.status, 200) << put;
  EXPECT_EQ(put.json["release_windows"], windows["release_windows"]);
  EXPECT_TRUE(put.json["blackouts"].empty()) << "absent parts are removed";

  Reply posts = http().Get(DemoPath("/posts"), token(demo::kSam));
  EXPECT_EQ(posts.json["content_calendar"]["posts"].size(), 2u) << posts;
  bool outside = false;
  for (const Json& f : posts.json["findings"]["findings"]) {
    if (f["kind"] == "outside_window" && f["post_ids"] == Json::array({"ig-1"})) outside = true;
  }
  EXPECT_TRUE(outside) << "ig-1 at 13:00 is before the 14:00 window: " << posts;

  Json bad = windows;
  bad["release_windows"][0]["end"] = "2026-06-01T00:00:00Z";
  Reply empty = http().Put(DemoPath("/windows"), token(demo::kFelix), bad);
  EXPECT_EQ(empty.status, 422) << empty;
  EXPECT_EQ(empty.ErrorField(), "release_windows[0].end") << empty;
}

TEST_F(PlanApi, CalendarChecksUseThePlansLaunchesUnlessItListsItsOwn) {
  ASSERT_EQ(PutPlan(IssuePlan()).status, 200);  // US 13:00Z, JP 00:00Z on 2026-06-01
  // The audience list refreshes at midnight UTC and needs 6 h: JP's launch at 00:00Z is too soon.
  Json calendar = Json::parse(R"({"rules": {"refresh": [{"name": "audience list",
      "period": "24h", "anchor": "2026-05-01T00:00:00Z", "min_lead": "6h"}]}})");
  Reply put = http().Put(DemoPath("/posts"), token(demo::kFelix), calendar);
  ASSERT_EQ(put.status, 200) << put;
  EXPECT_EQ(put.json["launches_from"], "plan") << put;
  EXPECT_EQ(put.json["launches"].size(), 2u) << put;
  const Json& findings = put.json["findings"]["findings"];
  ASSERT_EQ(findings.size(), 1u) << put;
  EXPECT_EQ(findings[0]["kind"], "refresh_cycle");
  EXPECT_EQ(findings[0]["launch"], "JP") << put;

  calendar["launches"] = Json::array({Json{{"market", "US"}, {"at", "2026-06-01T13:00:00Z"}}});
  calendar["version"] = 2;
  Reply own = http().Put(DemoPath("/posts"), token(demo::kFelix), calendar);
  ASSERT_EQ(own.status, 200) << own;
  EXPECT_EQ(own.json["launches_from"], "calendar");
  EXPECT_TRUE(own.json["findings"]["findings"].empty()) << own;
}

TEST_F(PlanApi, ALaunchMovedByATzDatabaseUpdateIsReportedUntilThePlanIsSavedAgain) {
  ASSERT_EQ(PutPlan(IssuePlan()).status, 200);
  EXPECT_TRUE(
      http().Get(DemoPath("/milestones"), token(demo::kSam)).json["launch_changes"].empty());
  // What an older tz database would have recorded: New York an hour later.
  const storage::Actor olivia{demo().User(demo::kOlivia), demo().host_org};
  ASSERT_TRUE(server_.store()
                  .EditPlanDocument(
                      activation_, "plan", std::nullopt, olivia,
                      [](const storage::ActivationRecord&, const storage::PlanDocuments& docs) {
                        return Result<storage::PlanDocumentUpdate>(storage::PlanDocumentUpdate{
                            *docs.plan,
                            Json{{"US", "2026-06-01T14:00:00Z"}, {"JP", "2026-06-01T00:00:00Z"}}});
                      })
                  .ok());
  Reply got = http().Get(DemoPath("/milestones"), token(demo::kSam));
  ASSERT_EQ(got.status, 200) << got;
  const Json& changes = got.json["launch_changes"];
  ASSERT_EQ(changes.size(), 1u) << got;
  EXPECT_EQ(changes[0]["market"], "US");
  EXPECT_EQ(changes[0]["was"], "2026-06-01T14:00:00Z");
  EXPECT_EQ(changes[0]["now"], "2026-06-01T13:00:00Z");
  EXPECT_EQ(changes[0]["tz"], "America/New_York");
  EXPECT_EQ(changes[0]["local"], "2026-06-01T09:00");

  Json again = IssuePlan();
  again["version"] = got.json["version"];
  Reply saved = PutPlan(again);
  ASSERT_EQ(saved.status, 200) << saved;
  EXPECT_TRUE(saved.json["launch_changes"].empty()) << "saving records today's instants";
}

TEST_F(PlanApi, TheDemoActivationHasAPlanAndACalendarWithFindingsInPlace) {
  const std::string demo_path = "/api/v1/activations/" + demo().activation;
  Reply plan = http().Get(demo_path + "/milestones", token(demo::kNina));
  ASSERT_EQ(plan.status, 200) << plan;
  ASSERT_FALSE(plan.json["schedule"].is_null()) << plan;
  EXPECT_EQ(plan.json["schedule"]["milestones"].size(), 9u);
  EXPECT_EQ(plan.json["schedule"]["at_risk"], false) << plan;
  EXPECT_FALSE(plan.json["schedule"]["critical_path"].empty());
  EXPECT_TRUE(plan.json["launch_changes"].empty());
  for (const char* market : {"US", "GB", "JP"}) {
    EXPECT_TRUE(plan.json["schedule"]["launch"].contains(market)) << market;
  }
  Reply what_if = http().Post(demo_path + "/milestones/what-if", token(demo::kNina),
                              Json{{"delay", {{"id", "hero_film"}, {"by", "2w"}}}});
  ASSERT_EQ(what_if.status, 200) << what_if;
  EXPECT_FALSE(what_if.json["pushed_past_launch"].empty()) << "the demo's story: " << what_if;

  Reply posts = http().Get(demo_path + "/posts", token(demo::kNina));
  ASSERT_EQ(posts.status, 200) << posts;
  EXPECT_EQ(posts.json["launches_from"], "plan");
  std::set<std::string> kinds;
  for (const Json& f : posts.json["findings"]["findings"]) kinds.insert(f["kind"]);
  EXPECT_TRUE(kinds.count("too_close")) << posts;
  EXPECT_TRUE(kinds.count("asset_late")) << posts;
  EXPECT_FALSE(kinds.count("refresh_cycle")) << "the demo's launches respect the refresh rule";
}

}  // namespace
}  // namespace tutti::testing
