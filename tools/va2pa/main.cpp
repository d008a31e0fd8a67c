// va2pa: which region, frame and zone a kernel virtual address is, and back.
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <unistd.h>

#include "common.hpp"
#include "filter.hpp"
#include "kmemkit/error.hpp"
#include "kmemkit/number.hpp"
#include "kmemkit/render.hpp"
#include "kmemkit/translate.hpp"

using namespace kmemkit;

namespace {

std::string zone_text(const Translation& t) {
    if (t.zone) return t.zone->name;
    if (t.has_pa) return t.in_hole ? "none (a hole between RAM banks)" : "none (not RAM)";
    return "none (" + t.why + ")";
}

Value forward_value(const Translation& t, const Translator& tr, bool hex, std::optional<uint64_t> mem_map) {
    Value o = Value::object();
    o.set("va", hex ? Value(hex32(t.va)) : Value(t.va));
    if (!hex) o.set("va_hex", hex32(t.va));
    o.set("region", t.region ? t.region->name : "none");
    if (t.has_pa) {
        o.set("pa", hex ? Value(hex32(t.pa)) : Value(t.pa));
        if (!hex) o.set("pa_hex", hex32(t.pa));
        o.set("pfn", hex ? Value(fmt::format("{:#x}", t.pfn)) : Value(t.pfn));
        if (t.learned) o.set("mapping", "learned from the stream");
    }
    o.set("zone", zone_text(t));
    if (t.has_pa && t.zone) {
        o.set("mem_map_index", t.mem_map_index);
        std::string page = mem_map ? hex32(*mem_map + t.page_offset_bytes)
                                   : fmt::format("mem_map + {:#x} (give --mem-map ADDR for the address)",
                                                 t.page_offset_bytes);
        o.set("page", page);
    }
    (void)tr;
    return o;
}

Value reverse_value(const ReverseTranslation& r, bool hex) {
    Value o = Value::object();
    o.set("pa", hex ? Value(hex32(r.pa)) : Value(r.pa));
    if (!hex) o.set("pa_hex", hex32(r.pa));
    o.set("pfn", hex ? Value(fmt::format("{:#x}", r.pfn)) : Value(r.pfn));
    o.set("zone", r.zone ? r.zone->name : "none");
    if (r.lowmem) {
        o.set("va", hex ? Value(hex32(r.va)) : Value(r.va));
        if (!hex) o.set("va_hex", hex32(r.va));
        o.set("region", "lowmem");
    } else {
        o.set("va", "none (" + r.why + ")");
        o.set("region", r.ram ? "highmem" : "none");
    }
    return o;
}

// ---- --stream ------------------------------------------------------------
// The fields appended to a line with va= (region, pa, pfn, zone), skipping those it has.
size_t annotate_va(char* ann, const Translator& tr, uint64_t va, bool has_region, bool has_pa, bool has_pfn,
                   bool has_zone) {
    size_t k = 0;
    auto add = [&](std::string_view sv) {   // names are short: the buffer holds every field
        std::memcpy(ann + k, sv.data(), sv.size());
        k += sv.size();
    };
    Translation t = tr.va2pa(va, false);
    if (!has_region) { add(" region="); add(t.region ? std::string_view(t.region->name) : "none"); }
    if (t.has_pa) {
        if (!has_pa) { add(" pa="); k += format_hex(ann + k, t.pa, 8); }
        if (!has_pfn) { add(" pfn="); k += format_hex(ann + k, t.pfn); }
    }
    if (!has_zone) { add(" zone="); add(t.zone ? std::string_view(t.zone->name) : "none"); }
    return k;
}
bool parse_field(const StreamField& f, uint64_t max, uint64_t& v, StreamError& err, const char* what) {
    if (try_parse_number(f.value, v, max)) return true;
    err.message = fmt::format("{}={}: not a {} (0x... or decimal, at most {:#x})", f.key, f.value, what, max);
    err.col = f.col + uint32_t(f.key.size()) + 1;
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Translate kernel virtual addresses to physical frames and zones (and back)."};
    cli::BoardOptions board;
    cli::OutputOptions output;
    bool reverse = false, stream = false;
    std::string mem_map_text;
    std::vector<std::string> addrs;
    cli::add_board_options(app, board);
    cli::add_output_options(app, output);
    app.add_flag("-r,--reverse", reverse, "Physical to virtual: the lowmem address of each physical address");
    app.add_flag("--stream", stream, "Filter the shared text stream: annotate lines carrying va= or pa=");
    app.add_option("--mem-map", mem_map_text, "Virtual address of mem_map, to print struct page addresses");
    app.add_option("ADDR", addrs, "Addresses (default: one per line on stdin)");
    return cli::run(app, "va2pa", argc, argv, &board, [&]() -> int {
        Board b = cli::load_board(board);
        Layout l = compute_layout(b);
        NodeMemory n = compute_zones(b, l);
        Translator tr(b, l, n);
        std::optional<uint64_t> mem_map;
        if (!mem_map_text.empty()) mem_map = parse_address(mem_map_text, 0xffffffffULL);
        const uint64_t va_max = 0xffffffffULL;
        const uint64_t pa_max = b.profile.config.pae ? (uint64_t(1) << 40) - 1 : 0xffffffffULL;

        if (stream) {
            OutBuf out;
            char buf[32];
            auto owns = [](std::string_view, std::string_view text) {
                return text.find("va=") != std::string_view::npos || text.find("pa=") != std::string_view::npos;
            };
            auto handle = [&](const StreamLine& ln, OutBuf& o, StreamError& err) -> bool {
                // one pass over the fields (this runs 10 million times a second)
                const StreamField *fva = nullptr, *fpa = nullptr;
                bool has_region = false, has_pfn = false, has_zone = false;
                for (const auto& f : ln.fields) {
                    if (f.key == "va") fva = &f;
                    else if (f.key == "pa") fpa = &f;
                    else if (f.key == "region") has_region = true;
                    else if (f.key == "pfn") has_pfn = true;
                    else if (f.key == "zone") has_zone = true;
                }
                uint64_t va = 0, pa = 0;
                if (fva && !parse_field(*fva, va_max, va, err, "32-bit address")) return false;
                if (fpa && !parse_field(*fpa, pa_max, pa, err, "physical address")) return false;
                // learning: `map va= pa=` records a page mapping, `unmap va=` drops it;
                // `vmalloc ... va= pages=PFN,PFN,...` maps the area's pages in order
                if (fva && fpa && ln.verb == "map") tr.learn(va, pa);
                else if (fva && ln.verb == "unmap") tr.forget(va);
                else if (fva && ln.verb == "vmalloc") {
                    if (const StreamField* fp = ln.find("pages")) {
                        std::string_view s = fp->value;
                        uint64_t i = 0;
                        size_t pos = 0;
                        while (pos <= s.size()) {
                            size_t c = s.find(',', pos);
                            std::string_view tok = s.substr(pos, c == std::string_view::npos ? s.size() - pos : c - pos);
                            uint64_t pfn;
                            if (tok.empty() || !try_parse_number(tok, pfn, pa_max >> kPageShift)) {
                                // pages=N (a count) from buddyctl: nothing to learn
                                if (c == std::string_view::npos && i == 0) break;
                                err.message = fmt::format("pages={}: not a list of page frame numbers", s);
                                err.col = fp->col + 6;
                                return false;
                            }
                            if (c == std::string_view::npos && i == 0 && !(fp->value.size() > 1 && fp->value[1] == 'x'))
                                break;   // a single decimal number is a page count
                            tr.learn(va + i * kPageSize, pfn << kPageShift);
                            ++i;
                            if (c == std::string_view::npos) break;
                            pos = c + 1;
                        }
                    }
                }
                // the appended fields are built in one small buffer and written with one put()
                char ann[160];
                size_t k = 0;
                auto add = [&](std::string_view sv) {
                    size_t room = k < sizeof ann - 24 ? sizeof ann - 24 - k : 0;
                    size_t m = std::min(sv.size(), room);
                    std::memcpy(ann + k, sv.data(), m);
                    k += m;
                };
                o.put(ln.text);
                if (fva) {
                    k = annotate_va(ann, tr, va, has_region, fpa != nullptr, has_pfn, has_zone);
                } else if (fpa) {
                    ReverseTranslation r = tr.pa2va(pa);
                    if (!has_pfn) { add(" pfn="); k += format_hex(ann + k, r.pfn); }
                    if (!has_zone) { add(" zone="); add(r.zone ? std::string_view(r.zone->name) : "none"); }
                    if (r.lowmem) { add(" va="); k += format_hex(ann + k, r.va, 8); }
                }
                ann[k++] = '\n';
                o.put(std::string_view(ann, k));
                return true;
            };
            // the common address-list line "va=0x<hex>" skips the general parser
            auto fast = [&](std::string_view line, OutBuf& o) -> bool {
                if (line.size() < 6 || line.size() > 13 || line.compare(0, 5, "va=0x") != 0) return false;
                uint64_t va;
                if (!try_parse_number(line.substr(3), va, va_max)) return false;
                char ann[160];
                size_t k = annotate_va(ann, tr, va, false, false, false, false);
                ann[k++] = '\n';
                o.put(line);
                o.put(std::string_view(ann, k));
                return true;
            };
            auto res = cli::run_filter(addrs, out, owns, handle, fast);
            return res.errors ? 2 : 0;
        }

        // one address per argument, or per stdin line
        std::vector<std::pair<std::string, std::string>> inputs;   // (where, token)
        bool from_stdin = addrs.empty();
        if (!from_stdin) {
            for (size_t i = 0; i < addrs.size(); ++i) inputs.push_back({fmt::format("<argv>:{}", i + 1), addrs[i]});
        } else {
            LineReader rd(0);
            std::string_view line;
            while (rd.next(line)) {
                std::string_view s = line;
                while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
                while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
                inputs.push_back({fmt::format("<stdin>:{}", rd.line_number()), std::string(s.substr(0, 4096))});
            }
        }
        int errors = 0;
        Value all = Value::array();
        std::string text;
        bool first = true;
        for (const auto& [where, tok] : inputs) {
            uint64_t a = 0;
            try {
                if (tok.empty()) throw Error("empty line: expected an address");
                if (tok.size() > 64) throw Error(fmt::format("token of {} characters is not an address", tok.size()));
                a = parse_number(tok, reverse ? pa_max : va_max,
                                 reverse ? "physical address" : "32-bit virtual address");
            } catch (const Error& e) {
                ++errors;
                cli::out(text);
                text.clear();
                std::fflush(stdout);
                std::fprintf(stderr, "va2pa: error: %s: %s\n", where.c_str(), e.what());
                continue;
            }
            Value v = reverse ? reverse_value(tr.pa2va(a), !output.json)
                              : forward_value(tr.va2pa(a), tr, !output.json, mem_map);
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
