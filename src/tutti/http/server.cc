#include "tutti/http/server.h"

#include <httplib.h>

#include <algorithm>
#include <iostream>
#include <regex>

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

}  // namespace

std::string DefaultWebRoot() { return TUTTI_DEFAULT_WEB_ROOT; }

struct Server::Impl {
  httplib::Server http;
  ServerConfig config;
};

Server::Server(storage::Store& store, AuthService& auth, ServerConfig config)
    : impl_(std::make_unique<Impl>()) {
  impl_->config = config;
  Api api(store, auth, config.identifier_secret);
  routes_ = api.Routes();
  httplib::Server& http = impl_->http;
  size_t threads = static_cast<size_t>(std::max(1, config.threads));
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // The transport admits uploads; JSON routes hold their bodies to max_body_bytes below.
  http.set_payload_max_length(std::max(config.max_body_bytes, config.max_upload_bytes));
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
    std::vector<std::string> names;
    std::string pattern = TemplateToRegex(route.path, &names);
    bool secure_cookies = config.secure_cookies;
    const size_t max_json_bytes = config.max_body_bytes;
    httplib::Server::Handler handler = [&auth, route, names, secure_cookies, max_json_bytes](
                                           const httplib::Request& req, httplib::Response& res) {
      ApiRequest request;
      request.method = route.method;
      for (size_t i = 0; i < names.size(); ++i)
        request.path_params[names[i]] = req.matches[static_cast<long>(i + 1)];
      for (const auto& [k, v] : req.params) request.query.emplace(k, v);
      for (const auto& [k, v] : req.headers) {
        std::string lower = k;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        request.headers[lower] = v;
      }
      request.body = req.body;
      request.remote_address = req.remote_addr;

      std::string bearer = req.get_header_value("Authorization");
      std::optional<std::pair<std::string, CredentialSource>> credential;
      if (bearer.rfind("Bearer ", 0) == 0) {
        credential.emplace(bearer.substr(7), CredentialSource::kBearer);
      } else if (std::string cookie = CookieValue(req, kSessionCookie); !cookie.empty()) {
        credential.emplace(cookie, CredentialSource::kCookie);
      }
      // Public routes ignore credentials: a stale cookie must not turn a log-in into a CSRF
      // failure, and nothing public depends on who asks.
      if (credential && route.requires_auth) {
        Result<Authenticated> who = auth.Authenticate(credential->first, credential->second);
        if (!who.ok()) return WriteError(res, who.status());
        request.auth = std::move(who).value();
      }
      if (route.requires_auth && !request.auth) {
        return WriteError(res, Unauthenticated("log in or send Authorization: Bearer TOKEN"));
      }
      if (request.auth && request.auth->source == CredentialSource::kCookie &&
          !IsSafeMethod(route.method) &&
          !ConstantTimeEquals(req.get_header_value("X-CSRF-Token"), request.auth->csrf_token)) {
        return WriteError(res, Status(StatusCode::kPermissionDenied,
                                      "missing or wrong X-CSRF-Token header for a cookie session",
                                      "X-CSRF-Token", "csrf_failed"));
      }
      if (!req.body.empty()) {
        std::string type = req.get_header_value("Content-Type");
        if (route.body_types.empty()) {
          if (type.rfind("application/json", 0) != 0) {
            return WriteError(res, Status(StatusCode::kUnsupportedMediaType,
                                          "request bodies must be application/json", "Content-Type",
                                          "unsupported_media_type"));
          }
          if (req.body.size() > max_json_bytes) {
            return WriteError(res, Status(StatusCode::kPayloadTooLarge,
                                          "the request body is larger than " +
                                              std::to_string(max_json_bytes) + " bytes",
                                          "", "payload_too_large"));
          }
        } else if (std::none_of(route.body_types.begin(), route.body_types.end(),
                                [&type](const std::string& t) { return type.rfind(t, 0) == 0; })) {
          std::string accepted;
          for (const std::string& t : route.body_types)
            accepted += (accepted.empty() ? "" : ", ") + t;
          return WriteError(
              res, Status(StatusCode::kUnsupportedMediaType, "this route takes " + accepted,
                          "Content-Type", "unsupported_media_type"));
        }
      }
      Result<ApiResponse> out = route.handler(request);
      if (!out.ok()) return WriteError(res, out.status());
      for (const auto& [name, value] : out->headers) {
        std::string header = value;
        if (name == "Set-Cookie" && secure_cookies) header += "; Secure";
        res.set_header(name, header);
      }
      if (out->raw_body) {
        res.status = out->status;
        res.set_content(*out->raw_body, out->content_type);
        return;
      }
      WriteJson(res, out->status, out->body);
    };
    if (route.method == "GET")
      http.Get(pattern, handler);
    else if (route.method == "POST")
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
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
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
