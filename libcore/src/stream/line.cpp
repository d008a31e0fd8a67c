// The stream line parser, reader and writer (see stream/line.hpp).
#include "kmemkit/stream/line.hpp"

#include <cerrno>
#include <fmt/format.h>
#include <cstring>
#include <system_error>
#include <unistd.h>

#include "kmemkit/error.hpp"

namespace kmemkit {

namespace {
// 0 ordinary, 1 blank (space/tab), 2 '=', 3 control character
struct CharClass {
    unsigned char c[256];
    constexpr CharClass() : c() {
        for (int i = 0; i < 256; ++i) c[i] = (i < 0x20 || i == 0x7f) ? 3 : 0;
        c[int(' ')] = 1;
        c[int('\t')] = 1;
        c[int('=')] = 2;
    }
};
constexpr CharClass kClass;
}  // namespace

bool parse_stream_line(std::string_view t, StreamLine& out, StreamError& err) {
    out.text = t;
    out.verb = {};
    out.fields.clear();
    out.blank = out.comment = false;
    out.known = 0;
    size_t others = 0;   // fields of keys that are not numbered (a duplicate among them is a compare)
    const unsigned char* p = reinterpret_cast<const unsigned char*>(t.data());
    size_t i = 0, n = t.size();
    while (i < n && kClass.c[p[i]] == 1) ++i;
    if (i == n) { out.blank = true; return true; }
    if (t[i] == '#') { out.comment = true; return true; }
    bool first = true;
    while (i < n) {
        while (i < n && kClass.c[p[i]] == 1) ++i;
        if (i == n) break;
        size_t s = i, eq = std::string_view::npos;
        for (; i < n; ++i) {
            unsigned char k = kClass.c[p[i]];
            if (k == 0) continue;
            if (k == 1) break;
            if (k == 3) {
                err.message = "control character in line (binary input?)";
                err.col = uint32_t(i + 1);
                return false;
            }
            if (eq == std::string_view::npos) eq = i;
        }
        std::string_view tok(t.data() + s, i - s);
        if (eq == std::string_view::npos) {
            if (first) { out.verb = tok; first = false; continue; }
            err.message = "expected key=value, found '" + std::string(tok.substr(0, 40)) + (tok.size() > 40 ? "...'" : "'");
            err.col = uint32_t(s + 1);
            return false;
        }
        first = false;
        StreamField f{std::string_view(t.data() + s, eq - s), std::string_view(t.data() + eq + 1, i - eq - 1),
                      uint32_t(s + 1)};
        if (f.key.empty()) { err.message = "empty key before '='"; err.col = uint32_t(s + 1); return false; }
        if (f.value.empty()) {
            err.message = "field '" + std::string(f.key.substr(0, 40)) + "' has no value";
            err.col = uint32_t(s + 1);
            return false;
        }
        const StreamKey k = stream_key(f.key);
        bool dup = false;
        if (k != StreamKey::other) {
            dup = out.known & key_bit(k);
            out.known |= key_bit(k);
            out.at[unsigned(k)] = uint32_t(out.fields.size());
        } else if (others++) {
            for (const auto& g : out.fields) dup |= g.key == f.key;
        }
        if (dup) {
            err.message = "duplicate field '" + std::string(f.key.substr(0, 40)) + "'";
            err.col = uint32_t(s + 1);
            return false;
        }
        out.fields.push_back(f);
    }
    return true;
}

LineReader::LineReader(int fd, std::string name, size_t max_line)
    : fd_(fd), name_(std::move(name)), max_line_(max_line) {
    buf_.resize(1 << 16);
}

bool LineReader::fill() {
    if (eof_) return false;
    if (start_ > 0) {
        std::memmove(buf_.data(), buf_.data() + start_, end_ - start_);
        end_ -= start_;
        start_ = 0;
    }
    if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);
    for (;;) {
        ssize_t r = ::read(fd_, buf_.data() + end_, buf_.size() - end_);
        if (r < 0) {
            if (errno == EINTR) continue;
            // a read error is not a write error: the input's name and the reason (EISDIR, EBADF, EIO)
            throw Error(fmt::format("read error: {}", std::strerror(errno)), name_);
        }
        if (r == 0) { eof_ = true; return false; }
        end_ += size_t(r);
        return true;
    }
}

