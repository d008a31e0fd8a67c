// libFuzzer target: the stream line parser, line reader and writer
// (libcore/src/stream.cpp).
// Invariants: parse_stream_line never crashes; a parsed line's fields are
// non-empty, distinct, and sit in the text at their column; an error's column
// lies in the line.  LineReader over the whole input yields exactly the lines
// a shell sees (CR before LF dropped, last line without LF kept), and OutBuf
// writes back exactly what it was given: lines in == lines out.
#include <string>
#include <vector>

#include "fuzz_util.hpp"
#include "kmemkit/stream/line.hpp"

using namespace kmemkit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);

    std::vector<std::string_view> want;
    fuzz::for_each_line(in, [&](std::string_view l) { want.push_back(l); });

    // every line through the parser
    StreamLine parsed;
    StreamError err;
    for (auto l : want) {
        err = {};
        if (parse_stream_line(l, parsed, err)) {
            FUZZ_CHECK(parsed.text == l);
            if (parsed.blank || parsed.comment) FUZZ_CHECK(parsed.fields.empty() && parsed.verb.empty());
            for (size_t i = 0; i < parsed.fields.size(); ++i) {
                const auto& f = parsed.fields[i];
                FUZZ_CHECK(!f.key.empty() && !f.value.empty());
                FUZZ_CHECK(f.col >= 1 && f.col <= l.size());
                FUZZ_CHECK(l.substr(f.col - 1, f.key.size()) == f.key);
                FUZZ_CHECK(l[f.col - 1 + f.key.size()] == '=');
                FUZZ_CHECK(parsed.find(f.key) == &f);
                for (size_t j = 0; j < i; ++j) FUZZ_CHECK(parsed.fields[j].key != f.key);
            }
        } else {
            FUZZ_CHECK(!err.message.empty());
            FUZZ_CHECK(err.col >= 1 && err.col <= l.size());
        }
    }

    // the reader sees the same lines (small max_line so that too_long is exercised)
    int ifd = fuzz::memfd_with(in);
    int ofd = fuzz::memfd_with({});
    std::string expect_out;
    {
        LineReader rd(ifd, "<fuzz>", 64);
        OutBuf out(ofd, 16);
        std::string_view line;
        size_t n = 0;
        while (rd.next(line)) {
            FUZZ_CHECK(n < want.size());
            FUZZ_CHECK(line == want[n]);
            FUZZ_CHECK(rd.line_number() == n + 1);
            FUZZ_CHECK(rd.too_long() == (line.size() > 64));
            out.put(line);
            out.put('\n');
            expect_out.append(line.data(), line.size());
            expect_out.push_back('\n');
            ++n;
        }
        FUZZ_CHECK(n == want.size());
        out.flush();
    }
    FUZZ_CHECK(fuzz::read_all(ofd) == expect_out);
    close(ifd);
    close(ofd);
    return 0;
}
