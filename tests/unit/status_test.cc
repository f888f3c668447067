// Status and Result<T>: codes, the one-line rendering the CLI prints, and the propagation macros.
#include "tutti/base/status.h"

#include <gtest/gtest.h>

#include <string>

namespace tutti {
namespace {

TEST(Status, DefaultIsOkAndRendersAsOk) {
  Status status;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kOk);
  EXPECT_EQ(status.ToString(), "ok");
  EXPECT_TRUE(OkStatus().ok());
}

TEST(Status, ToStringShowsReasonFieldAndMessage) {
  Status status = InvalidArgument("unknown time zone", "markets[1].tz", "invalid_time_zone");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.ToString(), "invalid_time_zone: markets[1].tz: unknown time zone");
}

TEST(Status, ToStringFallsBackToTheCodeNameWithoutAReason) {
  Status status(StatusCode::kUnavailable, "database is busy");
  EXPECT_EQ(status.ToString(), "unavailable: database is busy");
}

TEST(Status, HelpersCarryTheirCanonicalCodesAndReasons) {
  struct Case {
    Status status;
    StatusCode code;
    const char* reason;
  };
  const Case cases[] = {
      {InvalidArgument("m"), StatusCode::kInvalidArgument, "invalid_field"},
      {NotFound("m"), StatusCode::kNotFound, "not_found"},
      {AlreadyExists("m"), StatusCode::kAlreadyExists, "already_exists"},
      {Conflict("m"), StatusCode::kAborted, "conflict"},
      {PermissionDenied("m"), StatusCode::kPermissionDenied, "forbidden"},
      {Unauthenticated("m"), StatusCode::kUnauthenticated, "unauthenticated"},
      {Internal("m"), StatusCode::kInternal, "internal"},
      {Unavailable("m"), StatusCode::kUnavailable, "unavailable"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.status.code(), c.code) << c.reason;
    EXPECT_EQ(c.status.reason(), c.reason);
    EXPECT_EQ(c.status.message(), "m");
  }
}

TEST(Status, EveryCodeHasAStableName) {
  EXPECT_STREQ(StatusCodeName(StatusCode::kOk), "ok");
  EXPECT_STREQ(StatusCodeName(StatusCode::kInvalidArgument), "invalid_argument");
  EXPECT_STREQ(StatusCodeName(StatusCode::kMalformed), "malformed");
  EXPECT_STREQ(StatusCodeName(StatusCode::kNotFound), "not_found");
  EXPECT_STREQ(StatusCodeName(StatusCode::kAlreadyExists), "already_exists");
  EXPECT_STREQ(StatusCodeName(StatusCode::kFailedPrecondition), "failed_precondition");
  EXPECT_STREQ(StatusCodeName(StatusCode::kAborted), "aborted");
  EXPECT_STREQ(StatusCodeName(StatusCode::kPermissionDenied), "permission_denied");
  EXPECT_STREQ(StatusCodeName(StatusCode::kUnauthenticated), "unauthenticated");
  EXPECT_STREQ(StatusCodeName(StatusCode::kResourceExhausted), "resource_exhausted");
  EXPECT_STREQ(StatusCodeName(StatusCode::kPayloadTooLarge), "payload_too_large");
  EXPECT_STREQ(StatusCodeName(StatusCode::kUnavailable), "unavailable");
  EXPECT_STREQ(StatusCodeName(StatusCode::kInternal), "internal");
}

TEST(Status, WithRetryAfterAndWithFieldAnnotateWithoutChangingTheCode) {
  Status throttled = Status(StatusCode::kResourceExhausted, "slow down").WithRetryAfter(30);
  EXPECT_EQ(throttled.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(throttled.retry_after_seconds(), 30);
  EXPECT_FALSE(OkStatus().retry_after_seconds().has_value());

  Status located = InvalidArgument("must be a string").WithField("budget.currency");
  EXPECT_EQ(located.field(), "budget.currency");
  EXPECT_EQ(located.code(), StatusCode::kInvalidArgument);
}

TEST(Result, HoldsAValueOrAFailedStatus) {
  Result<std::string> value = std::string("act_1");
  ASSERT_TRUE(value.ok());
  EXPECT_TRUE(value.status().ok());
  EXPECT_EQ(*value, "act_1");
  EXPECT_EQ(value->size(), 5u);

  Result<std::string> failed = NotFound("activation not found");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(failed.status().message(), "activation not found");
}

TEST(Result, MovesItsValueOut) {
  Result<std::string> value = std::string(100, 'x');
  std::string taken = std::move(value).value();
  EXPECT_EQ(taken.size(), 100u);
}

Status FailIf(bool fail, int* reached) {
  ++*reached;
  return fail ? InvalidArgument("failed on purpose", "step") : OkStatus();
}

Status TwoSteps(bool fail_first, bool fail_second, int* reached) {
  TUTTI_RETURN_IF_ERROR(FailIf(fail_first, reached));
  TUTTI_RETURN_IF_ERROR(FailIf(fail_second, reached));
  return OkStatus();
}

TEST(StatusMacros, ReturnIfErrorStopsAtTheFirstFailure) {
  int reached = 0;
  EXPECT_TRUE(TwoSteps(false, false, &reached).ok());
  EXPECT_EQ(reached, 2);

  reached = 0;
  Status status = TwoSteps(true, false, &reached);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.field(), "step");
  EXPECT_EQ(reached, 1) << "the second step must not run after the first failed";
}

Result<int> Half(int n) {
  if (n % 2 != 0) return InvalidArgument(std::to_string(n) + " is odd", "n");
  return n / 2;
}

// Two expansions in one scope must not collide (the macros make unique temporaries).
Result<int> Quarter(int n) {
  TUTTI_ASSIGN_OR_RETURN(int half, Half(n));
  TUTTI_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

TEST(StatusMacros, AssignOrReturnDeclaresTheValueOrPropagatesTheStatus) {
  Result<int> ok = Quarter(12);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 3);

  Result<int> failed = Quarter(6);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().message(), "3 is odd");
}

TEST(StatusMacros, NestInsideLambdasThatReturnStatus) {
  int reached = 0;
  auto body = [&]() -> Status {
    TUTTI_ASSIGN_OR_RETURN(int quarter, Quarter(8));
    TUTTI_RETURN_IF_ERROR(FailIf(quarter != 2, &reached));
    TUTTI_RETURN_IF_ERROR(FailIf(true, &reached));
    return OkStatus();
  };
  Status status = body();
  EXPECT_EQ(status.message(), "failed on purpose");
  EXPECT_EQ(reached, 2);
}

}  // namespace
}  // namespace tutti
