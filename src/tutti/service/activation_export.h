// An activation exported as one ustar archive for audits (docs/archive.md, "Export"): JSON
// documents of everything stored about it (brief and members, plan, assets, approvals, gates,
// crisis templates and roster, retention policy and legal holds, its audit entries) plus every
// asset version's file under files/<sha256>, and last a manifest.json naming each member with
// its SHA-256 and size, so that an auditor can check the copy with sha256sum alone. Written
// through base/tar.h to a sink the caller chooses (an HTTP body, a file). Who may export is the
// caller's to decide (governance::CanExportActivation); this only reads.
//
// Thread-safety: no state of its own; the Store and BlobStore are thread-safe. The export reads
// in several transactions, so a change made meanwhile may appear in one document and not in
// another; the audit entries listed end at the sequence number the manifest records.
#pragma once

#include <string>

#include "tutti/base/tar.h"
#include "tutti/storage/blob_store.h"
#include "tutti/storage/store.h"

namespace tutti::service {

inline constexpr char kExportFormat[] = "tutti-activation-export/1";

struct ExportSummary {
  int64_t members = 0;  // tar members, manifest included
  int64_t files = 0;    // distinct asset files
  uint64_t bytes = 0;   // archive size
};

// Writes the archive of `activation_id` to `sink`, stamped with the store's clock. Errors:
// kNotFound for an unknown activation; kInternal naming the digest when an asset file is missing
// from the blob store or its bytes do not hash to its name; the sink's error as it is.
Result<ExportSummary> WriteActivationExport(storage::Store& store, const storage::BlobStore& blobs,
                                            const std::string& activation_id,
                                            const TarWriter::Sink& sink);

}  // namespace tutti::service
