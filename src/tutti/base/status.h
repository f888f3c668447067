// Status and Result<T>: how expected failures travel through Tutti as values.
//
// Codes follow the canonical set of abseil/gRPC; choose by what the caller can do about it:
//   kInvalidArgument   the input is wrong regardless of state (bad field, bad enum, bad zone);
//   kNotFound          the object does not exist or the caller may not know it exists;
//   kAlreadyExists     creating something whose identity is taken;
//   kFailedPrecondition / kAborted  the state disagrees (stale version, wrong phase);
//   kPermissionDenied  the caller is known but lacks the right;
//   kUnauthenticated   no valid credential;
//   kResourceExhausted throttled or too big;
//   kUnavailable / kInternal  the system failed, the input may be fine.
// HTTP statuses are derived in exactly one place (http/errors.cc). Immutable; thread-safe.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace tutti {

enum class StatusCode {
  kOk,
  kInvalidArgument,
  kMalformed,  // the request could not be parsed at all (bad JSON, bad encoding)
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kAborted,
  kPermissionDenied,
  kUnauthenticated,
  kResourceExhausted,
  kPayloadTooLarge,
  kUnsupportedMediaType,
  kUnavailable,
  kInternal,
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  // `reason` is a stable machine-readable code such as "invalid_enum"; `field` names the input
  // at fault in JSON-pointer-like dotted form ("brief.markets[1].tz"), empty when none applies.
  Status(StatusCode code, std::string message, std::string field = {}, std::string reason = {})
      : code_(code),
        message_(std::move(message)),
        field_(std::move(field)),
        reason_(std::move(reason)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }
  const std::string& reason() const { return reason_; }
  // Seconds after which a throttled caller may retry; meaningful with kResourceExhausted.
  std::optional<int> retry_after_seconds() const { return retry_after_; }
  Status&& WithRetryAfter(int seconds) && {
    retry_after_ = seconds;
    return std::move(*this);
  }
  Status&& WithField(std::string field) && {
    field_ = std::move(field);
    return std::move(*this);
  }
  // One line for logs and the CLI: "invalid_argument: brief.markets[1].tz: unknown time zone".
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string field_;
  std::string reason_;
  std::optional<int> retry_after_;
};

inline Status OkStatus() { return Status(); }
inline Status InvalidArgument(std::string message, std::string field = {},
                              std::string reason = "invalid_field") {
  return Status(StatusCode::kInvalidArgument, std::move(message), std::move(field),
                std::move(reason));
}
inline Status NotFound(std::string message, std::string field = {}) {
  return Status(StatusCode::kNotFound, std::move(message), std::move(field), "not_found");
}
inline Status AlreadyExists(std::string message, std::string field = {}) {
  return Status(StatusCode::kAlreadyExists, std::move(message), std::move(field), "already_exists");
}
inline Status Conflict(std::string message, std::string field = {}) {
  return Status(StatusCode::kAborted, std::move(message), std::move(field), "conflict");
}
inline Status PermissionDenied(std::string message) {
  return Status(StatusCode::kPermissionDenied, std::move(message), {}, "forbidden");
}
inline Status Unauthenticated(std::string message) {
  return Status(StatusCode::kUnauthenticated, std::move(message), {}, "unauthenticated");
}
inline Status Internal(std::string message) {
  return Status(StatusCode::kInternal, std::move(message), {}, "internal");
}
inline Status Unavailable(std::string message) {
  return Status(StatusCode::kUnavailable, std::move(message), {}, "unavailable");
}

// Either a T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}        // NOLINT: implicit by design, like StatusOr
  Result(Status status) : value_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(value_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(value_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(value_);
  }
  T& value() & { return std::get<T>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> value_;
};

}  // namespace tutti

// Propagates a failed Status out of the enclosing function.
#define TUTTI_CONCAT_INNER(a, b) a##b
#define TUTTI_CONCAT(a, b) TUTTI_CONCAT_INNER(a, b)
// Unique names per expansion, because these macros nest (a transaction body inside a call).
#define TUTTI_RETURN_IF_ERROR(expr) \
  TUTTI_RETURN_IF_ERROR_IMPL(TUTTI_CONCAT(tutti_status_, __COUNTER__), expr)
#define TUTTI_RETURN_IF_ERROR_IMPL(name, expr) \
  do {                                         \
    ::tutti::Status name = (expr);             \
    if (!name.ok()) return name;               \
  } while (false)
// Declares `lhs` from a Result's value, or returns its Status.
#define TUTTI_ASSIGN_OR_RETURN(lhs, expr) \
  TUTTI_ASSIGN_OR_RETURN_IMPL(TUTTI_CONCAT(tutti_result_, __COUNTER__), lhs, expr)
#define TUTTI_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()
