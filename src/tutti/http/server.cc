#include "tutti/http/server.h"

#include <httplib.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <iostream>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <thread>
#include <vector>

#include "tutti/http/errors.h"
#include "tutti/http/web_assets.h"

namespace tutti::http {
namespace {

constexpr char kSessionCookie[] = "tutti_session";

std::string TemplateToRegex(const std::string& path, std::vector<std::string>* names) {
  static const std::regex kParam(R"(\{([a-z_]+)\})");
  std::string out;
  auto begin = std::sregex_iterator(path.begin(), path.end(), kParam);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    out += path.substr(last, static_cast<size_t>(it->position()) - last);
    out += "([A-Za-z0-9_:.-]{1,128})";
    names->push_back((*it)[1].str());
    last = static_cast<size_t>(it->position() + it->length());
  }
  out += path.substr(last);
  return out;
}

std::string CookieValue(const httplib::Request& req, const std::string& name) {
  std::string cookies = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < cookies.size()) {
    size_t end = cookies.find(';', pos);
    if (end == std::string::npos) end = cookies.size();
    std::string part = cookies.substr(pos, end - pos);
    size_t start = part.find_first_not_of(' ');
    if (start != std::string::npos) part = part.substr(start);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return {};
}

void WriteJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  if (!body.is_null()) res.set_content(body.dump(), "application/json");
}

void WriteError(httplib::Response& res, const Status& status) {
  if (status.code() == StatusCode::kInternal || status.code() == StatusCode::kUnavailable) {
    std::cerr << "tutti serve: " << status.ToString() << "\n";
  }
  if (status.retry_after_seconds()) {
    res.set_header("Retry-After", std::to_string(*status.retry_after_seconds()));
  }
  if (status.code() == StatusCode::kUnauthenticated) {
    res.set_header("WWW-Authenticate", "Bearer realm=\"tutti\"");
  }
  WriteJson(res, HttpStatusFor(status), ErrorEnvelope(status));
}

bool IsSafeMethod(const std::string& method) { return method == "GET" || method == "HEAD"; }

// What may be left of a request body once its answer is ready (a refusal, or a body over its
// bound): up to this much more is read and dropped, so that the connection can carry the next
// request and a client still sending (most send the whole body before reading) reads the
// answer rather than a reset. Past it, the connection closes after the answer. As much as the
// transport used to read of any body before a route ran, but dropped rather than kept.
constexpr uint64_t kMaxDrainBytes = 64 << 20;
// Bytes the body buffer of a streamed route gathers into one piece.
constexpr size_t kStreamPieceBytes = 64 << 10;
// Bytes of a streamed response body (an asset download) read from disk per write to the socket.
constexpr size_t kStreamedBodyChunkBytes = 256 << 10;

std::optional<uint64_t> DeclaredLength(const httplib::Request& req) {
  if (!req.has_header("Content-Length")) return std::nullopt;
  return req.get_header_value<uint64_t>("Content-Length");
}

// HTTP/1.1 requests carry a body only with a Content-Length or a chunked Transfer-Encoding.
bool DeclaresBody(const httplib::Request& req) {
  std::string encoding = req.get_header_value("Transfer-Encoding");
  for (char& c : encoding) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::optional<uint64_t> length = DeclaredLength(req);
  return (length && *length > 0) || encoding.find("chunked") != std::string::npos;
}

Status BodyTooLarge(uint64_t limit) {
  return Status(StatusCode::kPayloadTooLarge,
                "the request body is larger than " + std::to_string(limit) + " bytes", "",
                "payload_too_large");
}

// A body the transport could not deliver; `http_status` is what cpp-httplib made of it.
Status BrokenBody(int http_status) {
  if (http_status == 415) {
    return Status(StatusCode::kUnsupportedMediaType,
                  "the body's Content-Encoding cannot be decoded; send gzip, deflate or none",
                  "Content-Encoding", "unsupported_media_type");
  }
  return Status(StatusCode::kMalformed,
                "the connection ended, timed out or broke the body's framing or encoding before "
                "the body's end; nothing of it was kept",
                "body", "incomplete_body");
}

Status CheckBodyType(const Route& route, const std::string& type) {
  if (route.body_types.empty()) {
    if (type.rfind("application/json", 0) == 0) return OkStatus();
    return Status(StatusCode::kUnsupportedMediaType, "request bodies must be application/json",
                  "Content-Type", "unsupported_media_type");
  }
  if (std::any_of(route.body_types.begin(), route.body_types.end(),
                  [&type](const std::string& t) { return type.rfind(t, 0) == 0; })) {
    return OkStatus();
  }
  std::string accepted;
  for (const std::string& t : route.body_types) accepted += (accepted.empty() ? "" : ", ") + t;
  return Status(StatusCode::kUnsupportedMediaType, "this route takes " + accepted, "Content-Type",
                "unsupported_media_type");
}

