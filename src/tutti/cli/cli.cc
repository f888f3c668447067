#include "tutti/cli/cli.h"

#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "tutti/base/crypto.h"
#include "tutti/cli/asset_cmd.h"
#include "tutti/cli/attribution_cmd.h"
#include "tutti/cli/cli_support.h"
#include "tutti/cli/export_cmd.h"
#include "tutti/cli/freeze_cmd.h"
#include "tutti/cli/gate_cmd.h"
#include "tutti/cli/measurement_cmd.h"
#include "tutti/core/roles.h"
#include "tutti/governance/audit_chain.h"
#include "tutti/http/auth.h"
#include "tutti/http/server.h"
#include "tutti/scheduling/plan.h"
#include "tutti/service/approvals.h"
#include "tutti/service/ingest.h"
#include "tutti/service/job_runner.h"
#include "tutti/service/retention.h"
#include "tutti/storage/migrations.h"

namespace tutti::cli {
namespace {

struct PasswordOptions {
  uint64_t memory_mib = 19;
  uint64_t passes = 2;
  PasswordHashParams Params() const { return {memory_mib * 1024 * 1024, passes}; }
};

void AddPasswordOptions(CLI::App* cmd, PasswordOptions* options) {
  cmd->add_option("--argon2-memory-mib", options->memory_mib,
                  "Argon2id memory cost for new and upgraded password hashes")
      ->check(CLI::Range(19, 4096))
      ->capture_default_str();
  cmd->add_option("--argon2-passes", options->passes, "Argon2id passes (time cost)")
      ->check(CLI::Range(2, 10))
      ->capture_default_str();
}

std::pair<std::string, int> ParseListen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    throw Failure{InvalidArgument("--listen must be HOST:PORT, e.g. 127.0.0.1:8080", "listen")};
  }
  std::string host = listen.substr(0, colon);
  int port = -1;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (const std::exception&) {
  }
  if (port < 0 || port > 65535) {
    throw Failure{InvalidArgument("--listen port must be 0..65535", "listen")};
  }
  return {host, port};
}

int Serve(const std::string& db_url, const std::string& listen, http::ServerConfig config,
          const PasswordOptions& passwords, std::chrono::milliseconds job_poll_interval) {
  // Block the stop signals before any thread starts, so that only the waiter below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto db = OpenAndMigrate(db_url);
  storage::Store store(*db, SystemClock::Get());
  // Background jobs (approval escalations, the daily retention sweep) run beside the server; the
  // database leases each job to one runner, so several instances on one PostgreSQL share the queue.
  service::JobRunner jobs(
      store, {.owner = service::JobRunner::DefaultOwner(), .poll_interval = job_poll_interval});
  service::HandleApprovalJobs(jobs, store);
  Check(service::HandleRetentionJobs(jobs, store, config.data_dir));
  http::AuthConfig auth_config;
  auth_config.password_params = passwords.Params();
  http::AuthService auth(store, auth_config);
  auto [host, port] = ParseListen(listen);
  config.host = host;
  config.port = port;
  http::Server server(store, auth, config);
  int bound = Check(server.Bind());
  // A tz database update since the last start may have moved stored launches: say so up front
  // (the plan pages show it too, until someone runs `tutti tzdata check --accept`).
  std::ostringstream launch_report;
  if (Result<int> moved = CheckStoredLaunches(store, false, launch_report);
      moved.ok() && *moved > 0) {
    std::cerr << "tutti serve: warning: the tz database moved stored launches:\n"
              << launch_report.str();
  }

  std::thread waiter([&server, stop_signals] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    std::cerr << "tutti serve: " << (signal_number == SIGTERM ? "SIGTERM" : "SIGINT")
              << " received, finishing requests in flight\n";
    server.Stop();
  });
  std::cout << "Tutti is listening on http://" << host << ":" << bound << "  (database "
            << db->DisplayUrl() << ")" << std::endl;
  jobs.Start();
  Status served = server.Serve();
  jobs.Stop();
  // Wake the waiter if the server stopped for another reason.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  Check(served);
  std::cerr << "tutti serve: stopped cleanly\n";
  return 0;
}

