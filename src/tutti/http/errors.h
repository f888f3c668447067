// The one place where a Status becomes an HTTP status and the error envelope
// {"error":{"code":"…","message":"…","field":"…"}}. Pure; thread-safe.
#pragma once

#include "tutti/base/json.h"
#include "tutti/base/status.h"

namespace tutti::http {

int HttpStatusFor(const Status& status);
Json ErrorEnvelope(const Status& status);
// The envelope for a status httplib produced on its own (404 for an unknown path, 413…).
Json ErrorEnvelopeForHttpStatus(int http_status);

}  // namespace tutti::http