bool LineReader::next(std::string_view& line) {
    size_t scan = start_;
    for (;;) {
        const char* p = static_cast<const char*>(std::memchr(buf_.data() + scan, '\n', end_ - scan));
        if (p) {
            size_t nl = size_t(p - buf_.data());
            size_t len = nl - start_;
            had_nl_ = true;
            had_cr_ = len > 0 && buf_[nl - 1] == '\r';
            if (had_cr_) --len;
            line = std::string_view(buf_.data() + start_, len);
            too_long_ = len > max_line_;
            start_ = nl + 1;
            ++lineno_;
            return true;
        }
        size_t have = end_ - start_;
        if (!fill()) {
            if (end_ > start_) {
                size_t len = end_ - start_;
                had_nl_ = false;
                had_cr_ = buf_[end_ - 1] == '\r';
                if (had_cr_) --len;
                line = std::string_view(buf_.data() + start_, len);
                too_long_ = len > max_line_;
                start_ = end_;
                ++lineno_;
                return true;
            }
            return false;
        }
        scan = start_ + have;
    }
}

OutBuf::~OutBuf() {
    try {
        flush();
    } catch (...) {
    }
}

void OutBuf::flush() {
    size_t off = 0;
    while (off < len_) {
        ssize_t w = ::write(fd_, buf_.get() + off, len_ - off);
        if (w < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            len_ = 0;
            throw std::system_error(e, std::generic_category(), "write error");
        }
        off += size_t(w);
    }
    len_ = 0;
}

void OutBuf::flush_some(size_t need) {
    flush();
    if (need > cap_) {
        cap_ = need;
        buf_.reset(new char[cap_]);
    }
}

namespace {
// The eight hex digits of a 32-bit value as ASCII, most significant first in
// memory (little-endian hosts): the nibbles spread to one per byte, then
// '0' + n, or 'a' + n - 10 where n + 6 carries into bit 4.
inline uint64_t hex8_ascii(uint32_t v) {
    uint64_t x = v;
    x = ((x & 0xffff0000ULL) << 16) | (x & 0xffffULL);
    x = ((x & 0x0000ff000000ff00ULL) << 8) | (x & 0x000000ff000000ffULL);
    x = ((x & 0x00f000f000f000f0ULL) << 4) | (x & 0x000f000f000f000fULL);
    const uint64_t letter = ((x + 0x0606060606060606ULL) >> 4) & 0x0101010101010101ULL;
    x += 0x3030303030303030ULL + letter * ('a' - '0' - 10);
    return __builtin_bswap64(x);
}
}  // namespace

size_t format_hex(char* dst, uint64_t v, int min_digits) {
    static const char digits[] = "0123456789abcdef";
    int n = v ? (64 - __builtin_clzll(v) + 3) / 4 : 1;
    if (n < min_digits) n = min_digits > 16 ? 16 : min_digits;
    dst[0] = '0';
    dst[1] = 'x';
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (n <= 8) {   // addresses and pfns of 32-bit kernels: no loop
        // the last n digits; one fixed 8-byte store (dst holds 19 bytes), no call to memcpy
        const uint64_t a = hex8_ascii(uint32_t(v)) >> (8 * (8 - n));
        std::memcpy(dst + 2, &a, 8);
        return size_t(n + 2);
    }
#endif
    char* p = dst + 2 + n;
    for (int i = 0; i < n; ++i) {
        *--p = digits[v & 15];
        v >>= 4;
    }
    return size_t(n + 2);
}

void OutBuf::put_hex(uint64_t v, int min_digits) {
    // formatted in place: format_hex writes at most 19 bytes (its fixed 8-byte store included)
    if (len_ + 20 > cap_) flush_some(20);
    len_ += format_hex(buf_.get() + len_, v, min_digits);
}

void OutBuf::put_dec(uint64_t v) {
    char b[24];
    int n = 0;
    do {
        b[23 - n++] = char('0' + v % 10);
        v /= 10;
    } while (v);
    put(std::string_view(b + 24 - n, size_t(n)));
}

}  // namespace kmemkit
