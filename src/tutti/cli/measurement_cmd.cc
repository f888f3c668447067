// `tutti contract`, `tutti ingest`, `tutti consent` and `tutti erase` (docs/ingest.md): the
// measurement side of the command line, thin over ingest/ and service/.
#include "tutti/cli/measurement_cmd.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "tutti/base/crypto.h"
#include "tutti/base/csv.h"
#include "tutti/cli/cli_support.h"
#include "tutti/ingest/contract.h"
#include "tutti/service/ingest.h"

namespace tutti::cli {
namespace {

struct MeasurementOptions {
  std::string activation;
  std::string org;
  std::string file;
  std::string feed;
  std::string format;
  std::string errors_as = "json";
  std::string idempotency_key;
  std::string secret_file = "tutti-data/identifier-secret";
  std::string user_key;
  std::string email;
  std::string purpose;
  std::string region = "*";
  std::string granted;
};

storage::OrgRecord FindOrg(storage::Store& store, const std::string& name_or_id) {
  Result<storage::OrgRecord> by_id = store.GetOrg(name_or_id);
  if (by_id.ok()) return *by_id;
  return Check(store.FindOrgByName(name_or_id));
}

// The user key an e-mail pseudonymizes to in this deployment, or the key given as is.
std::string UserKey(const MeasurementOptions& o) {
  if (!o.email.empty()) {
    std::string secret = Check(service::LoadOrCreateIdentifierSecret(o.secret_file));
    return ingest::PseudonymizeIdentifier(ingest::IdentifierKind::kEmail, o.email, secret);
  }
  if (o.user_key.empty()) {
    throw Failure{
        InvalidArgument("give --user-key KEY or --email ADDRESS", "user_key", "required")};
  }
  return o.user_key;
}

void PrintErrors(const Json& report, const std::string& as) {
  if (as == "csv") {
    std::cout << "line,field,reason,message\n";
    for (const Json& e : report["errors"]) {
      std::cout << e["line"].get<int64_t>() << "," << CsvField(e["field"].get<std::string>()) << ","
                << CsvField(e["reason"].get<std::string>()) << ","
                << CsvField(e["message"].get<std::string>()) << "\n";
    }
  } else {
    std::cout << report.dump(2) << "\n";
  }
}

}  // namespace

void AddMeasurementCommands(CLI::App& app, std::string* db_url, int* exit_code) {
  auto options = std::make_shared<MeasurementOptions>();
  auto add_db = [db_url](CLI::App* cmd) {
    cmd->add_option("--db", *db_url, "Database URL (sqlite:PATH or postgresql://…)")
        ->capture_default_str();
  };
  auto add_secret = [options](CLI::App* cmd) {
    cmd->add_option("--secret-file", options->secret_file,
                    "The deployment's HMAC key for raw identifiers (created on first use)")
        ->capture_default_str();
  };

  auto* contract_cmd = app.add_subcommand("contract", "Data contracts of partner feeds");
  contract_cmd->require_subcommand(1);
  auto* put = contract_cmd->add_subcommand(
      "put",
      "Store a feed's data contract (a new version when the feed exists). The file is the "
      "contract JSON of docs/ingest.md; it is checked before anything is stored");
  add_db(put);
  put->add_option("--activation", options->activation, "Activation id (act_…)")->required();
  put->add_option("--org", options->org, "The partner organisation sending the feed (name or id)")
      ->required();
  put->add_option("CONTRACT", options->file, "Contract JSON file")->required();
  put->callback([options, db_url] {
    Json document = ReadJsonObjectFile(options->file, "file");
    ingest::DataContract parsed = Check(ingest::ParseContract(document));
    auto db = OpenAndMigrate(*db_url);
    storage::Store store(*db, SystemClock::Get());
    storage::OrgRecord org = FindOrg(store, options->org);
    auto stored = Check(store.PutDataContract(
        options->activation, org.id, parsed.feed, ingest::ContractToJson(parsed), kCliActor,
        [](const storage::ActivationRecord&) { return OkStatus(); }));
    std::cout << "feed " << stored.feed << " of " << stored.org_name << ": contract version "
              << stored.version << "\n";
  });
  auto* list =
      contract_cmd->add_subcommand("list", "List an activation's feeds and their contracts");
  add_db(list);
  list->add_option("--activation", options->activation, "Activation id (act_…)")->required();
  list->callback([options, db_url] {
    auto db = OpenAndMigrate(*db_url);
    storage::Store store(*db, SystemClock::Get());
    for (const auto& c : Check(store.ListDataContracts(options->activation))) {
      std::cout << c.org_name << "\t" << c.feed << "\tversion " << c.version << "\tlast delivery "
                << (c.last_delivery_at.empty() ? "never" : c.last_delivery_at) << "\n";
    }
  });

  auto* ingest_cmd = app.add_subcommand(
      "ingest",
      "Validate a file of events (CSV or NDJSON, plain or gzip) against its feed's contract and "
      "store the good ones in one batch. Rejected records are listed with line, field and reason "
      "on standard output. Exit 0 when every record was stored (or already was), 4 when some "
      "were rejected, 1 when nothing could be read");
  add_db(ingest_cmd);
  add_secret(ingest_cmd);
  ingest_cmd->add_option("--feed", options->feed, "The feed's name in its contract")->required();
  ingest_cmd->add_option("--org", options->org,
                         "The feed's organisation (name or id) when several have this feed name");
  ingest_cmd->add_option("--format", options->format,
                         "csv or ndjson (default: from the file name, .csv or .ndjson/.jsonl, "
                         "optionally .gz)");
  ingest_cmd->add_option("--errors", options->errors_as, "Report format: json or csv")
      ->check(CLI::IsMember({"json", "csv"}))
      ->capture_default_str();
  ingest_cmd->add_option("--idempotency-key", options->idempotency_key,
                         "Re-running with the same key replays the first report");
  ingest_cmd->add_option("FILE", options->file, "Events file, or - for standard input")->required();
  ingest_cmd->callback([options, db_url, exit_code] {
    std::string format_name = options->format;
    if (format_name.empty()) {
      std::string name = options->file;
      if (name.ends_with(".gz")) name.resize(name.size() - 3);
      format_name = name.ends_with(".csv")                                    ? "csv"
                    : (name.ends_with(".ndjson") || name.ends_with(".jsonl")) ? "ndjson"
                                                                              : "";
      if (format_name.empty()) {
        throw Failure{
            InvalidArgument("cannot tell the format from the file name; pass "
                            "--format csv or --format ndjson",
                            "format", "required")};
      }
    }
    service::IngestRequest request;
    request.format = Check(ingest::ParseFileFormat(format_name));
    std::string secret = Check(service::LoadOrCreateIdentifierSecret(options->secret_file));
    auto db = OpenAndMigrate(*db_url);
    storage::Store store(*db, SystemClock::Get());
    storage::DataContractRecord contract;
    if (!options->org.empty()) {
      contract = Check(store.FindDataContract(FindOrg(store, options->org).id, options->feed));
    } else {
      int matches = 0;
      for (const auto& c : Check(store.ListAllDataContracts())) {
        if (c.feed == options->feed) {
          contract = c;
          ++matches;
        }
      }
      if (matches == 0) throw Failure{NotFound("no feed \"" + options->feed + "\"", "feed")};
      if (matches > 1) {
        throw Failure{InvalidArgument(
            "several organisations have a feed \"" + options->feed + "\"; name one with --org",
            "org", "ambiguous")};
      }
    }
    std::ifstream file;
    std::istream* in = &std::cin;
    if (options->file != "-") {
      file.open(options->file, std::ios::binary);
      if (!file) throw Failure{InvalidArgument("cannot read " + options->file, "FILE")};
      in = &file;
    }
    if (!options->idempotency_key.empty()) {
      request.idempotency_key = options->idempotency_key;
      // The file's name and size stand for its content: hashing 10 GB twice is not worth it.
      request.request_hash = HexEncode(Sha256(options->file + ":" + format_name));
    }
    auto outcome = Check(service::RunIngest(store, contract, *in, request, secret, kCliActor));
    const Json& r = outcome.report;
    std::cerr << "tutti ingest: " << (outcome.replayed ? "replayed batch " : "batch ")
              << outcome.batch_id << ": " << r["records"].get<int64_t>() << " records, "
              << r["stored"].get<int64_t>() << " stored, " << r["duplicates"].get<int64_t>()
              << " already there, " << r["erased"].get<int64_t>() << " of erased keys, "
              << r["rejected"].get<int64_t>() << " rejected\n";
    PrintErrors(r, options->errors_as);
    if (r["rejected"].get<int64_t>() > 0) *exit_code = 4;
  });

  auto* consent = app.add_subcommand("consent", "The consent registry");
  consent->require_subcommand(1);
  auto* consent_set = consent->add_subcommand(
      "set", "Record a user key's consent for a purpose (measurement or sharing) and region");
  add_db(consent_set);
  add_secret(consent_set);
  consent_set->add_option("--user-key", options->user_key, "The pseudonymous user key");
  consent_set->add_option("--email", options->email,
                          "…or the e-mail it was derived from (hashed here, never stored)");
  consent_set->add_option("--purpose", options->purpose, "measurement or sharing")
      ->required()
      ->check(CLI::IsMember({"measurement", "sharing"}));
  consent_set->add_option("--region", options->region, "ISO 3166 region, or * for everywhere")
      ->capture_default_str();
  consent_set->add_option("--granted", options->granted, "true (consents) or false (opts out)")
      ->required()
      ->check(CLI::IsMember({"true", "false"}));
  consent_set->callback([options, db_url] {
    std::string key = UserKey(*options);
    auto db = OpenAndMigrate(*db_url);
    storage::Store store(*db, SystemClock::Get());
    Check(store.PutConsent(storage::ConsentRecord{key, options->purpose, options->region,
                                                  options->granted == "true", "cli", ""},
                           kCliActor));
    std::cout << "consent recorded: " << options->purpose << " in " << options->region << " "
              << (options->granted == "true" ? "granted" : "opted out") << "\n";
  });

  auto* erase = app.add_subcommand(
      "erase",
      "Erase a user key everywhere (events and consents); later events of the key are refused. "
      "Audited without the key");
  add_db(erase);
  add_secret(erase);
  erase->add_option("--user-key", options->user_key, "The pseudonymous user key");
  erase->add_option("--email", options->email, "…or the e-mail it was derived from");
  erase->callback([options, db_url] {
    std::string key = UserKey(*options);
    auto db = OpenAndMigrate(*db_url);
    storage::Store store(*db, SystemClock::Get());
    int64_t removed = Check(store.EraseUserKey(key, kCliActor));
    std::cout << "erased: " << removed << " event(s) removed\n";
  });
}

}  // namespace tutti::cli
