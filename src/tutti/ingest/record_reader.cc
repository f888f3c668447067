#include "tutti/ingest/record_reader.h"

#include <zlib.h>

#include <array>
#include <set>
#include <vector>

#include "tutti/base/text.h"

namespace tutti::ingest {
namespace {

constexpr size_t kChunkBytes = 1 << 16;

// Bytes of the stream, inflated when it starts with the gzip magic (1f 8b). Concatenated gzip
// members (what `cat a.gz b.gz` makes) are read one after the other, as gunzip does.
class ByteSource {
 public:
  explicit ByteSource(std::istream& in) : in_(in) {}
  ~ByteSource() {
    if (inflating_) inflateEnd(&zs_);
  }
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  Status Start() {
    Fill();
    if (raw_.size() >= 2 && static_cast<unsigned char>(raw_[0]) == 0x1f &&
        static_cast<unsigned char>(raw_[1]) == 0x8b) {
      zs_ = z_stream{};
      if (inflateInit2(&zs_, 16 + MAX_WBITS) != Z_OK) return Internal("zlib failed to start");
      inflating_ = true;
    }
    return OkStatus();
  }

  // Appends up to one chunk to `out`; false at the end of the data.
  Result<bool> Read(std::string& out) {
    if (!inflating_) {
      if (raw_pos_ >= raw_.size() && !Fill()) return false;
      out.append(raw_, raw_pos_, std::string::npos);
      raw_pos_ = raw_.size();
      return true;
    }
    std::array<char, kChunkBytes> buffer;
    while (true) {
      if (raw_pos_ >= raw_.size() && !Fill()) {
        if (!member_done_) {
          return Status(StatusCode::kInvalidArgument,
                        "the gzip stream ends in the middle (truncated upload?)", "body",
                        "corrupt_gzip");
        }
        return false;
      }
      if (member_done_) {
        // Another member follows, or trailing garbage: gunzip accepts only the former.
        if (inflateReset(&zs_) != Z_OK) return Internal("zlib failed to reset");
        member_done_ = false;
      }
      zs_.next_in = reinterpret_cast<Bytef*>(raw_.data() + raw_pos_);
      zs_.avail_in = static_cast<uInt>(raw_.size() - raw_pos_);
      zs_.next_out = reinterpret_cast<Bytef*>(buffer.data());
      zs_.avail_out = static_cast<uInt>(buffer.size());
      int rc = inflate(&zs_, Z_NO_FLUSH);
      raw_pos_ = raw_.size() - zs_.avail_in;
      size_t produced = buffer.size() - zs_.avail_out;
      if (rc == Z_STREAM_END) {
        member_done_ = true;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return Status(StatusCode::kInvalidArgument,
                      std::string("the gzip stream is corrupt: ") + (zs_.msg ? zs_.msg : "error"),
                      "body", "corrupt_gzip");
      }
      if (produced > 0) {
        out.append(buffer.data(), produced);
        return true;
      }
    }
  }

 private:
  bool Fill() {
    raw_.resize(kChunkBytes);
    in_.read(raw_.data(), static_cast<std::streamsize>(raw_.size()));
    raw_.resize(static_cast<size_t>(in_.gcount()));
    raw_pos_ = 0;
    return !raw_.empty();
  }

  std::istream& in_;
  std::string raw_;
  size_t raw_pos_ = 0;
  z_stream zs_{};
  bool inflating_ = false;
  bool member_done_ = false;
};

// Splits the decompressed bytes into physical lines for NDJSON, and hands CSV the raw bytes.
class BufferedInput {
 public:
  explicit BufferedInput(std::istream& in) : source_(in) {}
  Status Start() { return source_.Start(); }

  // The byte at the cursor, refilling as needed; nullopt at the end.
  Result<std::optional<char>> Peek() {
    while (pos_ >= buffer_.size()) {
      buffer_.clear();
      pos_ = 0;
      TUTTI_ASSIGN_OR_RETURN(bool more, source_.Read(buffer_));
      if (!more) return std::optional<char>();
    }
    return std::optional<char>(buffer_[pos_]);
  }
  void Advance() {
    ++pos_;
    ++consumed_;
  }
  uint64_t consumed() const { return consumed_; }