// The plan file format in brief, shown under each `schedule` command's --help.
constexpr char kPlanFormatHelp[] =
    "PLAN is JSON (every key in docs/scheduling.md):\n"
    "  {\"launch\": {\"at\": \"2026-06-01T13:00:00Z\"}, or the same local time in every market:\n"
    "              {\"local\": \"2026-06-01T09:00\",\n"
    "               \"markets\": [{\"name\": \"US\", \"tz\": \"America/New_York\"}, ...],\n"
    "               \"on_gap\": \"error\" | \"shift_forward\",\n"
    "               \"on_overlap\": \"error\" | \"earliest\" | \"latest\"},\n"
    "   \"fallback\": {a second launch of the same shape, optional},\n"
    "   \"milestones\": [{\"id\": \"qa\", \"duration\": \"36h\",\n"
    "                   \"after\": [\"brief\", {\"id\": \"legal\", \"lag\": \"4h\"}],\n"
    "                   \"owner\": \"ana\", \"buffer\": \"1d\", \"market\": \"US\",\n"
    "                   \"actual_start\": \"...Z\", \"actual_finish\": \"...Z\"}, ...],\n"
    "   \"calendars\": {\"ana\": {\"tz\": \"Europe/Paris\", \"days\": [\"mon\", ...],\n"
    "                          \"hours\": [\"09:00\", \"17:00\"], \"holidays\": "
    "[\"2026-05-01\"]}},\n"
    "   \"default_calendar\": {same shape as a calendar}}\n"
    "Durations, lags and buffers: an integer with s, m, h, d or w (calendar time) or wd (working\n"
    "days on the owner's calendar). PLAN - reads standard input. An invalid plan exits 1 with one\n"
    "line naming the problem.\n";

constexpr size_t kMaxPlanBytes = size_t{1} << 30;

// Reads and validates PLAN ("-" for standard input).
scheduling::Plan LoadPlan(const std::string& path) {
  std::ifstream file;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) {
      throw Failure{Status(StatusCode::kNotFound,
                           "cannot open " + path + ": " + std::strerror(errno), "PLAN",
                           "cannot_open")};
    }
  }
  std::istream& in = path == "-" ? std::cin : file;
  std::string text;
  std::string chunk(size_t{1} << 16, '\0');
  while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
    text.append(chunk.data(), static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxPlanBytes) {
      throw Failure{Status(StatusCode::kPayloadTooLarge, "a plan file is at most 1 GiB", "PLAN",
                           "too_large")};
    }
  }
  Json document;
  try {
    document = Json::parse(text);
  } catch (const Json::parse_error& e) {
    // nlohmann's message starts "[json.exception.parse_error.101] parse error at line …".
    std::string message = e.what();
    if (auto bracket = message.find("] "); bracket != std::string::npos) {
      message = message.substr(bracket + 2);
    }
    throw Failure{Status(StatusCode::kMalformed,
                         (path == "-" ? "standard input" : path) + " is not valid JSON: " + message,
                         "PLAN", "malformed_json")};
  }
  return Check(scheduling::ParsePlan(document));
}

CLI::Validator InstantValidator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        Result<Instant> parsed = ParseInstant(text);
        return parsed.ok() ? std::string() : parsed.status().message();
      },
      "ISO-8601", "instant");
}

// "ID=DURATION", split at the last '=' (ids may contain one, durations never do).
std::pair<std::string, scheduling::PlanDuration> SplitDelay(const std::string& text) {
  const size_t equals = text.rfind('=');
  if (equals == std::string::npos || equals == 0) return {};
  Result<scheduling::PlanDuration> duration = scheduling::ParseDuration(text.substr(equals + 1));
  if (!duration.ok()) return {};
  return {text.substr(0, equals), *duration};
}

CLI::Validator DelayValidator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (SplitDelay(text).first.empty()) {
          return "expected ID=DURATION with a duration like 3d, 36h or 2wd, got " + text;
        }
        return {};
      },
      "ID=DURATION", "delay");
}

Instant NowOr(const std::string& now_text) {
  return now_text.empty() ? SystemClock::Get().Now() : Check(ParseInstant(now_text));
}

void PrintJson(const Json& json) { std::cout << json.dump(2) << "\n"; }