// Reads and drops a body that nothing read, up to kMaxDrainBytes; true when it ended in that.
bool DrainBody(const httplib::Request& req, const httplib::ContentReader& reader) {
  if (!DeclaresBody(req)) return true;
  if (std::optional<uint64_t> length = DeclaredLength(req); length && *length > kMaxDrainBytes) {
    return false;
  }
  uint64_t dropped = 0;
  return reader([&dropped](const char*, size_t size) {
    dropped += size;
    return dropped <= kMaxDrainBytes;
  });
}

// Reads the whole body of a route that does not stream it into `body`, up to `limit` bytes.
// Sets `ended` when the connection's body was read to its end (a body over the limit is
// drained, up to kMaxDrainBytes, so that its client reads the 413).
Status ReadWholeBody(const httplib::Request& req, const httplib::Response& res,
                     const httplib::ContentReader& reader, uint64_t limit, std::string& body,
                     bool& ended) {
  ended = false;
  if (!DeclaresBody(req)) {
    ended = true;
    return OkStatus();
  }
  if (std::optional<uint64_t> length = DeclaredLength(req); length && *length > limit) {
    ended = DrainBody(req, reader);
    return BodyTooLarge(limit);
  }
  bool too_large = false;
  uint64_t dropped = 0;
  ended = reader([&](const char* data, size_t size) {
    if (!too_large && body.size() + size <= limit) {
      body.append(data, size);
      return true;
    }
    too_large = true;
    dropped += size;
    return dropped <= kMaxDrainBytes;
  });
  if (too_large) {
    body.clear();
    return BodyTooLarge(limit);
  }
  if (!ended) return BrokenBody(res.status);
  return OkStatus();
}

// The body of a route that streams it. cpp-httplib pushes a body into a callback while the
// handler pulls (the record reader reads a std::istream), so a helper thread, started at the
// first read, pushes the body into a bounded buffer that the handler's thread pulls from: the
// handler waits for data and the helper for room, and memory stays within `read_ahead_bytes`
// (plus one transport chunk) whatever the body's size. cpp-httplib writes the response's
// status when reading fails, so the response is touched only after Finish().
class StreamedBody final : public BodyReader {
 public:
  StreamedBody(const httplib::Request& req, const httplib::Response& res,
               const httplib::ContentReader& reader, uint64_t limit, size_t read_ahead_bytes)
      : req_(req),
        res_(res),
        reader_(reader),
        limit_(limit),
        read_ahead_bytes_(std::max<size_t>(read_ahead_bytes, 1)) {}
  ~StreamedBody() override { (void)Finish(); }
  StreamedBody(const StreamedBody&) = delete;
  StreamedBody& operator=(const StreamedBody&) = delete;

