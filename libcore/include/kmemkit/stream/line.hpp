// The lines of the text stream the tools share (man/kmemkit-stream.5): its parser, reader and
// writer.  The verbs and who owns them are in stream/grammar.hpp, ids in stream/ids.hpp, the
// inserted lines' writers in stream/writer.hpp.
//
//
//   # comment                         passed through
//   alloc order=2 id=a                a verb, then key=value fields
//   alloc order=2 id=a pfn=0x50200 pa=0x50200000 va=0xc0200000 zone=Normal
//
// Every filter reads lines, acts on the verbs it owns, appends its fields,
// and writes every line, its own or not, in order.  This is the one parser
// and the one line reader/writer; the hot path allocates nothing per line.
#pragma once
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kmemkit {

struct StreamField {
    std::string_view key;
    std::string_view value;
    uint32_t col = 0;            // 1-based column of the key
};

// The keys the filters act on, numbered, so that a parsed line finds them (and a duplicate of
// them) without comparing strings; any other key is `other`.
enum class StreamKey : uint8_t {
    id, order, gfp, size, pa, va, pfn, zone, region, result, reason, pages, cpu, type, index, other
};
constexpr StreamKey stream_key(std::string_view k) {
    switch (k.size()) {
    case 2:
        return k == "id" ? StreamKey::id : k == "pa" ? StreamKey::pa : k == "va" ? StreamKey::va : StreamKey::other;
    case 3:
        return k == "gfp" ? StreamKey::gfp : k == "pfn" ? StreamKey::pfn : k == "cpu" ? StreamKey::cpu : StreamKey::other;
    case 4:
        return k == "size" ? StreamKey::size : k == "zone" ? StreamKey::zone : k == "type" ? StreamKey::type
                                                                               : StreamKey::other;
    case 5:
        return k == "order" ? StreamKey::order : k == "pages" ? StreamKey::pages : k == "index" ? StreamKey::index
                                                                                  : StreamKey::other;
    case 6:
        return k == "region" ? StreamKey::region : k == "result" ? StreamKey::result : k == "reason" ? StreamKey::reason
                                                                                      : StreamKey::other;
    default: return StreamKey::other;
    }
}
constexpr uint32_t key_bit(StreamKey k) { return uint32_t(1) << unsigned(k); }

struct StreamLine {
    std::string_view text;       // the line without its line end
    std::string_view verb;       // first token when it has no '='; else empty
    std::vector<StreamField> fields;
    bool blank = false;
    bool comment = false;
    uint32_t known = 0;          // key_bit() of each numbered key on the line
    uint32_t at[unsigned(StreamKey::other)] = {};   // its index in fields (valid where known)
    const StreamField* get(StreamKey k) const { return known & key_bit(k) ? &fields[at[unsigned(k)]] : nullptr; }
    bool has(StreamKey k) const { return known & key_bit(k); }
    const StreamField* find(std::string_view key) const {
        const StreamKey k = stream_key(key);
        if (k != StreamKey::other) return get(k);
        for (const auto& f : fields)
            if (f.key == key) return &f;
        return nullptr;
    }
};

struct StreamError {
    std::string message;
    uint32_t col = 0;
};

// Splits `text` (no line end) into verb and fields.  Returns false and fills
// `err` for a malformed line: a bare word after the verb, an empty key or
// value, a duplicate key, a control character.
bool parse_stream_line(std::string_view text, StreamLine& out, StreamError& err);

// Reads lines from a file descriptor in large blocks.  A line longer than
// `max_line` is still returned whole, with `too_long` set.  CR before LF is
// stripped (and reported through `had_cr`); a last line without newline is
// returned like any other.  `name` is the input as messages show it.
class LineReader {
public:
    explicit LineReader(int fd, std::string name = "<stdin>", size_t max_line = 1 << 20);
    // false at end of input; throws Error ("NAME: read error: why") on a read error
    bool next(std::string_view& line);
    uint64_t line_number() const { return lineno_; }
    bool too_long() const { return too_long_; }
    bool had_cr() const { return had_cr_; }
    bool had_newline() const { return had_nl_; }

private:
    bool fill();
    int fd_;
    std::string name_;
    size_t max_line_;
    std::vector<char> buf_;
    size_t start_ = 0, end_ = 0;
    bool eof_ = false;
    uint64_t lineno_ = 0;
    bool too_long_ = false, had_cr_ = false, had_nl_ = true;
};

// Buffered stdout writer; throws std::system_error on a write error (EPIPE too).
class OutBuf {
public:
    explicit OutBuf(int fd = 1, size_t cap = 1 << 16) : fd_(fd), cap_(cap), buf_(new char[cap]) {}
    ~OutBuf();
    OutBuf(const OutBuf&) = delete;
    OutBuf& operator=(const OutBuf&) = delete;
    void put(std::string_view s) {
        if (len_ + s.size() > cap_) flush_some(s.size());
        std::memcpy(buf_.get() + len_, s.data(), s.size());
        len_ += s.size();
    }
    void put(char c) {
        if (len_ + 1 > cap_) flush_some(1);
        buf_[len_++] = c;
    }
    void put_hex(uint64_t v, int min_digits = 0);   // "0x" + lower-case hex
    void put_dec(uint64_t v);
    void flush();

private:
    void flush_some(size_t need);
    int fd_;
    size_t cap_;
    size_t len_ = 0;
    std::unique_ptr<char[]> buf_;
};

// "0x1a2b" formatting without allocation into `dst` (>= 19 bytes); returns length.
size_t format_hex(char* dst, uint64_t v, int min_digits = 0);

}  // namespace kmemkit