 private:
  ByteSource source_;
  std::string buffer_;
  size_t pos_ = 0;
  uint64_t consumed_ = 0;
};

class CsvReader final : public RecordReader {
 public:
  CsvReader(std::istream& in, ReaderLimits limits) : input_(in), limits_(limits) {}

  Status Start() {
    TUTTI_RETURN_IF_ERROR(input_.Start());
    std::vector<std::string> header;
    std::optional<FieldError> error;
    TUTTI_ASSIGN_OR_RETURN(bool any, ReadRow(header, error));
    if (!any)
      return InvalidArgument("the file is empty; a CSV needs a header row", "body", "empty");
    if (error) {
      return InvalidArgument("line 1 (header): " + error->message, "body", "invalid_header");
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < header.size(); ++i) {
      if (!IsValidUtf8(header[i])) {
        return InvalidArgument(
            "line 1 (header): column " + std::to_string(i + 1) + " is not valid UTF-8", "body",
            "invalid_header");
      }
      if (header[i].empty() || !seen.insert(header[i]).second) {
        return InvalidArgument(
            "line 1 (header): column " + std::to_string(i + 1) +
                (header[i].empty() ? " has no name" : " repeats \"" + header[i] + "\""),
            "body", "invalid_header");
      }
    }
    header_ = std::move(header);
    return OkStatus();
  }

  Result<bool> Next(ReadRecord& out) override {
    std::vector<std::string> row;
    while (true) {
      out = ReadRecord{};
      out.line = line_;
      std::optional<FieldError> error;
      TUTTI_ASSIGN_OR_RETURN(bool any, ReadRow(row, error));
      if (!any) return false;
      out.record.from_text = true;
      if (error) {
        out.error = std::move(error);
        return true;
      }
      if (row.size() == 1 && row[0].empty()) continue;  // a blank line
      if (row.size() != header_.size()) {
        out.error = FieldError{"", "field_count",
                               "has " + std::to_string(row.size()) + " fields; the header has " +
                                   std::to_string(header_.size())};
        return true;
      }
      for (size_t i = 0; i < row.size(); ++i) {
        if (row[i].empty()) continue;  // an empty cell is an absent value
        out.record.fields[header_[i]] = std::move(row[i]);
      }
      return true;
    }
  }

  uint64_t bytes_read() const override { return input_.consumed(); }

 private:
  // One record (possibly spanning lines inside quotes). false at the end of the input. A
  // malformed record sets `error` and is skipped to its end.
  Result<bool> ReadRow(std::vector<std::string>& fields, std::optional<FieldError>& error) {
    fields.clear();
    fields.emplace_back();
    TUTTI_ASSIGN_OR_RETURN(std::optional<char> first, input_.Peek());
    if (!first) return false;
    bool in_quotes = false, after_quote = false, quoted_field = false;
    size_t bytes = 0;
    while (true) {
      TUTTI_ASSIGN_OR_RETURN(std::optional<char> c, input_.Peek());
      if (!c) {
        if (in_quotes && !error) {
          error = FieldError{"", "unterminated_quote",
                             "a quoted field is not closed before the end of the file"};
        }
        return true;
      }
      input_.Advance();
      if (*c == '\n') ++line_;
      if (++bytes > limits_.max_record_bytes && !error) {
        error = FieldError{
            "", "too_long",
            "the record is longer than " + std::to_string(limits_.max_record_bytes) + " bytes"};
        fields.assign(1, std::string());
        in_quotes = false;  // resynchronise at the next newline
      }
      if (error && error->reason == "too_long") {
        if (*c == '\n') return true;
        continue;
      }
      if (in_quotes) {
        if (*c == '"') {
          in_quotes = false;
          after_quote = true;
        } else {
          fields.back() += *c;
        }
        continue;
      }
      if (after_quote) {
        after_quote = false;
        if (*c == '"') {  // "" inside a quoted field is one quote
          fields.back() += '"';
          in_quotes = true;
          continue;
        }
      }
      if (*c == ',') {
        if (fields.size() >= limits_.max_fields && !error) {
          error = FieldError{"", "too_many_fields",
                             "has more than " + std::to_string(limits_.max_fields) + " fields"};
        }
        if (!error) fields.emplace_back();
        quoted_field = false;
      } else if (*c == '\n') {
        if (!fields.back().empty() && fields.back().back() == '\r' && !quoted_field) {
          fields.back().pop_back();
        }
        return true;
      } else if (*c == '"') {
        if (fields.back().empty() && !quoted_field) {
          in_quotes = true;
          quoted_field = true;
        } else if (!error) {
          error = FieldError{"", "stray_quote",
                             "field " + std::to_string(fields.size()) +
                                 " has a quote inside an unquoted value (quote the whole field "
                                 "and double the quote)"};
        }
      } else if (quoted_field) {
        if (*c != '\r' && !error) {
          error = FieldError{
              "", "stray_quote",
              "field " + std::to_string(fields.size()) + " has characters after its closing quote"};
        }
      } else {
        fields.back() += *c;
      }
    }
  }

