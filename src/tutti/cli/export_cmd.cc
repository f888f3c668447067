#include "tutti/cli/export_cmd.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "tutti/cli/cli_support.h"
#include "tutti/service/activation_export.h"
#include "tutti/service/retention.h"

namespace tutti::cli {
namespace {

struct ExportOptions {
  std::string activation;
  std::string data_dir = "tutti-data";
  std::string out;
};

struct RetentionOptions {
  std::string data_dir = "tutti-data";
  bool dry_run = false;
};

void Export(const std::string& db_url, const ExportOptions& o) {
  auto db = OpenAndMigrate(db_url);
  storage::Store store(*db, SystemClock::Get());
  storage::BlobStore blobs(std::filesystem::path(o.data_dir) / "blobs");
  // Written beside the target and renamed at the end, so that FILE is either the whole archive
  // or absent: an auditor never receives half of one.
  const std::filesystem::path target(o.out);
  const std::filesystem::path partial = target.string() + ".partial";
  std::ofstream file(partial, std::ios::binary | std::ios::trunc);
  if (!file) {
    throw Failure{InvalidArgument("cannot write " + partial.string(), "out", "unwritable")};
  }
  TarWriter::Sink sink = [&file, &partial](std::string_view bytes) -> Status {
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!file) return Internal("writing " + partial.string() + " failed (disk full?)");
    return OkStatus();
  };
  Result<service::ExportSummary> summary =
      service::WriteActivationExport(store, blobs, o.activation, sink);
  file.close();
  if (!summary.ok() || !file) {
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    Check(summary.status());
    throw Failure{Internal("closing " + partial.string() + " failed")};
  }
  std::error_code renamed;
  std::filesystem::rename(partial, target, renamed);
  if (renamed) {
    throw Failure{Internal("renaming " + partial.string() + " to " + target.string() +
                           " failed: " + renamed.message())};
  }
  std::cout << "exported activation " << o.activation << " to " << o.out << ": " << summary->members
            << " members, " << summary->files << " asset files, " << summary->bytes << " bytes\n";
}

void RunRetention(const std::string& db_url, const RetentionOptions& o) {
  auto db = OpenAndMigrate(db_url);
  storage::Store store(*db, SystemClock::Get());
  storage::BlobStore blobs(std::filesystem::path(o.data_dir) / "blobs");
  service::RetentionRunReport report =
      Check(service::RunRetention(store, &blobs, o.dry_run, kCliActor));
  std::cout << (o.dry_run ? "retention dry run" : "retention run") << ": "
            << report.activations.size() << " activation(s), " << report.activations_on_hold
            << " on legal hold\n";
  std::printf("%-16s %8s %8s %8s\n", "kind", "keep", o.dry_run ? "would_delete" : "delete", "hold");
  for (const auto& [kind, c] : report.totals) {
    std::printf("%-16s %8lld %8lld %8lld\n", kind.c_str(), static_cast<long long>(c.keep),
                static_cast<long long>(c.remove), static_cast<long long>(c.hold));
  }
  std::fflush(stdout);
  if (!o.dry_run) std::cout << "files removed: " << report.files_removed << "\n";
}

}  // namespace

void AddArchiveCommands(CLI::App& app, std::string* db_url) {
  auto export_options = std::make_shared<ExportOptions>();
  auto* exporter = app.add_subcommand(
      "export",
      "Write an activation as one tar archive for audits: JSON documents, every asset file under "
      "files/<sha256>, and manifest.json with each member's SHA-256 and size");
  exporter->add_option("--db", *db_url, "Database URL: sqlite:PATH or postgresql://…")
      ->capture_default_str();
  exporter
      ->add_option("--data-dir", export_options->data_dir, "Data directory (files in DIR/blobs)")
      ->capture_default_str();
  exporter->add_option("--activation", export_options->activation, "Activation id")->required();
  exporter->add_option("--out", export_options->out, "The archive to write (FILE.tar)")->required();
  exporter->callback([db_url, export_options] { Export(*db_url, *export_options); });

  auto* retention = app.add_subcommand("retention", "Archive retention (docs/archive.md)");
  retention->require_subcommand(1);
  auto retention_options = std::make_shared<RetentionOptions>();
  auto* run = retention->add_subcommand(
      "run",
      "Sweep every activation now: delete what is past its retention policy and not on legal "
      "hold (one transaction and one audit entry per activation), then the asset files no version "
      "names any more. Prints per-kind counts of keep, delete and hold");
  run->add_option("--db", *db_url, "Database URL: sqlite:PATH or postgresql://…")
      ->capture_default_str();
  run->add_option("--data-dir", retention_options->data_dir, "Data directory (files in DIR/blobs)")
      ->capture_default_str();
  run->add_flag("--dry-run", retention_options->dry_run, "Count only; change nothing");
  run->callback([db_url, retention_options] { RunRetention(*db_url, *retention_options); });
}

}  // namespace tutti::cli
