// va2pa: which region, frame and zone a kernel virtual address is, and back.
#include <cstdio>
#include <fmt/format.h>
#include <unistd.h>

#include "common.hpp"
#include "filter.hpp"
#include "help.hpp"
#include "kmemkit/error.hpp"
#include "kmemkit/number.hpp"
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

        // one address per argument, or per stdin line
        struct Input {
            std::string where;   // "<argv>:N" or "<stdin>:LINE"
            size_t col;          // 1-based column of the token
            std::string tok;
        };
        std::vector<Input> inputs;
        if (!addrs.empty()) {
            for (size_t i = 0; i < addrs.size(); ++i) inputs.push_back({fmt::format("<argv>:{}", i + 1), 1, addrs[i]});
        } else {
            cli::claim_stdin("the addresses (no ADDR)");
            LineReader rd(0);
            std::string_view line;
            while (rd.next(line)) {
                std::string_view s = line;
                while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
                while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
                inputs.push_back({fmt::format("<stdin>:{}", rd.line_number()), size_t(s.data() - line.data()) + 1,
                                  std::string(s.substr(0, 4096))});
            }
        }
        int errors = 0;
        Value all = Value::array();
        std::string text;
        bool first = true;
        for (const auto& in : inputs) {
            uint64_t a = 0;
            try {
                if (in.tok.empty()) throw Error("empty line: expected an address");
                if (in.tok.size() > 64)
                    throw Error(fmt::format("token of {} characters is not an address", in.tok.size()));
                a = parse_number(in.tok, reverse ? pa_max : va_max,
                                 reverse ? "physical address" : "32-bit virtual address");
            } catch (const Error& e) {
                ++errors;
                cli::out(text);
                text.clear();
                std::fflush(stdout);
                // tool: error: FILE:LINE:COL: what (the column of the token, or of the fault in it)
                std::fprintf(stderr, "va2pa: error: %s:%zu: %s\n", in.where.c_str(),
                             in.col + (e.col > 0 ? size_t(e.col) - 1 : 0), e.what());
                continue;
            }
            Value v = reverse ? reverse_translation_value(tr.pa2va(a), !output.json)
                              : translation_value(tr.va2pa(a), !output.json, mem_map);
            if (output.json) all.push(v);
            else {
                if (!first) text += "\n";
                first = false;
                text += to_field_lines(v);
            }
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