  Result<size_t> Read(char* buffer, size_t capacity) override {
    Start();
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return buffered_ > 0 || helper_done_ || !failure_.ok(); });
    if (!failure_.ok()) return failure_;
    size_t copied = 0;
    while (copied < capacity && !pieces_.empty()) {
      const std::string& front = pieces_.front();
      size_t n = std::min(capacity - copied, front.size() - front_offset_);
      std::memcpy(buffer + copied, front.data() + front_offset_, n);
      copied += n;
      front_offset_ += n;
      if (front_offset_ == front.size()) {
        pieces_.pop_front();
        front_offset_ = 0;
      }
    }
    buffered_ -= copied;
    changed_.notify_all();
    return copied;
  }

  Status ReadAhead() override {
    Start();
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return helper_done_ || !failure_.ok() || waiting_for_room_; });
    return failure_;
  }

  // Ends the handler's reading: what is left of the body is read and dropped, up to
  // kMaxDrainBytes. True when the body was read to its end, so that the connection can carry
  // another request. Idempotent.
  bool Finish() {
    if (finished_) return body_ended_;
    finished_ = true;
    if (!helper_.joinable()) {  // nothing was read from the connection
      if (!body_ended_) body_ended_ = DrainBody(req_, reader_);
      return body_ended_;
    }
    {
      std::lock_guard lock(mutex_);
      handler_done_ = true;
      pieces_.clear();
      buffered_ = 0;
    }
    changed_.notify_all();
    helper_.join();
    return body_ended_;
  }

 private:
  void Start() {
    if (started_) return;
    started_ = true;
    if (!DeclaresBody(req_)) {
      body_ended_ = true;
      helper_done_ = true;
      return;
    }
    if (std::optional<uint64_t> length = DeclaredLength(req_); length && *length > limit_) {
      failure_ = BodyTooLarge(limit_);
      helper_done_ = true;
      return;
    }
    helper_ = std::thread([this] {
      bool ended = false;
      try {
        ended = reader_([this](const char* data, size_t size) { return Receive(data, size); });
      } catch (const std::exception& e) {
        std::cerr << "tutti serve: reading a request body: " << e.what() << "\n";
      }
      std::lock_guard lock(mutex_);
      body_ended_ = ended;
      if (!ended && failure_.ok() && !handler_done_) failure_ = BrokenBody(res_.status);
      helper_done_ = true;
      changed_.notify_all();
    });
  }

  // The helper's side: takes one transport chunk; false stops reading the body. Once the
  // handler is done or the body is over its bound, the rest is dropped, up to kMaxDrainBytes.
  bool Receive(const char* data, size_t size) {
    std::unique_lock lock(mutex_);
    if (!handler_done_ && failure_.ok()) {
      received_ += size;
      if (received_ > limit_) {
        failure_ = BodyTooLarge(limit_);
        changed_.notify_all();
      } else if (buffered_ > 0 && buffered_ + size > read_ahead_bytes_) {
        waiting_for_room_ = true;
        changed_.notify_all();
        changed_.wait(lock, [&] {
          return buffered_ == 0 || buffered_ + size <= read_ahead_bytes_ || handler_done_;
        });
        waiting_for_room_ = false;
      }
    }
    if (handler_done_ || !failure_.ok()) {
      dropped_ += size;
      return dropped_ <= kMaxDrainBytes;
    }
    if (pieces_.empty() || pieces_.back().size() + size > pieces_.back().capacity()) {
      pieces_.emplace_back().reserve(std::max(kStreamPieceBytes, size));
    }
    pieces_.back().append(data, size);
    buffered_ += size;
    changed_.notify_all();
    return true;
  }

  const httplib::Request& req_;
  const httplib::Response& res_;
  const httplib::ContentReader& reader_;
  const uint64_t limit_;
  const size_t read_ahead_bytes_;
  bool started_ = false;  // these three: the handler's thread only
  bool finished_ = false;
  std::thread helper_;

  std::mutex mutex_;
  std::condition_variable changed_;  // data, room, the end or a failure
  std::deque<std::string> pieces_;
  size_t front_offset_ = 0;  // into pieces_.front()
  size_t buffered_ = 0;
  uint64_t received_ = 0;
  uint64_t dropped_ = 0;
  bool waiting_for_room_ = false;
  bool handler_done_ = false;
  bool helper_done_ = false;
  bool body_ended_ = false;
  Status failure_;
};

// Answers, then closes the connection, so that what is left of the request body is not read as
// the next request. cpp-httplib 0.11 keeps a connection open unless the client asked to close
// it or writing the response failed, so the answer is written by a content provider that
// reports a failure once it has written everything.
void CloseAfterResponse(httplib::Response& res) {
  res.set_header("Connection", "close");
  // Every answer that leaves a body unread carries a JSON body; cpp-httplib cannot provide an
  // empty one.
  if (res.body.empty()) return;
  auto body = std::make_shared<std::string>(std::move(res.body));
  res.body.clear();
  std::string type = res.get_header_value("Content-Type");
  res.headers.erase("Content-Type");
  res.set_content_provider(body->size(), type,
                           [body](size_t offset, size_t length, httplib::DataSink& sink) {
                             sink.write(body->data() + offset, length);
                             return false;
                           });
}

// What the server knows of one route.
struct RouteContext {
  Route route;
  std::vector<std::string> param_names;  // of the path's {name} segments, in order
  AuthService* auth = nullptr;
  bool secure_cookies = false;
  uint64_t body_limit = 0;  // JSON, other buffered types, or streamed: the route's bound
  size_t read_ahead_bytes = 0;
};

