// End-to-end API load driver: starts the real server on a loopback port over a fresh database
// with the demo seeded, then drives it from N client threads with keep-alive connections for a
// fixed time per endpoint, reporting requests/s and latency percentiles. The baseline in the same
// run is GET /healthz (routing + one trivial query); the others add authentication, access
// checks and real reads. Usage:
//   tutti_api_load [--db URL] [--threads N] [--seconds S]
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>
#include <vector>

#include "tutti/base/crypto.h"
#include "tutti/cli/cli.h"
#include "tutti/http/server.h"
#include "tutti/storage/migrations.h"

namespace {

struct Figures {
  double requests_per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  int64_t failures = 0;
};

Figures Drive(int port, const std::string& path, const std::string& token, int threads,
              double seconds) {
  std::atomic<bool> stop{false};
  std::atomic<int64_t> failures{0};
  std::vector<std::vector<double>> latencies(static_cast<size_t>(threads));
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      httplib::Headers headers;
      if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
      auto& mine = latencies[static_cast<size_t>(t)];
      while (!stop.load(std::memory_order_relaxed)) {
        auto start = std::chrono::steady_clock::now();
        auto res = client.Get(path, headers);
        auto end = std::chrono::steady_clock::now();
        if (!res || res->status != 200) ++failures;
        mine.push_back(std::chrono::duration<double, std::milli>(end - start).count());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& w : workers) w.join();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  Figures f;
  if (all.empty()) return f;
  f.requests_per_second = static_cast<double>(all.size()) / seconds;
  f.p50_ms = all[all.size() / 2];
  f.p99_ms = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  f.failures = failures;
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  std::string db_url;
  int threads = 16;
  double seconds = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--db") db_url = argv[i + 1];
    if (flag == "--threads") threads = std::stoi(argv[i + 1]);
    if (flag == "--seconds") seconds = std::stod(argv[i + 1]);
  }
  if (!tutti::InitCrypto().ok()) return 1;
  auto dir = std::filesystem::temp_directory_path() / ("tutti-load-" + std::to_string(::getpid()));
  if (db_url.empty()) db_url = "sqlite:" + (dir / "load.db").string();
  auto db = tutti::storage::OpenDatabase(db_url);
  if (!db.ok()) {
    std::cerr << db.status().ToString() << "\n";
    return 1;
  }
  if (!tutti::storage::ApplyMigrations(**db).ok()) return 1;
  tutti::storage::Store store(**db, tutti::SystemClock::Get());
  std::ostringstream ignored;
  if (!tutti::cli::SeedDemo(store, ignored).ok()) return 1;
  tutti::http::AuthService auth(store, {});
  tutti::http::Server server(store, auth, {"127.0.0.1", 0, "", 1 << 20, false});
  auto port = server.Bind();
  if (!port.ok()) return 1;
  std::thread serving([&] { (void)server.Serve(); });

  httplib::Client login("127.0.0.1", *port);
  auto res = login.Post("/api/v1/auth/login",
                        R"({"email":"sam@streamco.example","password":"tutti-demo-partner"})",
                        "application/json");
  if (!res || res->status != 200) return 1;
  std::string token = tutti::Json::parse(res->body)["token"];
  auto list = tutti::Json::parse(
      login.Get("/api/v1/activations", {{"Authorization", "Bearer " + token}})->body);
  std::string activation = list["items"][0]["id"];
  auto feed = login.Post("/api/v1/calendar-feeds", {{"Authorization", "Bearer " + token}},
                         R"({"kind":"org"})", "application/json");
  if (!feed || feed->status != 201) return 1;
  std::string feed_url = tutti::Json::parse(feed->body)["url"];
  std::string feed_path = feed_url.substr(feed_url.find("/feeds/"));

  std::cout << "database " << (*db)->DisplayUrl() << ", " << threads << " client threads, "
            << seconds << " s per endpoint\n";
  std::cout << "endpoint                                   req/s     p50 ms   p99 ms  failures\n";
  for (const auto& [label, path, auth_token] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"GET /healthz (baseline)", "/healthz", ""},
           {"GET /api/v1/me", "/api/v1/me", token},
           {"GET /api/v1/activations", "/api/v1/activations", token},
           {"GET /api/v1/activations/{id}/partners",
            "/api/v1/activations/" + activation + "/partners", token},
           // Both documents are computed again on every read: the plan engine (9 milestones,
           // working calendars) and the conflict checks (9 posts, 12 windows).
           {"GET /api/v1/activations/{id}/milestones",
            "/api/v1/activations/" + activation + "/milestones", token},
           {"GET /api/v1/activations/{id}/posts", "/api/v1/activations/" + activation + "/posts",
            token},
           // A calendar client's poll: token lookup, plan + VTIMEZONEs written as iCalendar.
           {"GET /feeds/{token}.ics (org feed)", feed_path, ""}}) {
    Figures f = Drive(*port, path, auth_token, threads, seconds);
    std::printf("%-40s %8.0f %9.2f %8.2f %9lld\n", label.c_str(), f.requests_per_second, f.p50_ms,
                f.p99_ms, static_cast<long long>(f.failures));
  }
  server.Stop();
  serving.join();
  std::filesystem::remove_all(dir);
  return 0;
}
