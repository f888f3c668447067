// The measurement routes (docs/ingest.md): data contracts per partner feed with their delivery
// status, event uploads (CSV or NDJSON, plain or gzip, Idempotency-Key, Sec-GPC), consent and
// erasure. Validation is the ingest engine's; rights are governance's.
#include <istream>
#include <streambuf>
#include <vector>

#include "tutti/base/crypto.h"
#include "tutti/http/api_support.h"
#include "tutti/http/errors.h"
#include "tutti/ingest/contract.h"
#include "tutti/service/ingest.h"

namespace tutti::http {
namespace {

constexpr size_t kMaxIdempotencyKeyLength = 200;
constexpr size_t kMaxUserKeyLength = 200;

std::string Header(const ApiRequest& r, const char* name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? std::string() : it->second;
}

Json ContractJson(const storage::DataContractRecord& c, Instant now) {
  Json out{
      {"id", c.id},
      {"activation_id", c.activation_id},
      {"org_id", c.org_id},
      {"org_name", c.org_name},
      {"feed", c.feed},
      {"version", c.version},
      {"contract", c.document},
      {"created_at", c.created_at},
      {"updated_at", c.updated_at},
      {"last_delivery_at", c.last_delivery_at.empty() ? Json(nullptr) : Json(c.last_delivery_at)}};
  Result<ingest::DataContract> parsed = ingest::ParseContract(c.document);
  Result<Instant> created = ParseInstant(c.created_at);
  if (parsed.ok() && created.ok()) {
    std::optional<Instant> last;
    if (Result<Instant> l = ParseInstant(c.last_delivery_at); l.ok()) last = *l;
    ingest::DeliveryStatus status = ingest::FeedDeliveryStatus(*parsed, last, *created, now);
    out["delivery"] = Json{{"state", status.state}, {"due_by", FormatInstant(status.due_by)}};
  }
  return out;
}

// The pseudonymous key a request names: "user_key" as is, or "email" hashed here and forgotten.
Result<std::string> UserKeyFrom(const Json& body, std::string_view secret) {
  if (body.contains("user_key") == body.contains("email")) {
    return InvalidArgument("give exactly one of user_key or email", "user_key", "required");
  }
  if (body.contains("email")) {
    TUTTI_ASSIGN_OR_RETURN(std::string email, ReadString(body["email"], "email", 3, 320));
    return ingest::PseudonymizeIdentifier(ingest::IdentifierKind::kEmail, email, secret);
  }
  return ReadString(body["user_key"], "user_key", 1, kMaxUserKeyLength);
}

// An upload as the std::istream the record reader takes: pulls the body as the reader asks and
// hashes every byte on the way, for Idempotency-Key replays (the digest is SHA-256 of the
// content type, a newline and the body). A body that fails reads as ended; failure() tells the
// difference, and Digest() reports it inside the batch's transaction, so that a cut-off upload
// never commits. Used by the request's thread only.
class UploadStreamBuf final : public std::streambuf {
 public:
  UploadStreamBuf(BodyReader& body, std::string_view content_type)
      : body_(body), buffer_(kBufferBytes) {
    hash_.Update(content_type);
    hash_.Update("\n");
  }

  const Status& failure() const { return failure_; }

  // Reads what is left of the body (an Idempotency-Key replay reads no records) and returns the
  // hex digest of the request, or the body's failure. Once: the digest is final.
  Result<std::string> Digest() {
    while (!traits_type::eq_int_type(underflow(), traits_type::eof())) {
      setg(egptr(), egptr(), egptr());
    }
    if (!failure_.ok()) return failure_;
    return HexEncode(hash_.Finish());
  }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (ended_ || !failure_.ok()) return traits_type::eof();
    Result<size_t> read = body_.Read(buffer_.data(), buffer_.size());
    if (!read.ok()) {
      failure_ = read.status();
      return traits_type::eof();
    }
    if (*read == 0) {
      ended_ = true;
      return traits_type::eof();
    }
    hash_.Update(std::string_view(buffer_.data(), *read));
    setg(buffer_.data(), buffer_.data(), buffer_.data() + *read);
    return traits_type::to_int_type(*gptr());
  }

