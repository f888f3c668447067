#include "tutti/http/errors.h"

namespace tutti::http {

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kMalformed:
      return 400;
    case StatusCode::kInvalidArgument:
      return 422;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kAborted:
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kPayloadTooLarge:
      return 413;
    case StatusCode::kUnsupportedMediaType:
      return 415;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

Json ErrorEnvelope(const Status& status) {
  std::string code = status.reason().empty() ? StatusCodeName(status.code()) : status.reason();
  // Internal details (SQL text, file paths) stay in the server log, not in the response.
  std::string message = status.code() == StatusCode::kInternal
                            ? "internal error; the server log has the details"
                            : status.message();
  return Json{{"error", {{"code", code}, {"message", message}, {"field", status.field()}}}};
}

Json ErrorEnvelopeForHttpStatus(int http_status) {
  const char* code = "http_error";
  const char* message = "request failed";
  switch (http_status) {
    case 400:
      code = "bad_request";
      message = "the request could not be parsed";
      break;
    case 404:
      code = "not_found";
      message = "no such resource";
      break;
    case 405:
      code = "method_not_allowed";
      message = "method not allowed on this resource";
      break;
    case 413:
      code = "payload_too_large";
      message = "request body exceeds the size limit";
      break;
    case 414:
      code = "uri_too_long";
      message = "request URI is too long";
      break;
    case 415:
      code = "unsupported_media_type";
      message = "send application/json";
      break;
    case 500:
      code = "internal";
      message = "internal error; the server log has the details";
      break;
    default:
      break;
  }
  return Json{{"error", {{"code", code}, {"message", message}, {"field", ""}}}};
}

}  // namespace tutti::http
