// va2pa: which region, frame and zone a kernel virtual address is, and back.
#include <cstdio>
#include <fmt/format.h>
#include <unistd.h>

#include "common.hpp"
#include "filter.hpp"
#include "help.hpp"
#include "kmemkit/error.hpp"
#include "kmemkit/number.hpp"
#include "kmemkit/pasted.hpp"
#include "kmemkit/render.hpp"
#include "kmemkit/translate.hpp"
#include "kmemkit/translate_stream.hpp"

using namespace kmemkit;

int main(int argc, char** argv) {
    CLI::App app{"Translate kernel virtual addresses to physical frames and zones (and back)."};
    cli::BoardOptions board;
    cli::OutputOptions output;
    bool reverse = false, stream = false;
    std::string mem_map_text;
    std::vector<std::string> addrs;
    cli::add_board_options(app, board);
    cli::add_output_options(app, output);
    auto* rev = app.add_flag("-r,--reverse", reverse, "Physical to virtual: the lowmem address of each physical address");
    auto* str = app.add_flag("--stream", stream, "Filter the shared text stream: annotate lines carrying va= or pa=");
    auto* mm = app.add_option("--mem-map", mem_map_text, "Virtual address of mem_map, to print struct page addresses")
                   ->type_name("ADDR");
    // the stream has its own format (key=value fields appended to each line): the
    // record options do not apply to it
    for (CLI::Option* o : {rev, mm, app.get_option("--json"), app.get_option("--kv")}) str->excludes(o);
    app.add_option("ADDR", addrs, "Addresses (default: one per line on stdin)");
    cli::set_examples(app, {"va2pa -p imx6q 0xc0123456 0xf0000000",
                            "buddyctl gen | buddyctl -p s3c6410 | va2pa -p s3c6410 --stream"});
    return cli::run(app, "va2pa", argc, argv, &board, [&]() -> int {
        Board b = cli::load_board(board);
        Layout l = compute_layout(b);
        NodeMemory n = compute_zones(b, l);
        Translator tr(b, l, n);
        std::optional<uint64_t> mem_map;
        if (!mem_map_text.empty()) mem_map = tr.check_mem_map(parse_address(mem_map_text, 0xffffffffULL));
        const uint64_t va_max = 0xffffffffULL;
        const uint64_t pa_max = b.profile.config.pae ? (uint64_t(1) << 40) - 1 : 0xffffffffULL;

        if (stream) {
            OutBuf out;
            TranslateStream ts(tr, va_max, pa_max);
            auto res = cli::run_filter(
                addrs, out, cli::FilterSpec{kVa2pa},
                [&](const StreamLine& ln, OutBuf& o, StreamError& err, bool&) { return ts.handle(ln, o, err); },
                cli::NoReader(), [&](std::string_view line, OutBuf& o) { return ts.fast(line, o); });
            return res.errors ? 2 : 0;
        }

        // Each argument, or each line of stdin, is read as people paste addresses (kmemkit/pasted.hpp).
        // Arguments give a record per address; stdin is a filter: one output line per input line, the
        // fields of each address on it (" | " between several), blank for a blank, '#' or bad line.
        if (addrs.empty()) cli::hint_if_terminal("addresses");
        const bool lines_out = addrs.empty() && !output.json && !output.kv;
        const uint64_t max = reverse ? pa_max : va_max;
        const char* what = reverse ? "physical address" : "32-bit virtual address";
        int errors = 0;
        Value all = Value::array();
        std::string text;
        bool first = true;
        auto translate = [&](std::string_view line, const char* input, size_t n) {   // input N: "<argv>:2"
            PastedLine pl;
            try {
                pl = read_pasted_line(line, max, what);
            } catch (const Error& e) {
                ++errors;
                if (lines_out) text += "\n";
                cli::out(text);
                text.clear();
                std::fflush(stdout);
                std::fprintf(stderr, "va2pa: error: %s:%zu:%d: %s\n", input, n, std::max(e.col, 1), e.what());
                return;
            }
            if (!lines_out && pl.blank && addrs.empty()) return;
            if (!lines_out && pl.blank) {
                ++errors;
                std::fflush(stdout);
                std::fprintf(stderr, "va2pa: error: %s:%zu:1: empty argument: expected an address\n", input, n);
                return;
            }
            std::string pairs;
            for (const auto& a : pl.addresses) {
                if (output.json) all.push(reverse ? reverse_translation_value(tr.pa2va(a.value), false)
                                                  : translation_value(tr.va2pa(a.value), false, mem_map));
                else if (lines_out)
                    pairs += (pairs.empty() ? "" : " | ") +
                             (reverse ? reverse_translation_pairs(tr.pa2va(a.value, false)) : translation_pairs(tr.va2pa(a.value, false)));
                else {
                    if (!first) text += "\n";
                    first = false;
                    text += to_field_lines(reverse ? reverse_translation_value(tr.pa2va(a.value), true)
                                                   : translation_value(tr.va2pa(a.value), true, mem_map));
                }
            }
            if (lines_out) {
                text += pairs + "\n";
                if (text.size() > 1 << 16) cli::out(text), text.clear();
            }
        };
        if (!addrs.empty()) {
            for (size_t i = 0; i < addrs.size(); ++i) translate(addrs[i], "<argv>", i + 1);
        } else {
            cli::claim_stdin("the addresses (no ADDR)");
            LineReader rd(0);
            std::string_view line;
            while (rd.next(line)) translate(line, "<stdin>", size_t(rd.line_number()));
        }
        if (output.json) {
            Value root = Value::object();
            root.set("profile", b.profile.name);
            root.set(reverse ? "reverse" : "translations", all);
            text = to_json(root);
        }
        cli::out(text);
        return errors ? 2 : 0;
    });
}