 private:
  static constexpr size_t kBufferBytes = 1 << 16;
  BodyReader& body_;
  std::vector<char> buffer_;
  Sha256Stream hash_;
  bool ended_ = false;
  Status failure_;
};

}  // namespace

std::vector<Route> MeasurementRoutes(storage::Store& store, const std::string& identifier_secret) {
  std::vector<Route> routes;

  routes.push_back(Route{"GET", "/api/v1/activations/{activation_id}/contracts", true,
                         [&store](ApiRequest& r) -> Result<ApiResponse> {
                           TUTTI_ASSIGN_OR_RETURN(auto a, VisibleActivation(store, r));
                           TUTTI_ASSIGN_OR_RETURN(auto contracts, store.ListDataContracts(a.id));
                           Json items = Json::array();
                           const Instant now = store.clock().Now();
                           for (const auto& c : contracts) items.push_back(ContractJson(c, now));
                           return Ok(Json{{"items", items}});
                         }});

  routes.push_back(Route{
      "PUT", "/api/v1/activations/{activation_id}/contracts/{feed}", true,
      [&store](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(auto visible, VisibleActivation(store, r));
        const std::string& feed = r.PathParam("feed");
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"org_id", "contract"}));
        if (!body.contains("contract")) {
          return InvalidArgument("is required", "contract", "required");
        }
        const governance::Principal& caller = Caller(r);
        std::string org_id = caller.org_id;
        if (body.contains("org_id")) {
          TUTTI_ASSIGN_OR_RETURN(org_id, ReadString(body["org_id"], "org_id", 1, 64));
        }
        Json document = body["contract"];
        if (document.is_object() && !document.contains("feed")) document["feed"] = feed;
        Result<ingest::DataContract> parsed = ingest::ParseContract(document);
        if (!parsed.ok()) {
          Status status = parsed.status();
          return Status(status.code(), status.message(), JoinPath("contract", status.field()),
                        status.reason());
        }
        if (parsed->feed != feed) {
          return InvalidArgument("the contract's feed must be the one in the path", "contract.feed",
                                 "feed_mismatch");
        }
        TUTTI_ASSIGN_OR_RETURN(
            auto stored, store.PutDataContract(
                             visible.id, org_id, feed, ingest::ContractToJson(*parsed), ActorOf(r),
                             [&](const storage::ActivationRecord& a) -> Status {
                               if (!governance::CanViewActivation(caller, a.Access())) {
                                 return NotVisible("activation");
                               }
                               if (!governance::CanManageDataContract(caller, a.Access(), org_id)) {
                                 return Forbidden(
                                     "a feed's contract is set by its organisation's admins "
                                     "or by those who edit the brief");
                               }
                               return OkStatus();
                             }));
        return Ok(ContractJson(stored, store.clock().Now()), stored.version == 1 ? 201 : 200);
      }});

  routes.push_back(Route{
      "POST",
      "/api/v1/feeds/{feed}/events",
      true,
      [&store, identifier_secret](ApiRequest& r) -> Result<ApiResponse> {
        const governance::Principal& caller = Caller(r);
        // A feed exists only for its own organisation: others get 404, as for activations.
        Result<storage::DataContractRecord> contract =
            store.FindDataContract(caller.org_id, r.PathParam("feed"));
        if (!contract.ok()) return NotVisible("feed");
        if (!governance::CanSendEvents(caller, contract->org_id)) {
          return Forbidden("sending events needs a key with events:write, or a non-viewer user");
        }
        if (r.body_reader == nullptr) return Internal("the events route must stream its body");
        // An upload that fits the read-ahead is in memory before the batch's write transaction
        // starts, so it holds no lock while it arrives; a larger one streams through it.
        TUTTI_RETURN_IF_ERROR(r.body_reader->ReadAhead());
        const std::string type = Header(r, "content-type");
        UploadStreamBuf upload(*r.body_reader, type);
        if (UploadStreamBuf::traits_type::eq_int_type(upload.sgetc(),
                                                      UploadStreamBuf::traits_type::eof())) {
          if (!upload.failure().ok()) return upload.failure();
          return Status(StatusCode::kMalformed, "the body is empty; send CSV or NDJSON", "body",
                        "empty");
        }
        service::IngestRequest request;
        request.format =
            type.starts_with("text/csv") ? ingest::FileFormat::kCsv : ingest::FileFormat::kNdjson;
        if (std::string key = Header(r, "idempotency-key"); !key.empty()) {
          if (key.size() > kMaxIdempotencyKeyLength) {
            return InvalidArgument("must be at most 200 characters", "Idempotency-Key", "too_long");
          }
          request.idempotency_key = key;
        }
        request.streamed_request_hash = [&upload] { return upload.Digest(); };
        request.gpc = Header(r, "sec-gpc") == "1";
        std::istream body(&upload);
        Result<storage::IngestOutcome> outcome =
            service::RunIngest(store, *contract, body, request, identifier_secret, ActorOf(r));
        // A body that failed explains whatever the reader made of its cut-off end.
        if (!upload.failure().ok()) return upload.failure();
        if (!outcome.ok()) return outcome.status();
        Json out = outcome->report;
        out["batch_id"] = outcome->batch_id;
        out["replayed"] = outcome->replayed;
        ApiResponse response = Ok(std::move(out));
        if (outcome->replayed) response.headers.emplace_back("Idempotent-Replayed", "true");
        return response;
      },
      {"text/csv", "application/x-ndjson", "application/ndjson", "application/jsonl"},
      /*streams_body=*/true});

  routes.push_back(Route{
      "POST", "/api/v1/consents", true,
      [&store, identifier_secret](ApiRequest& r) -> Result<ApiResponse> {
        TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
        TUTTI_RETURN_IF_ERROR(
            RejectUnknownFields(body, {"user_key", "email", "purpose", "region", "granted"}));
        if (!governance::CanRecordConsent(Caller(r))) {
          return Forbidden(
              "consent is recorded by collection systems (events:write keys), "
              "owners, facilitators and partner admins");
        }
        TUTTI_ASSIGN_OR_RETURN(std::string key, UserKeyFrom(body, identifier_secret));
        for (const char* required : {"purpose", "granted"}) {
          if (!body.contains(required)) return InvalidArgument("is required", required, "required");
        }
        static constexpr std::array<std::string_view, 2> kPurposes = {"measurement", "sharing"};
        TUTTI_ASSIGN_OR_RETURN(std::string purpose,
                               ReadEnum(body["purpose"], "purpose", kPurposes));
        TUTTI_ASSIGN_OR_RETURN(bool granted, ReadBool(body["granted"], "granted"));
        std::string region = "*";
        if (body.contains("region")) {
          TUTTI_ASSIGN_OR_RETURN(region, ReadString(body["region"], "region", 1, 8));
        }
        storage::ConsentRecord consent{key, purpose, region, granted, "api", ""};
        TUTTI_RETURN_IF_ERROR(store.PutConsent(consent, ActorOf(r)));
        return Ok(Json{
            {"user_key", key}, {"purpose", purpose}, {"region", region}, {"granted", granted}});
      }});

  routes.push_back(
      Route{"POST", "/api/v1/erasures", true,
            [&store, identifier_secret](ApiRequest& r) -> Result<ApiResponse> {
              TUTTI_ASSIGN_OR_RETURN(Json body, Body(r));
              TUTTI_RETURN_IF_ERROR(RejectUnknownFields(body, {"user_key", "email"}));
              if (!governance::CanEraseUserKey(Caller(r))) {
                return Forbidden("erasure requests are made by owners and partner admins");
              }
              TUTTI_ASSIGN_OR_RETURN(std::string key, UserKeyFrom(body, identifier_secret));
              TUTTI_ASSIGN_OR_RETURN(int64_t removed, store.EraseUserKey(key, ActorOf(r)));
              return Ok(Json{{"events_removed", removed}});
            }});

  return routes;
}

}  // namespace tutti::http