void AddScheduleCommands(CLI::App& app, std::string* plan_path, std::string* now_text,
                         std::string* delay_text) {
  auto* schedule = app.add_subcommand(
      "schedule", "Plan milestones back from a launch: slack, critical path, launch at risk");
  schedule->require_subcommand(1);
  schedule->footer("See docs/scheduling.md for the plan format and the rules.");
  auto add_common = [&](CLI::App* cmd, const std::string& output) {
    cmd->add_option("PLAN", *plan_path, "Plan file (JSON), or - for standard input")->required();
    cmd->add_option("--now", *now_text,
                    "Plan forward from this instant, e.g. 2026-05-20T09:00:00Z (default: now)")
        ->check(InstantValidator());
    cmd->footer(std::string(kPlanFormatHelp) + output);
  };

  auto* plan =
      schedule->add_subcommand("plan", "Compute the schedule of a plan file and print it as JSON");
  add_common(plan,
             "Output: {\"launch\": {market: UTC instant}, \"milestones\": [{\"id\",\n"
             "\"earliest_start\", \"earliest_finish\", \"latest_start\", \"latest_finish\",\n"
             "\"slack_seconds\", \"critical\"}], \"critical_path\": [ids], \"at_risk\": bool,\n"
             "\"markets_at_risk\": [markets]}.\n");
  plan->callback([plan_path, now_text] {
    scheduling::Plan parsed = LoadPlan(*plan_path);
    PrintJson(
        scheduling::ScheduleToJson(Check(scheduling::ComputeSchedule(parsed, NowOr(*now_text)))));
  });

  auto* what_if = schedule->add_subcommand(
      "what-if", "Delay one milestone and report what it pushes past the launch");
  add_common(what_if,
             "Output: {\"schedule\": (as schedule plan, with the delay), \"pushed_past_launch\":\n"
             "[milestones whose slack became negative], \"markets_missed\": [markets newly at "
             "risk]}.\n");
  what_if
      ->add_option("--delay", *delay_text,
                   "ID=DURATION: start milestone ID this much later (e.g. legal=2d, qa=3wd)")
      ->required()
      ->check(DelayValidator());
  what_if->callback([plan_path, now_text, delay_text] {
    scheduling::Plan parsed = LoadPlan(*plan_path);
    auto [id, delay] = SplitDelay(*delay_text);
    scheduling::DelayImpact impact =
        Check(scheduling::DelayMilestone(parsed, NowOr(*now_text), id, delay));
    PrintJson(Json{{"schedule", scheduling::ScheduleToJson(impact.schedule)},
                   {"pushed_past_launch", impact.pushed_past_launch},
                   {"markets_missed", impact.markets_missed}});
  });

  auto* fallback = schedule->add_subcommand(
      "fallback", "Compute the plan against its fallback launch and say whether it holds");
  add_common(fallback,
             "Output: {\"schedule\": (as schedule plan, against the fallback launch), \"holds\":\n"
             "true when no milestone has negative slack}. A plan without \"fallback\" exits 1.\n");
  fallback->callback([plan_path, now_text] {
    scheduling::Plan parsed = LoadPlan(*plan_path);
    scheduling::FallbackVerdict verdict =
        Check(scheduling::EvaluateFallback(parsed, NowOr(*now_text)));
    PrintJson(
        Json{{"schedule", scheduling::ScheduleToJson(verdict.schedule)}, {"holds", verdict.holds}});
  });
}

}  // namespace