// Authenticates the caller into `request` and checks CSRF for cookie sessions.
Status AdmitCaller(const RouteContext& c, const httplib::Request& req, ApiRequest& request) {
  std::string bearer = req.get_header_value("Authorization");
  std::optional<std::pair<std::string, CredentialSource>> credential;
  if (bearer.rfind("Bearer ", 0) == 0) {
    credential.emplace(bearer.substr(7), CredentialSource::kBearer);
  } else if (std::string cookie = CookieValue(req, kSessionCookie); !cookie.empty()) {
    credential.emplace(cookie, CredentialSource::kCookie);
  }
  // Public routes ignore credentials: a stale cookie must not turn a log-in into a CSRF
  // failure, and nothing public depends on who asks.
  if (credential && c.route.requires_auth) {
    TUTTI_ASSIGN_OR_RETURN(request.auth,
                           c.auth->Authenticate(credential->first, credential->second));
  }
  if (c.route.requires_auth && !request.auth) {
    return Unauthenticated("log in or send Authorization: Bearer TOKEN");
  }
  if (request.auth && request.auth->source == CredentialSource::kCookie &&
      !IsSafeMethod(c.route.method) &&
      !ConstantTimeEquals(req.get_header_value("X-CSRF-Token"), request.auth->csrf_token)) {
    return Status(StatusCode::kPermissionDenied,
                  "missing or wrong X-CSRF-Token header for a cookie session", "X-CSRF-Token",
                  "csrf_failed");
  }
  return OkStatus();
}

// One request to one route: the caller is admitted before any of the body is read; a route
// that does not stream gets its body whole, one that streams reads it during the handler.
// `reader` is null for methods without a body.
void HandleRequest(const RouteContext& c, const httplib::Request& req, httplib::Response& res,
                   const httplib::ContentReader* reader) {
  ApiRequest request;
  request.method = c.route.method;
  for (size_t i = 0; i < c.param_names.size(); ++i)
    request.path_params[c.param_names[i]] = req.matches[i + 1];
  for (const auto& [k, v] : req.params) request.query.emplace(k, v);
  for (const auto& [k, v] : req.headers) {
    std::string lower = k;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    request.headers[lower] = v;
  }
  request.remote_address = req.remote_addr;

  std::optional<StreamedBody> streamed;
  bool body_tried = false;  // the body was read, or reading it failed: it cannot be drained
  bool body_ended = reader == nullptr;
  Result<ApiResponse> out = [&]() -> Result<ApiResponse> {
    TUTTI_RETURN_IF_ERROR(AdmitCaller(c, req, request));
    if (reader == nullptr) return c.route.handler(request);
    if (DeclaresBody(req)) {
      TUTTI_RETURN_IF_ERROR(CheckBodyType(c.route, req.get_header_value("Content-Type")));
    }
    if (c.route.streams_body) {
      streamed.emplace(req, res, *reader, c.body_limit, c.read_ahead_bytes);
      request.body_reader = &*streamed;
    } else {
      body_tried = true;
      TUTTI_RETURN_IF_ERROR(
          ReadWholeBody(req, res, *reader, c.body_limit, request.body, body_ended));
    }
    return c.route.handler(request);
  }();
  if (streamed) {
    body_ended = streamed->Finish();
  } else if (reader != nullptr && !body_tried) {
    body_ended = DrainBody(req, *reader);
  }

  if (!out.ok()) {
    WriteError(res, out.status());
  } else {
    for (const auto& [name, value] : out->headers) {
      std::string header = value;
      if (name == "Set-Cookie" && c.secure_cookies) header += "; Secure";
      res.set_header(name, header);
    }
    if (out->raw_body) {
      res.status = out->status;
      res.set_content(*out->raw_body, out->content_type);
    } else if (out->streamed_body) {
      res.status = out->status;
      auto buffer = std::make_shared<std::vector<char>>(kStreamedBodyChunkBytes);
      res.set_content_provider(static_cast<size_t>(out->streamed_body->size), out->content_type,
                               [body = std::move(*out->streamed_body), buffer](
                                   size_t offset, size_t length, httplib::DataSink& sink) {
                                 Result<size_t> n = body.read(offset, buffer->data(),
                                                              std::min(length, buffer->size()));
                                 return n.ok() && *n > 0 && sink.write(buffer->data(), *n);
                               });
    } else {
      WriteJson(res, out->status, out->body);
    }
  }
  if (!body_ended) CloseAfterResponse(res);
}

}  // namespace

std::string DefaultWebRoot() { return TUTTI_DEFAULT_WEB_ROOT; }

struct Server::Impl {
  httplib::Server http;
  ServerConfig config;
};