  BufferedInput input_;
  ReaderLimits limits_;
  std::vector<std::string> header_;
  int64_t line_ = 1;
};

class NdjsonReader final : public RecordReader {
 public:
  NdjsonReader(std::istream& in, ReaderLimits limits) : input_(in), limits_(limits) {}
  Status Start() { return input_.Start(); }

  Result<bool> Next(ReadRecord& out) override {
    std::string line;
    while (true) {
      out = ReadRecord{};
      line.clear();
      bool too_long = false, any = false;
      while (true) {
        TUTTI_ASSIGN_OR_RETURN(std::optional<char> c, input_.Peek());
        if (!c) break;
        any = true;
        input_.Advance();
        if (*c == '\n') break;
        if (line.size() >= limits_.max_record_bytes) {
          too_long = true;
        } else {
          line += *c;
        }
      }
      if (!any) return false;
      out.line = ++line_;
      if (too_long) {
        out.error = FieldError{
            "", "too_long",
            "the line is longer than " + std::to_string(limits_.max_record_bytes) + " bytes"};
        return true;
      }
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;  // blank line
      Json parsed = Json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (parsed.is_discarded()) {
        out.error = FieldError{"", IsValidUtf8(line) ? "malformed_json" : "invalid_utf8",
                               IsValidUtf8(line) ? "is not valid JSON" : "is not valid UTF-8"};
        return true;
      }
      if (!parsed.is_object()) {
        out.error = FieldError{"", "invalid_type", "must be a JSON object"};
        return true;
      }
      if (parsed.size() > limits_.max_fields) {
        out.error = FieldError{"", "too_many_fields",
                               "has more than " + std::to_string(limits_.max_fields) + " fields"};
        return true;
      }
      out.record.fields = std::move(parsed);
      return true;
    }
  }

  uint64_t bytes_read() const override { return input_.consumed(); }

 private:
  BufferedInput input_;
  ReaderLimits limits_;
  int64_t line_ = 0;
};

}  // namespace

Result<FileFormat> ParseFileFormat(std::string_view name) {
  if (name == "csv") return FileFormat::kCsv;
  if (name == "ndjson" || name == "jsonl") return FileFormat::kNdjson;
  return InvalidArgument("unknown format \"" + std::string(name) + "\"; expected csv or ndjson",
                         "format", "invalid_enum");
}

Result<std::unique_ptr<RecordReader>> OpenRecordReader(std::istream& in, FileFormat format,
                                                       ReaderLimits limits) {
  if (format == FileFormat::kCsv) {
    auto reader = std::make_unique<CsvReader>(in, limits);
    TUTTI_RETURN_IF_ERROR(reader->Start());
    return std::unique_ptr<RecordReader>(std::move(reader));
  }
  auto reader = std::make_unique<NdjsonReader>(in, limits);
  TUTTI_RETURN_IF_ERROR(reader->Start());
  return std::unique_ptr<RecordReader>(std::move(reader));
}

}  // namespace tutti::ingest