int Run(int argc, char** argv) {
  CLI::App app{
      "Tutti: plan, govern, launch and measure a multi-partner media activation.\n"
      "Storage is chosen by --db: sqlite:PATH (default) or postgresql://USER@HOST/DB.",
      "tutti"};
  app.set_version_flag("--version", std::string("tutti ") + TUTTI_VERSION);
  app.require_subcommand(1);
  std::string db_url = kDefaultDatabaseUrl;
  auto add_db = [&db_url](CLI::App* cmd) {
    cmd->add_option("--db", db_url, "Database URL: sqlite:PATH or postgresql://…")
        ->capture_default_str();
  };
  int exit_code = 0;

  auto* serve = app.add_subcommand("serve", "Run the HTTP API and web UI");
  add_db(serve);
  std::string listen = "127.0.0.1:8080";
  http::ServerConfig server_config;
  std::string secret_file = "tutti-data/identifier-secret";
  PasswordOptions passwords;
  int64_t job_poll_ms = 5000;
  serve->add_option("--listen", listen, "HOST:PORT to listen on (port 0 picks a free port)")
      ->capture_default_str();
  serve->add_option("--web-root", server_config.web_root, "Directory of the built web UI")
      ->default_str(http::DefaultWebRoot());
  serve
      ->add_option("--max-body-bytes", server_config.max_body_bytes,
                   "Largest accepted JSON request body (413 above)")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 30))
      ->capture_default_str();
  serve
      ->add_option("--max-upload-bytes", server_config.max_upload_bytes,
                   "Most of one event upload held in memory: an upload this size or smaller is "
                   "read whole before its batch starts, a larger one streams through a buffer "
                   "this size")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 34))
      ->capture_default_str();
  serve
      ->add_option("--max-ingest-bytes", server_config.max_ingest_bytes,
                   "Largest accepted event upload, read as a stream (a gzip file counts "
                   "compressed; 413 above; 0: no limit)")
      ->capture_default_str();
  serve
      ->add_option("--min-aggregate-users", server_config.min_aggregate_users,
                   "k-anonymity: shared aggregate cells (attribution by channel, other partners' "
                   "rows) backed by fewer distinct users are suppressed")
      ->check(CLI::Range(size_t{1}, size_t{1000000}))
      ->capture_default_str();
  serve
      ->add_option("--secret-file", secret_file,
                   "The deployment's HMAC key for raw identifiers (created on first use; share it "
                   "between instances of one database)")
      ->capture_default_str();
  serve
      ->add_option("--threads", server_config.threads,
                   "Worker threads; each open keep-alive connection holds one")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  serve
      ->add_option("--data-dir", server_config.data_dir,
                   "Data directory: uploaded asset files are kept under DIR/blobs")
      ->capture_default_str();
  serve
      ->add_option("--max-asset-bytes", server_config.max_asset_bytes,
                   "Largest accepted asset upload (413 above)")
      ->capture_default_str();
  serve->add_flag("--secure-cookies", server_config.secure_cookies,
                  "Mark the session cookie Secure (set this behind HTTPS)");
  serve
      ->add_option("--job-poll-ms", job_poll_ms,
                   "How often background jobs (approval escalations) are looked for, in ms")
      ->check(CLI::Range(int64_t{10}, int64_t{3600000}))
      ->capture_default_str();
  AddPasswordOptions(serve, &passwords);
  serve->callback([&] {
    server_config.identifier_secret = Check(service::LoadOrCreateIdentifierSecret(secret_file));
    exit_code =
        Serve(db_url, listen, server_config, passwords, std::chrono::milliseconds(job_poll_ms));
  });

  auto* migrate = app.add_subcommand("migrate", "Apply pending schema migrations");
  add_db(migrate);
  migrate->callback([&] {
    auto db = Check(storage::OpenDatabase(db_url));
    auto applied = Check(storage::ApplyMigrations(*db));
    int version = Check(storage::SchemaVersion(*db));
    std::cout << "schema at version " << version << " (" << applied.size()
              << " migration(s) applied now)\n";
  });

  auto* org = app.add_subcommand("org", "Manage organisations");
  org->require_subcommand(1);
  auto* org_add = org->add_subcommand("add", "Add an organisation (the host brand by default)");
  add_db(org_add);
  std::string org_name;
  bool partner = false;
  org_add->add_option("NAME", org_name, "Organisation name")->required();
  org_add->add_flag("--partner", partner, "The organisation is a partner, not the host brand");
  org_add->callback([&] {
    if (org_name.empty() || org_name.size() > 200) {
      throw Failure{InvalidArgument("NAME must be 1..200 characters", "NAME")};
    }
    auto db = OpenAndMigrate(db_url);
    storage::Store store(*db, SystemClock::Get());
    auto created = Check(store.CreateOrg(org_name, partner ? "partner" : "host", kCliActor));
    std::cout << created.id << "\t" << created.name << "\t" << created.kind << "\n";
  });

  auto* user = app.add_subcommand("user", "Manage users");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand(
      "add", "Add a user; the password is read from standard input (one line)");
  add_db(user_add);
  std::string user_org, email, name, role;
  bool password_stdin = false;
  PasswordOptions user_passwords;
  user_add->add_option("--org", user_org, "Organisation name")->required();
  user_add->add_option("--email", email, "Log-in email")->required();
  user_add->add_option("--name", name, "Display name")->required();
  user_add
      ->add_option("--role", role,
                   "owner, facilitator, workstream_owner, contributor, viewer or "
                   "partner_admin")
      ->required()
      ->check(CLI::IsMember(
          std::vector<std::string>(core::kRoleNames.begin(), core::kRoleNames.end())));
  user_add
      ->add_flag("--password-stdin", password_stdin,
                 "Read the password from stdin (required: passwords never go in argv)")
      ->required();
  AddPasswordOptions(user_add, &user_passwords);
  user_add->callback([&] {
    std::string password;
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (password.size() < 12 || password.size() > 128) {
      throw Failure{InvalidArgument("password must be 12..128 characters", "password")};
    }
    if (email.find('@') == std::string::npos || email.size() > 254) {
      throw Failure{InvalidArgument("--email must be an email address", "email")};
    }
    if (name.empty() || name.size() > 200) {
      throw Failure{InvalidArgument("--name must be 1..200 characters", "name")};
    }
    auto db = OpenAndMigrate(db_url);
    storage::Store store(*db, SystemClock::Get());
    auto org_record = Check(store.FindOrgByName(user_org));
    std::string hash = Check(HashPassword(password, user_passwords.Params()));
    auto created = Check(store.CreateUser(org_record.id, email, name, role, hash, kCliActor));
    std::cout << created.id << "\t" << created.email << "\t" << created.role << "\t"
              << org_record.name << "\n";
  });

  auto* demo = app.add_subcommand("demo", "Seed a realistic demo and print its log-ins");
  add_db(demo);
  demo->callback([&] {
    auto db = OpenAndMigrate(db_url);
    storage::Store store(*db, SystemClock::Get());
    Check(SeedDemo(store, std::cout));
    Check(SeedDemoMeasurement(store, std::cout));
    Check(SeedDemoApprovals(store, std::cout));
    Check(SeedDemoPublishing(store, std::cout));
  });

  auto* audit = app.add_subcommand("audit", "Inspect the audit trail");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand(
      "verify",
      "Check the hash chain: exit 0 when intact, 1 naming the first bad entry. Prints the head "
      "as SEQ:HASH; keep it and pass it later as --checkpoint to also detect truncation");
  add_db(verify);
  std::string checkpoint_text;
  verify->add_option("--checkpoint", checkpoint_text, "A head printed by an earlier verify");
  verify->callback([&] {
    std::optional<governance::AuditCheckpoint> checkpoint;
    if (!checkpoint_text.empty())
      checkpoint = Check(governance::ParseAuditCheckpoint(checkpoint_text));
    auto db = OpenAndMigrate(db_url);
    storage::Store store(*db, SystemClock::Get());
    governance::AuditChainVerifier verifier(checkpoint);
    Check(store.ForEachAuditEntry([&](const governance::AuditEntry& e) { verifier.Add(e); }));
    Check(verifier.Finish());
    std::cout << "audit chain intact: " << verifier.entries() << " entries, head "
              << verifier.entries() << ":" << verifier.head() << "\n";
  });

  auto* tzdata = app.add_subcommand(
      "tzdata", "Check stored launches against the system's tz database (after an update)");
  tzdata->require_subcommand(1);
  auto* tz_check = tzdata->add_subcommand(
      "check",
      "Resolve every stored plan's local launch time again and report launches whose instant "
      "moved since the plan was stored. Exit 0 when none moved (or with --accept), 1 when some "
      "did. --accept records the new instants (audited) so that the alert clears");
  add_db(tz_check);
  bool accept = false;
  tz_check->add_flag("--accept", accept, "Record the new instants after reviewing them");
  tz_check->callback([&] {
    auto db = OpenAndMigrate(db_url);
    storage::Store store(*db, SystemClock::Get());
    int moved = Check(CheckStoredLaunches(store, accept, std::cout));
    if (moved > 0 && !accept) exit_code = 1;
  });

  AddMeasurementCommands(app, &db_url, &exit_code);
  AddAttributionCommand(app, &exit_code);
  AddGateCommands(app, &db_url, &exit_code);
  AddAssetCommands(app, &db_url);
  AddArchiveCommands(app, &db_url);
  AddFreezeCommands(app, &db_url);

  std::string plan_path, now_text, delay_text;
  AddScheduleCommands(app, &plan_path, &now_text, &delay_text);

  try {
    Check(InitCrypto());
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version arrive here too, with status 0. CLI11 gives every other parse error a
    // code of its own (105, 106, …); cli.h promises 2 for all usage errors.
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const Failure& f) {
    std::cerr << "tutti: error: " << f.status.ToString() << "\n";
    return 1;
  }
  return exit_code;
}

}  // namespace tutti::cli