Server::Server(storage::Store& store, AuthService& auth, ServerConfig config)
    : impl_(std::make_unique<Impl>()) {
  impl_->config = config;
  Api api(store, auth, config.identifier_secret, config.min_aggregate_users,
          AssetLibraryConfig{config.data_dir, config.max_asset_bytes});
  routes_ = api.Routes();
  httplib::Server& http = impl_->http;
  size_t threads = static_cast<size_t>(std::max(1, config.threads));
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // The transport admits the largest body of any route; each route holds its bodies to its own
  // bound as it reads them (HandleRequest), which cpp-httplib's one global limit cannot do.
  const uint64_t max_ingest_bytes =
      config.max_ingest_bytes == 0 ? std::numeric_limits<uint64_t>::max() : config.max_ingest_bytes;
  http.set_payload_max_length(static_cast<size_t>(std::min<uint64_t>(
      std::max<uint64_t>({config.max_body_bytes, config.max_upload_bytes, max_ingest_bytes}),
      std::numeric_limits<size_t>::max())));
  http.set_read_timeout(std::chrono::seconds(15));
  http.set_write_timeout(std::chrono::seconds(15));
  http.set_keep_alive_max_count(1000);
  // Small JSON responses must not wait for Nagle + delayed ACK (a flat 40 ms per request).
  http.set_tcp_nodelay(true);
  http.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                            {"X-Frame-Options", "DENY"},
                            {"Referrer-Policy", "no-referrer"},
                            {"Content-Security-Policy",
                             "default-src 'self'; img-src 'self' data:; style-src 'self' "
                             "'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'"}});

  for (const Route& route : routes_) {
    auto context = std::make_shared<RouteContext>();
    context->route = route;
    std::string pattern = TemplateToRegex(route.path, &context->param_names);
    context->auth = &auth;
    context->secure_cookies = config.secure_cookies;
    context->body_limit = route.streams_body         ? max_ingest_bytes
                          : route.body_types.empty() ? uint64_t{config.max_body_bytes}
                                                     : uint64_t{config.max_upload_bytes};
    context->read_ahead_bytes = config.max_upload_bytes;
    if (route.method == "GET") {
      http.Get(pattern, [context](const httplib::Request& req, httplib::Response& res) {
        HandleRequest(*context, req, res, nullptr);
      });
      continue;
    }
    // Every method with a body reads it itself, so that nothing is buffered before the caller
    // is authenticated and no route buffers more than its own bound.
    httplib::Server::HandlerWithContentReader handler =
        [context](const httplib::Request& req, httplib::Response& res,
                  const httplib::ContentReader& reader) {
          HandleRequest(*context, req, res, &reader);
        };
    if (route.method == "POST")
      http.Post(pattern, handler);
    else if (route.method == "PUT")
      http.Put(pattern, handler);
    else if (route.method == "PATCH")
      http.Patch(pattern, handler);
    else if (route.method == "DELETE")
      http.Delete(pattern, handler);
  }

  std::string web_root = config.web_root.empty() ? DefaultWebRoot() : config.web_root;
  http.Get(R"(/(?!api/).*)", [web_root](const httplib::Request& req, httplib::Response& res) {
    Result<StaticFile> file = LoadStaticFile(web_root, req.path);
    if (!file.ok()) {
      res.status = file.status().code() == StatusCode::kNotFound ? 404 : 503;
      res.set_content(file.status().message() + "\n", "text/plain; charset=utf-8");
      return;
    }
    res.set_header("Cache-Control",
                   file->immutable ? "public, max-age=31536000, immutable" : "no-cache");
    res.set_content(std::move(file->content), file->content_type);
  });

  http.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
        // An answer already written (CloseAfterResponse's comes from a content provider).
        if (!res.body.empty() || res.content_provider_) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        if (req.path.rfind("/api/", 0) == 0 || res.status == 413 || res.status == 400) {
          WriteJson(res, res.status, ErrorEnvelopeForHttpStatus(res.status));
          return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
      }));
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          std::cerr << "tutti serve: unhandled exception: " << e.what() << "\n";
        } catch (...) {
          std::cerr << "tutti serve: unhandled exception\n";
        }
        WriteJson(res, 500, ErrorEnvelope(Internal("unhandled exception")));
      });
}

Server::~Server() = default;

Result<int> Server::Bind() {
  const ServerConfig& c = impl_->config;
  if (c.port == 0) {
    int port = impl_->http.bind_to_any_port(c.host);
    if (port <= 0) return Unavailable("cannot listen on " + c.host);
    return port;
  }
  if (!impl_->http.bind_to_port(c.host, c.port)) {
    return Unavailable("cannot listen on " + c.host + ":" + std::to_string(c.port) +
                       " (address in use or not permitted)");
  }
  return c.port;
}

Status Server::Serve() {
  if (!impl_->http.listen_after_bind()) return Unavailable("HTTP server stopped unexpectedly");
  return OkStatus();
}

void Server::Stop() { impl_->http.stop(); }

}  // namespace tutti::http
